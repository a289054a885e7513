"""Identification from every kind of input, against a real roster in a real database."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import cv2
import numpy as np
import openpyxl
import pytest

from station.context import Station
from station.identify.decoders import slip_payload
from station.identify.frames import decode_codes
from station.identify.identify import Outcome, identify
from station.identify.slips import slip_pages
from station.identify.wedge import WedgeDetector
from station.roster import schedule
from station.roster.store import students_of_class
from tests.cli import json_lines, run_cli
from tests.identify.images import code128_image, held_up, qr_image
from tests.roster_kit import station_with_roster

ROSTER = (
    "学号,姓名,性别,身份证号,班级,采集码\n"
    "2021001,张三,男,11010519491231002X,软件2101,CJM-7F3A-0001\n"
    "2021002,李四,女,,软件2101,CJM-7F3A-0002\n"
    "2021101,王五,男,,软件2102,\n"
)
NOON = dt.datetime(2024, 10, 22, 9, 0)


def texts_in(image: np.ndarray, thorough: bool = True) -> list[str]:
    """The texts of the codes visible in a frame, largest first."""
    return [code.text for code in decode_codes(image, thorough)]


@pytest.fixture
def station(home: Path, tmp_path: Path) -> Station:
    s = station_with_roster(home, tmp_path, ROSTER.encode("gbk"))
    schedule.set_slot(s.db, schedule.parse_slot("软件2101", "2024-10-22 8:30-9:30"))
    schedule.set_slot(s.db, schedule.parse_slot("软件2102", "2024-10-22 9:30-10:30"))
    yield s
    s.close()


@pytest.mark.parametrize("payload, student_no, via", [
    ("CJM-7F3A-0001", "2021001", "capture_code"),
    ("  CJM-7F3A-0002\n", "2021002", "capture_code"),
    (slip_payload("2021101"), "2021101", "slip"),
    ("2021002", "2021002", "student_no"),
    ("11010519491231002x", "2021001", "id_number"),  # typed with a lower-case x
])
def test_codes_resolve_to_students(station: Station, payload: str, student_no: str, via: str) -> None:
    found = identify(station.db, payload, NOON)
    assert (found.outcome, found.student.student_no, found.matched_by) == (Outcome.FOUND, student_no, via)


@pytest.mark.parametrize("payload", ["", "   ", "CJM-0000-9999", "\x00\x01binary", "PS1:2021001:00000000",
                                     "x" * 5000, "'; DROP TABLE students; --", "PS1:::"])
def test_unknown_and_malformed_payloads_are_unknown_never_errors(station: Station, payload: str) -> None:
    found = identify(station.db, payload, NOON)
    assert found.outcome is Outcome.UNKNOWN and found.student is None and found.message.zh


def test_already_captured_offers_retake(station: Station) -> None:
    with station.db.conn:
        station.db.execute("INSERT INTO captures(student_no, version, captured_at) VALUES ('2021001', 1, '2024-10-22T08:40:00')")
    found = identify(station.db, "CJM-7F3A-0001", NOON)
    assert found.outcome is Outcome.ALREADY_CAPTURED and "重拍" in found.message.zh


def test_student_outside_the_current_slot_is_allowed_with_a_warning(station: Station) -> None:
    on_time = identify(station.db, "2021002", NOON)
    early = identify(station.db, "2021101", NOON)
    assert on_time.outcome is Outcome.FOUND and on_time.warnings == []
    assert early.outcome is Outcome.FOUND and "不在当前时段" in early.warnings[0].zh


def test_queue_order_is_slot_then_student_number(station: Station) -> None:
    schedule.set_slot(station.db, schedule.parse_slot("软件2102", "2024-10-22 7:30-8:30"))
    assert [s.student_no for s in schedule.ordered_students(station.db)] == ["2021101", "2021001", "2021002"]


@pytest.mark.parametrize("tilt, dark", [(0.0, False), (0.25, False), (0.15, True)])
def test_qr_on_a_phone_held_at_an_angle_is_read_from_the_frame(station: Station, tilt: float, dark: bool) -> None:
    frame = held_up(qr_image("CJM-7F3A-0002"), tilt=tilt, dark_mode=dark)
    [text] = texts_in(frame)
    assert identify(station.db, text, NOON).student.name == "李四"


def test_the_quick_pass_reads_a_plain_code_and_leaves_hard_ones_to_the_thorough_pass() -> None:
    plain = held_up(qr_image("CJM-7F3A-0002"), tilt=0.0)
    dark = held_up(qr_image("CJM-7F3A-0002"), tilt=0.15, dark_mode=True)
    assert texts_in(plain, thorough=False) == ["CJM-7F3A-0002"]
    assert texts_in(dark, thorough=False) == []
    assert texts_in(dark) == ["CJM-7F3A-0002"]


def test_student_card_barcode_and_grey_frames(station: Station) -> None:
    frame = held_up(code128_image("2021101"), tilt=0.1)
    assert texts_in(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)) == ["2021101"]


def test_frames_without_codes_decode_to_nothing() -> None:
    rng = np.random.default_rng(1)
    for frame in (np.zeros((720, 1280, 3), np.uint8), rng.integers(0, 255, (480, 640, 3), dtype=np.uint8),
                  np.full((10, 10), 255, np.uint8)):
        assert texts_in(frame) == []


def test_printed_slips_decode_back_to_their_students(station: Station) -> None:
    students = students_of_class(station.db, "软件2101")
    [page] = slip_pages(students, "毕业图像采集码")
    texts = texts_in(cv2.cvtColor(np.array(page), cv2.COLOR_RGB2BGR))
    assert sorted(identify(station.db, t, NOON).student.student_no for t in texts) == ["2021001", "2021002"]


def test_wedge_scanner_burst_versus_typing() -> None:
    wedge = WedgeDetector()
    for i, ch in enumerate("CJM-7F3A-0001"):
        wedge.key(ch, 1000 + i * 8)
    scanned = wedge.enter(1000 + 13 * 8)
    for i, ch in enumerate("2021001"):
        wedge.key(ch, 5000 + i * 180)
    typed = wedge.enter(5000 + 7 * 180)
    assert (scanned.text, scanned.scanned) == ("CJM-7F3A-0001", True)
    assert (typed.text, typed.scanned) == ("2021001", False)
    assert wedge.enter(9000) is None


def test_lookup_cli_masks_the_id_number(station: Station, home: Path) -> None:
    result = run_cli("lookup", "CJM-7F3A-0001", "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    [info] = json_lines(result)
    assert (info["student_no"], info["name"], info["class"], info["status"]) == ("2021001", "张三", "软件2101", "not_captured")
    assert info["id_number"] == "110105********002X"
    assert info["message"] == "张三（2021001，软件2101）：尚未拍摄"  # what was found, not a kiosk instruction
    assert "11010519491231002X" not in result.stdout.decode()
    plain = run_cli("lookup", "2021001", home=home).stdout.decode()
    assert "请就位" not in plain and "F2" not in plain
    assert "110105********002X" in plain and "19491231" not in plain
    english = run_cli("lookup", "2021001", "--lang", "en", home=home).stdout.decode().splitlines()
    # the status as its own message below and the window's card say it (was "not captured")
    assert "Status: not photographed" in english and "张三 (2021001, 软件2101): not photographed yet" in english
    assert not [line for line in english if line.rstrip().endswith(":")]  # no College: or Major: with nothing after


def test_lookup_cli_unknown_code_exits_1_with_reason(station: Station, home: Path) -> None:
    result = run_cli("lookup", "NOPE-123", home=home)
    assert result.returncode == 1 and "NOPE-123" in result.stderr.decode()
    as_json = run_cli("lookup", "NOPE-123", "--json", home=home)
    assert as_json.returncode == 1 and json_lines(as_json)[0]["error"] == "unknown_code"


def test_codes_cli_writes_a_pdf_of_slips(station: Station, home: Path, tmp_path: Path) -> None:
    out = tmp_path / "slips.pdf"
    result = run_cli("codes", "--class", "软件2101", "--out", str(out), home=home)
    assert result.returncode == 0, result.stderr.decode()
    assert out.read_bytes().startswith(b"%PDF")
    missing = run_cli("codes", "--class", "不存在", "--out", str(out), home=home)
    assert missing.returncode != 0 and "不存在" in missing.stderr.decode()


@pytest.mark.parametrize("text, start, end", [
    ("2024-10-22 8:30-9:30", (8, 30), (9, 30)),
    ("2024年10月22日 8：30～9：30", (8, 30), (9, 30)),
    ("2024/10/22 下午2:00-3:30", (14, 0), (15, 30)),
    ("2024.10.22 13:00至14:00", (13, 0), (14, 0)),
])
def test_slot_texts_schools_write(text: str, start: tuple[int, int], end: tuple[int, int]) -> None:
    slot = schedule.parse_slot("班", text)
    assert (slot.starts_at.date(), slot.starts_at.time(), slot.ends_at.time()) == (
        dt.date(2024, 10, 22), dt.time(*start), dt.time(*end))


@pytest.mark.parametrize("text", ["明天上午", "2024-10-22", "2024-10-22 9:30-8:30", "2024-13-40 8:00-9:00",
                                  "9999-12-31 23:00-23:59", "1024-10-22 8:30-9:30"])
def test_unreadable_slots_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        schedule.parse_slot("班", text)


def test_schedule_import_cli(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "时间表.csv"
    path.write_bytes("班级,日期,时间段,地点\n软件2101,2024-10-22,8:30-9:30,学术会堂\n坏班,明天,上午,\n".encode("gbk"))
    result = run_cli("schedule", "import", str(path), "--json", "--lang", "en", home=home)
    assert result.returncode == 0, result.stderr.decode()
    [report] = json_lines(result)
    assert report["slots"] == 1 and report["rejected"][0]["row"] == 3
    assert report["rejected"][0]["reason"].startswith("Unreadable")
    shown = run_cli("schedule", "show", home=home).stdout.decode()
    assert "2024-10-22 08:30-09:30  软件2101  学术会堂" in shown


def test_a_timetable_workbook_with_real_date_and_time_cells(home: Path, tmp_path: Path) -> None:
    """Excel stores a date as a datetime at midnight and a time as a time: neither may become a slot's time."""
    book = openpyxl.Workbook()
    book.active.append(["班级", "日期", "开始时间", "结束时间"])
    book.active.append(["软件2101", dt.datetime(2024, 10, 22), dt.time(8, 30), dt.time(9, 30)])
    book.active.append(["软件2102", dt.date(2024, 10, 23), dt.time(14, 0), dt.time(15, 0)])
    book.save(tmp_path / "时间表.xlsx")
    assert run_cli("schedule", "import", str(tmp_path / "时间表.xlsx"), home=home).returncode == 0
    shown = run_cli("schedule", "show", home=home).stdout.decode()
    assert "2024-10-22 08:30-09:30  软件2101" in shown and "2024-10-23 14:00-15:00  软件2102" in shown


