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
