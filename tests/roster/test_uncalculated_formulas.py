"""Formulas in a roster workbook: a script (openpyxl, pandas) writes them without results, Excel and WPS store the
results when they save. Without a result the cell reads as empty, so the row is refused for that, by cell, instead
of importing a blank or being refused for a field that only looks missing."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from station.context import Station
from station.roster import store
from tests.cli import json_lines, run_cli

SHEET = "xl/worksheets/sheet1.xml"
SAVE = "请在 Excel 或 WPS 中打开文件并保存后再导入"


def write_roster(path: Path, rows: list[list[object]]) -> Path:
    """A workbook as openpyxl (and pandas through it) writes it: each formula kept, no result stored."""
    book = openpyxl.Workbook()
    for row in [["学号", "姓名", "班级", "采集码", "备注"], *rows]:
        book.active.append(row)
    book.save(path)
    return path


def saved_by_excel(path: Path, results: dict[str, str]) -> Path:
    """The same workbook after Excel calculated and saved it: each formula cell keeps its text result."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts[SHEET].decode("utf-8")
    for cell, value in results.items():
        xml, found = re.subn(rf'<c r="{cell}"([^>]*)>(<f>.*?</f>)<v\s*/>', rf'<c r="{cell}"\1 t="str">\2<v>{value}</v>',
                             xml)
        assert found == 1, cell
    parts[SHEET] = xml.encode("utf-8")
    saved = path.with_name(f"saved_{path.name}")
    with zipfile.ZipFile(saved, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return saved


ROWS: list[list[object]] = [
    ["2021001", "张三", "软件2101", "CJM1", '=IF(A2="","缺学号","")'],  # a formula outside the columns read
    ['=TEXT(2021002,"0")', "李四", "软件2101", "CJM2", ""],  # the student number built by a formula
    ["2021003", '="王"&"五"', "软件2101", "CJM3", ""],  # the name joined from two cells
    ["2021004", "赵六", "软件2102", '=UPPER("cjm4")', ""],  # an optional column
    ["2021005", "钱七", "软件2102", '=IF(1>2,"X","")', ""],  # an empty result: Excel stores it as empty text
]
RESULTS = {"E2": "", "A3": "2021002", "B4": "王五", "D5": "CJM4", "D6": ""}


def test_a_scripts_formulas_are_refused_by_cell_and_the_same_file_saved_by_excel_imports(home: Path,
                                                                                        tmp_path: Path) -> None:
    written = write_roster(tmp_path / "名单.xlsx", ROWS)
    result = run_cli("roster", "import", str(written), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    [report] = json_lines(result)
    assert report["rejected"] == [
        {"row": 3, "student_no": "", "reason": f"单元格 A3 是未计算的公式：{SAVE}"},
        {"row": 4, "student_no": "2021003", "reason": f"单元格 B4 是未计算的公式：{SAVE}"},
        {"row": 5, "student_no": "2021004", "reason": f"单元格 D5 是未计算的公式：{SAVE}"},
        {"row": 6, "student_no": "2021005", "reason": f"单元格 D6 是未计算的公式：{SAVE}"},
    ]
    assert report["imported"] == 1  # row 2: its formula is in a column the roster does not read
    english = json_lines(run_cli("--lang", "en", "roster", "import", str(written), "--json", home=home))[0]
    assert english["rejected"][0]["reason"] == ("Cell A3: a formula never calculated; open the file in Excel or WPS, "
                                                "save it, then import it")

    saved = json_lines(run_cli("roster", "import", str(saved_by_excel(written, RESULTS)), "--json", home=home))[0]
    assert (saved["imported"], saved["unchanged"], saved["rejected"]) == (4, 1, [])
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