def test_setting_a_slot_says_what_was_set_and_names_a_class_the_roster_lacks(home: Path) -> None:
    done = run_cli("--lang", "en", "schedule", "set", "没有这个班", "2024-10-22 8:30-9:30", home=home)
    assert done.returncode == 0 and "Slot of 没有这个班 set: 2024-10-22 08:30-09:30" in done.stdout.decode()
    assert "the roster has no class '没有这个班' yet" in done.stderr.decode()
    blank = run_cli("--lang", "en", "schedule", "set", " ", "2024-10-22 8:30-9:30", home=home)
    assert blank.returncode == 2 and "Give the class name" in blank.stderr.decode()


def test_a_scanner_with_caps_lock_on_still_finds_the_student(station: Station) -> None:
    found = identify(station.db, "cjm-7f3a-0001", NOON)
    assert (found.outcome, found.student.student_no) == (Outcome.FOUND, "2021001")


def test_an_id_number_that_matches_nobody_is_masked_in_every_message(station: Station, home: Path) -> None:
    result = run_cli("lookup", "110101200302111026", "--json", home=home)
    assert result.returncode == 1
    [error] = json_lines(result)
    assert error["error"] == "unknown_code" and error["code"] == "110101********1026"
    assert "110101200302111026" not in result.stdout.decode() + result.stderr.decode()
    assert "110101********1026" in identify(station.db, "110101200302111026", NOON).message.zh


