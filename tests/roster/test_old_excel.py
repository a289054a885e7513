"""Old Excel workbooks (.xls, BIFF8), as registry systems and WPS still save them, imported like .xlsx ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlwt

from station.context import Station
from station.roster import store
from station.roster.importer import import_roster
from tests.cli import json_lines, run_cli


def write_xls(path: Path) -> Path:
    """Two class sheets and a hidden one; numbers, dates, a zero-padded number and a class merged down."""
    book = xlwt.Workbook(encoding="utf-8")
    first = book.add_sheet("计科2101")
    for column, title in enumerate(["学号", "姓名", "班级", "出生日期", "采集码"]):
        first.write(0, column, title)
    first.write(1, 0, 2021010101.0)  # a number column: xlrd reads 2021010101.0
    first.write(1, 1, "张三")
    first.write(1, 2, "计科2101")
    first.write(1, 3, dt.date(2003, 5, 1), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    first.write(1, 4, 42, xlwt.easyxf(num_format_str="000000"))
    first.write(2, 0, 210101105, xlwt.easyxf(num_format_str="0000000000"))  # Excel shows 0210101105
    first.write(2, 1, "李　四")
    first.write_merge(2, 3, 2, 2, "软工2101")  # one class merged down over two students
    first.write(3, 0, "2021010103")
    first.write(3, 1, "王五")
    first.write(4, 0, "2021010104")  # no name: refused as in any roster
    first.write(4, 2, "软工2101")
    second = book.add_sheet("网络2101")
    for column, title in enumerate(["学号", "姓名", "班级"]):
        second.write(0, column, title)
    second.write(1, 0, 2021030101)
    second.write(1, 1, "赵六")
    second.write(1, 2, "网络2101")
    hidden = book.add_sheet("旧名单")
    for column, title in enumerate(["学号", "姓名", "班级"]):
        hidden.write(0, column, title)
    hidden.write(1, 0, "1999000001")
    hidden.write(1, 1, "旧生")
    hidden.write(1, 2, "旧班")
    hidden.visibility = 1
    book.save(str(path))
    return path


def test_an_old_xls_roster_is_imported_as_excel_shows_it(station: Station, tmp_path: Path) -> None:
    report = import_roster(station.db, write_xls(tmp_path / "名单.xls"))

    assert (report.imported, report.updated, report.unchanged) == (4, 0, 0), report.to_json()
    assert [(r.sheet, r.row, r.student_no, r.reason.zh) for r in report.rejected] == [
        ("计科2101", 5, "2021010104", "缺少必填项：姓名")]
    assert store.get_student(station.db, "2021010101").capture_code == "000042"
    assert store.get_student(station.db, "0210101105").name == "李四"
    assert store.get_student(station.db, "0210101105").class_name == "软工2101"
    assert store.get_student(station.db, "2021010103").class_name == "软工2101"  # the merge reaches it
    assert store.get_student(station.db, "2021030101").class_name == "网络2101"
    assert store.get_student(station.db, "1999000001") is None  # hidden sheet


def test_the_command_line_imports_an_xls_with_clean_json(home: Path, tmp_path: Path) -> None:
    path = write_xls(tmp_path / "名单.xls")
    result = run_cli("roster", "import", str(path), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    [report] = json_lines(result)  # nothing xlrd says reaches stdout
    assert (report["imported"], len(report["rejected"])) == (4, 1)


def test_an_xls_saved_as_a_copy_under_another_name_is_read_by_its_bytes(station: Station, tmp_path: Path) -> None:
    renamed = tmp_path / "名单.xlsx"
    renamed.write_bytes(write_xls(tmp_path / "名单.xls").read_bytes())
    assert import_roster(station.db, renamed).imported == 4
