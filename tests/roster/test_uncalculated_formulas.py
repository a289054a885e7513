"""Formulas in a roster workbook: a script writes them without results (openpyxl, and pandas through it) or with a
placeholder 0 (XlsxWriter, pandas' writer when installed); Excel stores the results when it saves. Without a result
the cell would read as empty (or as 0), so the row is refused for that, by cell, instead of importing a blank or
being refused for a field that only looks missing."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from station.context import Station
from station.roster import store
from tests.cli import json_lines, run_cli

SHEET, BOOK = "xl/worksheets/sheet1.xml", "xl/workbook.xml"
SAVE = "请在 Excel 或 WPS 中打开文件并保存后再导入"


def write_roster(path: Path, rows: list[list[object]]) -> Path:
    """A workbook as openpyxl (and pandas through it) writes it: each formula kept, no result stored, and a request
    to calculate everything on opening."""
    book = openpyxl.Workbook()
    for row in [["学号", "姓名", "班级", "采集码", "备注"], *rows]:
        book.active.append(row)
    book.save(path)
    return path


def rewritten(path: Path, name: str, sheet: Callable[[str], str], keep_calculation_request: bool) -> Path:
    """A copy of the workbook with its sheet's XML changed, as another program would have written it."""
    with zipfile.ZipFile(path) as source:
        parts = {part: source.read(part) for part in source.namelist()}
    parts[SHEET] = sheet(parts[SHEET].decode("utf-8")).encode("utf-8")
    assert b'fullCalcOnLoad="1"' in parts[BOOK]
    if not keep_calculation_request:
        parts[BOOK] = parts[BOOK].replace(b' fullCalcOnLoad="1"', b"")
    with zipfile.ZipFile(path.with_name(name), "w") as target:
        for part, data in parts.items():
            target.writestr(part, data)
    return path.with_name(name)


def saved_by_excel(path: Path, results: dict[str, str]) -> Path:
    """After Excel calculated and saved it: each formula cell keeps its text result, and the request is gone."""
    def fill(xml: str) -> str:
        for cell, value in results.items():
            xml, found = re.subn(rf'<c r="{cell}"([^>]*)>(<f>.*?</f>)<v\s*/>',
                                 rf'<c r="{cell}"\1 t="str">\2<v>{value}</v>', xml)
            assert found == 1, cell
        return xml
    return rewritten(path, f"excel_{path.name}", fill, keep_calculation_request=False)


def as_xlsxwriter_writes(path: Path) -> Path:
    """XlsxWriter's way: every formula's stored result is a placeholder 0, and the request to calculate stays."""
    def zero(xml: str) -> str:
        return re.sub(r"(<f>.*?</f>)<v\s*/>", r"\1<v>0</v>", xml)
    return rewritten(path, f"xlsxwriter_{path.name}", zero, keep_calculation_request=True)


ROWS: list[list[object]] = [
    ["2021001", "张三", "软件2101", "CJM1", '=IF(A2="","缺学号","")'],  # a formula outside the columns read
    ['=TEXT(2021002,"0")', "李四", "软件2101", "CJM2", ""],  # the student number built by a formula
    ["2021003", '="王"&"五"', "软件2101", "CJM3", ""],  # the name joined from two cells
    ["2021004", "赵六", "软件2102", '=UPPER("cjm4")', ""],  # an optional column
    ["2021005", "钱七", "软件2102", '=IF(1>2,"X","")', ""],  # an empty result: Excel stores it as empty text
]
RESULTS = {"E2": "", "A3": "2021002", "B4": "王五", "D5": "CJM4", "D6": ""}


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])
def test_formulas_a_script_wrote_are_refused_by_cell(home: Path, tmp_path: Path, writer: str) -> None:
    path = write_roster(tmp_path / "名单.xlsx", ROWS)
    if writer == "xlsxwriter":
        path = as_xlsxwriter_writes(path)
    result = run_cli("roster", "import", str(path), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    [report] = json_lines(result)
    assert report["rejected"] == [
        # XlsxWriter's 0 is no number: the name says who the row is
        {"row": 3, "student_no": "", "name": "李四", "reason": f"单元格 A3 是未计算的公式：{SAVE}"},
        {"row": 4, "student_no": "2021003", "name": "", "reason": f"单元格 B4 是未计算的公式：{SAVE}"},
        {"row": 5, "student_no": "2021004", "name": "赵六", "reason": f"单元格 D5 是未计算的公式：{SAVE}"},
        {"row": 6, "student_no": "2021005", "name": "钱七", "reason": f"单元格 D6 是未计算的公式：{SAVE}"},
    ]
    assert report["imported"] == 1  # row 2: its formula is in a column the roster does not read
    english = json_lines(run_cli("--lang", "en", "roster", "import", str(path), "--json", home=home))[0]
    assert english["rejected"][0]["reason"] == ("Cell A3: a formula never calculated; open the file in Excel or WPS, "
                                                "save it, then import it")


def test_the_same_formulas_saved_by_excel_import_as_their_results(home: Path, tmp_path: Path) -> None:
    saved = saved_by_excel(write_roster(tmp_path / "名单.xlsx", ROWS), RESULTS)
    result = run_cli("roster", "import", str(saved), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    [report] = json_lines(result)
    assert (report["imported"], report["rejected"]) == (5, [])
    station = Station.open(home)
    try:
        assert store.get_student(station.db, "2021002").name == "李四"
        assert store.get_student(station.db, "2021003").name == "王五"
        assert store.get_student(station.db, "2021004").capture_code == "CJM4"
        assert store.get_student(station.db, "2021005").capture_code is None  # an empty result is an empty cell
    finally:
        station.close()


def test_a_roster_whose_every_row_has_an_uncalculated_formula_is_refused_whole(home: Path, tmp_path: Path) -> None:
    rows: list[list[object]] = [[f'=TEXT({2021000 + i},"0")', f"学生{i}", "软件2101", "", ""] for i in range(1, 4)]
    result = run_cli("roster", "import", str(write_roster(tmp_path / "r.xlsx", rows)), "--json", home=home)
    assert result.returncode == 2
    [error] = json_lines(result)
    assert error == {"error": "unreadable_roster", "message": f"名单的每一行都有未计算的公式（如单元格 A2）：{SAVE}"}