def test_a_code_held_by_two_students_is_ambiguous_not_unknown(station: Station, home: Path) -> None:
    with station.db.conn:  # a roster from before duplicate ID numbers were refused at import
        station.db.execute("UPDATE students SET id_number = '11010519491231002X' WHERE student_no = '2021002'")
    assert identify(station.db, "11010519491231002X", NOON).outcome is Outcome.AMBIGUOUS
    result = run_cli("lookup", "11010519491231002X", "--json", home=home)
    assert result.returncode == 1
    [error] = json_lines(result)
    assert (error["error"], error["code"]) == ("ambiguous_code", "110105********002X")


def test_bytes_that_are_not_utf8_are_an_unknown_code_not_a_crash(station: Station, home: Path) -> None:
    result = run_cli("lookup", os.fsdecode(b"CJM\xff0001"), "--json", home=home)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    [error] = json_lines(result)
    assert error["error"] == "unknown_code" and error["code"] == "CJM\ufffd0001"


def test_an_exact_student_number_beats_a_capture_code_matched_ignoring_case(station: Station) -> None:
    with station.db.conn:  # a database from before such codes were refused at import
        station.db.execute("UPDATE students SET capture_code = 'X2021002' WHERE student_no = '2021001'")
        station.db.execute("UPDATE students SET student_no = 'x2021002' WHERE student_no = '2021002'")
    found = identify(station.db, "x2021002", NOON)
    assert (found.student.name, found.matched_by) == ("李四", "student_no")


