"""The day and class report written as a workbook and as a PDF, read back: per class photographed / retaken /
absent / not yet (with the names a monitor checks), overrides with their reasons, identity verdicts, the day's
photos per hour per station as a chart, and the median time from identification to accepted photo."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from station.audit.trail import AuditTrail
from station.errors import StationError
from station.fees.ledger import Method, pay, refund
from station.reports.write import write_report
from station.roster.store import set_absent, students_of_class
from station.storage.captures import CaptureStore
from tests.printing.pdf_measure import measure_pdf

CHINA = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 6, 1)
JPEG = b"\xff\xd8\xff\xe0" + bytes(2000)  # the report reads the register, never the image
IDENTITY = json.dumps({"checks": [{"against": "reference", "level": "different", "score": 0.12},
                                  {"against": "swap", "level": "different", "score": 0.71, "student_no": "2021010201",
                                   "source": "capture", "uid": "f" * 32, "own_score": 0.12}],
                       "reason": "已核对身份证，确是本人"}, ensure_ascii=False)


def utc(hour: int, minute: int, second: int = 0, day: dt.date = DAY) -> dt.datetime:
    """China time on the capture day, as the station stores it (UTC)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=CHINA).astimezone(dt.timezone.utc)


def save_at(station, moment: dt.datetime, student_no: str, identified: dt.datetime | None = None, **fields) -> None:
    store = CaptureStore(station, key=station.demo_key, clock=lambda: moment)
    store.save(student_no, JPEG, b"original", fields.pop("operator", "王老师"),
               identified_at=identified.isoformat() if identified else "", **fields)


@pytest.fixture
def day(demo_station):
    """Class 演示2101 (8 students): 3 photographed (one retaken after an identity mismatch, one overridden), one
    marked absent, 2 paid (a third paid and was refunded); class 演示2102 (4): 1 photographed, the day before.
    The last photo of the day is another station's (S02)."""
    station = demo_station
    a = students_of_class(station.db, "演示2101")
    b = students_of_class(station.db, "演示2102")
    save_at(station, utc(9, 5), a[0].student_no, identified=utc(9, 4))  # 60 s
    save_at(station, utc(9, 12), a[1].student_no, identified=utc(9, 10, 30), override_reason="已目视确认，系统误报")  # 90 s
    save_at(station, utc(10, 20), a[1].student_no, identified=utc(10, 17), reason="闭眼", identity=IDENTITY)  # 180 s
    with station.db.conn:  # a second station's photo, as its upload would bring it
        station.db.execute("UPDATE server_link SET station_id = 'S02'")
    save_at(station, utc(10, 40), a[2].student_no, identified=utc(10, 39, 30), operator="李老师")  # 30 s
    save_at(station, utc(16, 0, day=DAY - dt.timedelta(days=1)), b[0].student_no)  # the day before: class figure only
    set_absent(station.db, a[3].student_no, True)
    trail = AuditTrail(station, "王老师")
    pay(trail, a[0].student_no, Method.CASH)  # the set's price, 20 yuan
    pay(trail, a[1].student_no, Method.WECHAT)
    pay(trail, a[2].student_no, Method.ALIPAY)
    refund(trail, a[2].student_no, "家长已在线上缴费")  # net: two paid in the class
    return station, a, b


def rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_says_per_class_who_is_done_absent_still_missing_and_what_was_paid(day, tmp_path: Path) -> None:
    station, a, b = day
    out = tmp_path / "日报.xlsx"
    report = write_report(station.db, out, "zh", DAY, tz=CHINA)

    book = load_workbook(out)
    assert book.sheetnames == ["班级汇总", "未拍摄名单", "例外与重拍", "身份核验", "当日统计"]
    classes = rows(book["班级汇总"])
    assert classes[0] == ("班级", "人数", "已拍摄", "重拍", "缺席", "未拍摄", "已缴费人数", "费用合计（元）")
    assert classes[1:] == [("演示2101", 8, 3, 1, 1, 4, 2, 40), ("演示2102", 4, 1, 0, 0, 3, 0, 0),
                           ("合计", 12, 4, 1, 1, 7, 2, 40)]
    missing = rows(book["未拍摄名单"])[1:]
    assert missing[0] == ("演示2101", a[3].student_no, a[3].name, "缺席")
    assert [m[1] for m in missing] == [s.student_no for s in a[3:]] + [s.student_no for s in b[1:]]
    assert {m[3] for m in missing[1:]} == {"未拍摄"}
    assert rows(book["例外与重拍"])[0][4] == rows(book["身份核验"])[0][4] == "时间（北京时间）"  # as the server's pages
    overrides = rows(book["例外与重拍"])[1:]
    assert [(o[1], o[3], o[6], o[7]) for o in overrides] == [
        (a[1].student_no, 1, "检查未通过仍拍摄", "已目视确认，系统误报"),
        (a[1].student_no, 2, "身份核验不符仍保存", "已核对身份证，确是本人"),
        (a[1].student_no, 2, "重拍", "闭眼")]
    assert overrides[0][4] == "2026-06-01 09:12"  # local time
    assert rows(book["身份核验"])[1:] == [
        ("演示2101", a[1].student_no, a[1].name, 2, "2026-06-01 10:20", "学籍照片", "不是同一人", 0.12, "已核对身份证，确是本人"),
        ("演示2101", a[1].student_no, a[1].name, 2, "2026-06-01 10:20", "2021010201 的照片", "同一张脸：疑似冒名", 0.71,
         "已核对身份证，确是本人")]
    assert report.photos == 4 and report.median_to_photo_s == 75.0 and report.timed_photos == 4
    assert report.missing_count == 8 == len(missing)  # 未拍摄名单's rows (the absent one too), as the window says it


