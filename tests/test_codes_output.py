"""`photo-station codes --out`: a PDF that cannot be written is a message naming the path, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli import run_cli
from tests.roster_kit import station_with_roster

ROSTER = "学号,姓名,班级\n2021001,张三,演示2101\n2021002,李四,演示2101\n"


@pytest.fixture
def roster_home(home: Path, tmp_path: Path) -> Path:
    station_with_roster(home, tmp_path, ROSTER.encode("utf-8")).close()
    return home


def _codes(home: Path, out: Path) -> tuple[int, str]:
    result = run_cli("--lang", "en", "codes", "--class", "演示2101", "--out", str(out), home=home)
    return result.returncode, result.stderr.decode()


def test_slips_cannot_be_written_over_a_folder(roster_home: Path, tmp_path: Path) -> None:
    code, stderr = _codes(roster_home, tmp_path)
    assert code == 2 and "Traceback" not in stderr and f"Cannot write {tmp_path}: it is a folder" in stderr


def test_slips_cannot_be_written_under_a_file(roster_home: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    for out in (a_file / "slips.pdf", a_file / "sub" / "slips.pdf"):
        code, stderr = _codes(roster_home, out)
        assert code == 2 and "Traceback" not in stderr and f"Cannot write {out}" in stderr, stderr
    assert a_file.read_text() == "keep me"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (a device that is always full)")
def test_slips_on_a_full_disk_are_a_message(roster_home: Path) -> None:
    code, stderr = _codes(roster_home, Path("/dev/full"))
    assert code == 2 and "Traceback" not in stderr and "Cannot write /dev/full: the disk is full" in stderr, stderr


def test_slips_are_still_written_where_they_can_be(roster_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "new folder" / "slips.pdf"
    code, stderr = _codes(roster_home, out)
    assert code == 0, stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_slips_for_every_class_when_no_class_is_given(home: Path, tmp_path: Path) -> None:
    roster = ROSTER + "".join(f"20220{n:02d},学生{n},软件2201\n" for n in range(1, 13))  # 2 + 12 students
    station_with_roster(home, tmp_path, roster.encode("utf-8")).close()
    out = tmp_path / "slips.pdf"
    result = run_cli("codes", "--out", str(out), home=home)
    assert result.returncode == 0, result.stderr.decode()
    assert "2 个班级的 14 名学生生成 3 页" in result.stdout.decode()
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Count 3" in pdf  # 演示2101 on a page, 软件2201 on two (10 per page)


def test_each_class_starts_a_page_of_its_own() -> None:
    from station.identify.slips import slip_pages
    from station.roster.store import Student

    students = [Student(student_no=f"2021{n:03d}", name=f"甲{n}", class_name="A班") for n in range(3)]
    students += [Student(student_no=f"2022{n:03d}", name=f"乙{n}", class_name="B班") for n in range(11)]
    assert len(slip_pages(students, "毕业图像采集码")) == 3


def test_codes_on_an_empty_roster_says_to_import_it(home: Path, tmp_path: Path) -> None:
    result = run_cli("codes", "--out", str(tmp_path / "slips.pdf"), home=home)
    assert result.returncode == 2 and "请先导入名单" in result.stderr.decode()
