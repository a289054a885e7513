"""Print sheets measured in the written PDF: the paper, each photo's placed size in millimetres and its dpi, the
cut marks, the names for sorting, and who could not be printed and why."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from station.errors import StationError
from station.printing.sheet import two_inch_jpeg, write_print_sheet
from station.roster.store import students_of_class
from station.storage.captures import stored_capture
from tests.printing.pdf_measure import measure_pdf

CLASS = "演示2101"
TOLERANCE = 0.05  # mm


def _overlaps(a, b) -> bool:
    return a.x + 0.01 < b.x + b.w and b.x + 0.01 < a.x + a.w and a.y + 0.01 < b.y + b.h and b.y + 0.01 < a.y + a.h


def test_six_inch_paper_holds_one_student_eight_times_at_true_two_inch_size(store, chsi_jpeg, tmp_path: Path) -> None:
    student = students_of_class(store.station.db, CLASS)[0]
    store.save(student.student_no, chsi_jpeg, b"original", "王老师")
    out = tmp_path / "sheet.pdf"
    sheet = write_print_sheet(store, out, "6inch", student_nos=[student.student_no])

    [page] = measure_pdf(out)
    assert page.w == pytest.approx(152, abs=TOLERANCE) and page.h == pytest.approx(102, abs=TOLERANCE)
    assert len(page.images) == 8
    for photo in page.images:
        assert photo.w == pytest.approx(35, abs=TOLERANCE) and photo.h == pytest.approx(49, abs=TOLERANCE)
        assert photo.dpi >= 300
        assert 0 <= photo.x and photo.x + photo.w <= page.w and 0 <= photo.y and photo.y + photo.h <= page.h
    assert not any(_overlaps(a, b) for i, a in enumerate(page.images) for b in page.images[i + 1:])
    assert sorted({round(p.x) for p in page.images}) == [6, 41, 76, 111]
    assert sorted({round(p.y) for p in page.images}) == [2, 51]
    assert len(page.lines) == 5 * 2 + 3 * 2  # a mark at both ends of every cutting line: 5 down, 3 across
    for x1, y1, x2, y2 in page.lines:  # no cut mark runs into a photo
        assert not any(p.x + 0.01 < max(x1, x2) and min(x1, x2) < p.x + p.w - 0.01 and
                       p.y + 0.01 < max(y1, y2) and min(y1, y2) < p.y + p.h - 0.01 for p in page.images)
    assert page.text.count(student.student_no) == 2 and student.name in page.text  # beside each row, for sorting
    assert [(p.student_no, p.version) for p in sheet.printed] == [(student.student_no, 1)] and sheet.missing == []


def test_the_print_is_the_registered_photo_trimmed_never_an_earlier_version(store, chsi_jpeg, tmp_path: Path) -> None:
    student = students_of_class(store.station.db, CLASS)[1]
    store.save(student.student_no, chsi_jpeg, b"original", "王老师")
    with Image.open(io.BytesIO(chsi_jpeg)) as image:
        mirrored = io.BytesIO()
        ImageOps.mirror(image).save(mirrored, "JPEG", quality=95)
    store.save(student.student_no, mirrored.getvalue(), b"original", "王老师", reason="闭眼")
    out = tmp_path / "sheet.pdf"
    sheet = write_print_sheet(store, out, "6inch", student_nos=[student.student_no])

    [page] = measure_pdf(out)
    expected, dpi = two_inch_jpeg(mirrored.getvalue())
    assert {p.data for p in page.images} == {expected} and sheet.printed[0].version == 2
    assert page.images[0].pixels == (457, 640) and dpi == pytest.approx(331.7, abs=0.1)  # 3:4 trimmed to 35:49


def test_a4_holds_four_students_a_page_and_everyone_not_printed_is_named(store, chsi_jpeg, tmp_path: Path) -> None:
    students = students_of_class(store.station.db, CLASS)
    for student in students[:5]:
        store.save(student.student_no, chsi_jpeg, b"original", "王老师")
    damaged = stored_capture(store.station.db, store.station.home,
                             store.save(students[5].student_no, chsi_jpeg, b"original", "王老师").uid).files["chsi"]
    damaged.write_bytes(damaged.read_bytes()[:-200])
    out = tmp_path / "class.pdf"
    sheet = write_print_sheet(store, out, "a4", class_name=CLASS)

    pages = measure_pdf(out)
    assert [(round(p.w), round(p.h)) for p in pages] == [(297, 210), (297, 210)]
    assert [len(p.images) for p in pages] == [32, 8]
    for page in pages:
        assert all(p.w == pytest.approx(35, abs=TOLERANCE) and p.h == pytest.approx(49, abs=TOLERANCE) and p.dpi >= 300
                   for p in page.images)
        assert not any(_overlaps(a, b) for i, a in enumerate(page.images) for b in page.images[i + 1:])
    assert all(s.student_no in pages[0].text for s in students[:4]) and students[4].student_no in pages[1].text
    assert [p.student_no for p in sheet.printed] == [s.student_no for s in students[:5]]
    assert [(m.student_no, m.code) for m in sheet.missing] == [(students[5].student_no, "damaged")] + [
        (s.student_no, "no_photo") for s in students[6:]]


def test_nobody_printable_is_a_message_and_no_file(store, tmp_path: Path) -> None:
    out = tmp_path / "none.pdf"
    with pytest.raises(StationError) as info:
        first = students_of_class(store.station.db, CLASS)[0]
        write_print_sheet(store, out, "6inch", student_nos=["2099999999", first.student_no])
    assert info.value.text.zh == (f"没有可打印的照片。名单中没有这个学号：2099999999；"
                                  f"还没有已确认的照片：{first.name}（{first.student_no}）")
    assert info.value.text.en.startswith("Nothing to print. Not on the roster: 2099999999; no accepted photo yet: ")
    assert not out.exists()
    with pytest.raises(StationError) as info:  # a class nobody in it photographed yet: one short line
        write_print_sheet(store, out, "6inch", class_name=CLASS)
    students = students_of_class(store.station.db, CLASS)
    named = "、".join(f"{s.name}（{s.student_no}）" for s in students[:3])
    assert info.value.text.zh == f"没有可打印的照片。还没有已确认的照片：{named} 等 {len(students)} 人"
    assert info.value.text.en.endswith(f"{students[2].name} ({students[2].student_no}) and {len(students) - 3} more")
    with pytest.raises(StationError) as info:
        write_print_sheet(store, out, "6inch", class_name="没有这个班")
    assert "没有班级“没有这个班”" in info.value.text.zh