def test_the_day_sheet_charts_students_per_hour_per_station_and_the_median_wait(day, tmp_path: Path) -> None:
    station, _, _ = day
    out = tmp_path / "日报.xlsx"
    write_report(station.db, out, "zh", DAY, tz=CHINA)
    sheet = load_workbook(out)["当日统计"]
    values = rows(sheet)
    assert "从识别学生到照片确认的中位时间：75 秒（4 张有识别时间的照片）" == values[2][0]
    header = values.index(("时段（北京时间）", "DEMO-01", "S02"))
    assert values[header + 1:] == [("09:00-10:00", 2, 0), ("10:00-11:00", 1, 1)]
    assert len(sheet._charts) == 1 and sheet._charts[0].tagname == "barChart"


def test_a_laptop_on_another_zone_says_its_clock_in_the_headings(day, tmp_path: Path) -> None:
    """A laptop left on UTC reads the day 8 hours off: its report says UTC+00:00 where a Beijing one says 北京时间,
    so it is not read beside the server's pages (Beijing time) as the same clock."""
    station, _, _ = day
    write_report(station.db, tmp_path / "utc.xlsx", "en", DAY, tz=dt.timezone.utc)
    book = load_workbook(tmp_path / "utc.xlsx")
    head, first = rows(book["Overrides and retakes"])[:2]
    assert (head[4], first[4]) == ("Time (UTC+00:00)", "2026-06-01 01:12")
    assert ("Hour (UTC+00:00)", "DEMO-01", "S02") in rows(book["The day"])
    write_report(station.db, tmp_path / "cn.xlsx", "en", DAY, tz=CHINA)
    assert rows(load_workbook(tmp_path / "cn.xlsx")["Identity checks"])[0][4] == "Time (Beijing time)"


def test_one_class_and_the_pdf(day, tmp_path: Path) -> None:
    station, a, b = day
    report = write_report(station.db, tmp_path / "演示2102.xlsx", "zh", DAY, "演示2102", tz=CHINA)
    assert [c.class_name for c in report.classes] == ["演示2102"] and report.photos == 0

    out = tmp_path / "日报.pdf"
    write_report(station.db, out, "zh", DAY, tz=CHINA)
    pages = measure_pdf(out)
    assert all((round(p.w), round(p.h)) == (210, 297) for p in pages)
    text = "".join(p.text for p in pages).replace("\r", "")
    for expected in ("采集日报 2026-06-01", "班级汇总", "演示2101 8 3 1 1 4 2 40.00", "合计 12 4 1 1 7 2 40.00", "未拍摄名单",
                     a[3].name, b[3].student_no, "已目视确认，系统误报", "不是同一人", "疑似冒名", "75 秒", "10:00-11:00", "S02",
                     "每小时拍摄人数（按工作站，北京时间）"):
        assert expected in text, expected
    assert len(pages[0].images) == 0 and any(p.text for p in pages)


def test_a_wrong_ending_class_or_day_is_a_message(day, tmp_path: Path) -> None:
    station, _, _ = day
    with pytest.raises(StationError) as info:
        write_report(station.db, tmp_path / "report.txt", "zh", DAY)
    assert ".xlsx 或 .pdf" in info.value.text.zh and not (tmp_path / "report.txt").exists()
    with pytest.raises(StationError):
        write_report(station.db, tmp_path / "r.xlsx", "zh", DAY, "没有这个班")


def test_a_roster_row_the_import_refused_is_on_the_day_reports_missing_list(day, tmp_path: Path) -> None:
    """A student whose row the import refused is in no class, so on no 未拍摄名单: the school never learnt that they
    cannot be photographed until the row is corrected (first-day walk, s32). The whole day's report names them, with
    where and why; a class's report does not (their class is not known)."""
    from station.roster.importer import import_roster

    station, _, _ = day
    extra = tmp_path / "补录.csv"
    extra.write_text("学号,姓名,班级,身份证号\n2021019999,钱七,演示2101,110105200306069011\n", encoding="utf-8")
    assert len(import_roster(station.db, extra).rejected) == 1  # the ID number's check digit is wrong
    said = "导入名单时被拒绝，无法拍摄（补录.csv 第 2 行：身份证号校验位错误（可能有数字录错））"
    write_report(station.db, tmp_path / "day.xlsx", "zh", DAY, tz=CHINA)
    assert rows(load_workbook(tmp_path / "day.xlsx")["未拍摄名单"])[-1] == (None, "2021019999", "钱七", said)
    write_report(station.db, tmp_path / "day.pdf", "zh", DAY, tz=CHINA)
    assert "2021019999" in "".join(page.text for page in measure_pdf(tmp_path / "day.pdf"))
    write_report(station.db, tmp_path / "class.xlsx", "zh", DAY, "演示2101", tz=CHINA)
    assert "2021019999" not in str(rows(load_workbook(tmp_path / "class.xlsx")["未拍摄名单"]))