def test_id_numbers_are_masked_however_they_were_typed(station: Station, home: Path) -> None:
    for typed in ("110101200302111026\u200b", "110101-20030211-1026", "11010120030211102"):
        result = run_cli("lookup", typed, "--json", home=home)
        assert result.returncode == 1
        [error] = json_lines(result)
        assert error["code"].startswith("110101*") and "2003021" not in result.stdout.decode() + result.stderr.decode()


def test_a_slot_stored_at_the_end_of_time_does_not_break_the_suggestion(station: Station) -> None:
    schedule.set_slot(station.db, schedule.Slot("软件2101", dt.datetime(9999, 12, 31, 23), dt.datetime(9999, 12, 31, 23, 59)))
    suggested = schedule.suggested_slot(station.db, "软件2102", dt.datetime(2024, 10, 22, 8, 10))
    assert suggested.starts_at.date() == dt.date(2024, 10, 22)  # after the slots of the day, not after 9999


def test_a_number_whose_roster_row_was_refused_says_where_and_why(home: Path, tmp_path: Path) -> None:
    """A student whose row the import refused (an ID number's check digit mistyped) comes to the station anyway: their
    number typed said only 名单中没有…请核对采集码, though it was typed right (first-day walk on Xvfb, s32). It says the
    import refused the row, where and why, until a corrected file takes the student."""
    from station.roster.importer import import_roster

    bad = ROSTER + "2021003,赵六,男,110105200306069011,软件2101,\n"  # check digit wrong: the row is refused
    station = station_with_roster(home, tmp_path, bad.encode("utf-8"))
    try:
        found = identify(station.db, "2021003", now=NOON)
        assert found.outcome is Outcome.UNKNOWN and found.student is None
        assert found.message.zh == ("“2021003”（赵六）在导入名单时被拒绝（roster.csv 第 5 行：身份证号校验位错误（可能有数字录错）），"
                                    "所以名单中没有：请学校改正这一行后重新导入名单"), found.message.zh
        assert found.message.en.startswith(
            "'2021003' (赵六) was refused when the roster was imported (roster.csv, row 5: ")
        assert "名单中没有“2021009”" in identify(station.db, "2021009", now=NOON).message.zh  # a number never seen
        fixed = tmp_path / "fixed.csv"
        fixed.write_text(ROSTER + "2021003,赵六,男,110105200306069019,软件2101,\n", encoding="utf-8")
        import_roster(station.db, fixed)
        assert identify(station.db, "2021003", now=NOON).student.name == "赵六"
        assert station.db.execute("SELECT COUNT(*) FROM roster_refused").fetchone()[0] == 0
    finally:
        station.close()
