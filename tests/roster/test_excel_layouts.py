"""Workbooks laid out for people, read as Excel shows them: a class merged down, zero-padded numbers, template lines."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from station.context import Station
from station.roster import store
from station.roster.importer import import_roster


def test_a_class_merged_down_over_its_students_belongs_to_each_of_them(station: Station, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["学号", "姓名", "班级"])
    for number, name in (("2021001", "张三"), ("2021002", "李四"), ("2021003", "王五")):
        sheet.append([number, name, "计科2101" if number == "2021001" else None])
    sheet.append(["2021004", "赵六", "软工2101"])
    sheet.merge_cells("C2:C4")
    sheet.merge_cells("A6:C6")  # a note across the columns under the table stays one note
    sheet["A6"] = "以上共4人"
    book.save(tmp_path / "r.xlsx")

    report = import_roster(station.db, tmp_path / "r.xlsx")

    assert report.imported == 4, report.to_json()
    assert [store.get_student(station.db, f"202100{i}").class_name for i in (1, 2, 3, 4)] == ["计科2101"] * 3 + ["软工2101"]
    # the note is refused as before, for what it lacks: its text was not spread into the name and class columns
    assert [(r.row, r.reason.zh) for r in report.rejected] == [(6, "缺少必填项：姓名、班级")]


def test_a_number_formatted_with_leading_zeros_keeps_them(station: Station, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["学号", "姓名", "班级", "采集码"])
    sheet.append([210101105, "钱七", "计科2101", 42])
    sheet["A2"].number_format = "0000000000"  # Excel shows 0210101105
    sheet["D2"].number_format = "000000"
    sheet.append([2021010106, "孙八", "计科2101", None])  # General: as it is
    book.save(tmp_path / "r.xlsx")

    import_roster(station.db, tmp_path / "r.xlsx")

    assert store.get_student(station.db, "0210101105").capture_code == "000042"
    assert store.get_student(station.db, "210101105") is None
    assert store.get_student(station.db, "2021010106").name == "孙八"


def test_a_template_s_numbered_blank_lines_are_passed_over_not_refused(station: Station, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "学号", "姓名", "班级"])
    sheet.append([1, "2021001", "张三", "计科2101"])
    for serial in range(2, 40):
        sheet.append([serial, None, None, None])
    sheet.append([40, None, "李四", "计科2101"])  # someone named, but no number: still refused
    book.save(tmp_path / "r.xlsx")

    report = import_roster(station.db, tmp_path / "r.xlsx")

    assert report.imported == 1
    assert [(r.row, r.student_no) for r in report.rejected] == [(41, "")]


WEB_PAGE_XLS = """<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
<table border=1><tr><td colspan=3>2025届毕业生名单</td></tr>
<tr><th>学号</th><th>姓名</th><th>班级</th></tr>
<tr><td style="mso-number-format:'\\@'">0210101105</td><td>钱&nbsp;七</td><td rowspan=2>计科2101</td></tr>
<tr><td>2021030102</td><td>孙八<br></td></tr>
</table></body></html>"""


def test_a_registry_system_s_xls_that_is_a_web_page_or_text_is_read(station: Station, tmp_path: Path) -> None:
    (tmp_path / "教务导出.xls").write_bytes(WEB_PAGE_XLS.encode("gbk"))
    (tmp_path / "制表符.xls").write_bytes("学号\t姓名\t班级\r\n2021030103\t吴十\t网络2101\r\n".encode("gbk"))

    first = import_roster(station.db, tmp_path / "教务导出.xls")
    second = import_roster(station.db, tmp_path / "制表符.xls")

    assert (first.imported, first.rejected, second.imported) == (2, [], 1)
    students = [store.get_student(station.db, no) for no in ("0210101105", "2021030102", "2021030103")]
    assert [(s.name, s.class_name) for s in students] == [("钱七", "计科2101"), ("孙八", "计科2101"), ("吴十", "网络2101")]


def test_a_workbook_named_csv_and_a_csv_named_xlsx_are_read_for_what_they_are(station: Station,
                                                                               tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["学号", "姓名", "班级"])
    book.active.append(["2021001", "张三", "计科2101"])
    book.save(tmp_path / "名单.csv")
    (tmp_path / "名单.xlsx").write_bytes("学号,姓名,班级\r\n2021002,李四,计科2101\r\n".encode("gbk"))

    assert import_roster(station.db, tmp_path / "名单.csv").imported == 1
    assert import_roster(station.db, tmp_path / "名单.xlsx").imported == 1
