"""Roster files as registrars' offices and their tools really produce them: one sheet per class, stale Excel
ranges, ragged exports, Excel's text tricks, padded names, shifted columns and corrected re-imports."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from station.context import Station
from station.errors import StationError
from station.logs import log_file
from station.roster import store
from station.roster.importer import import_roster
from tests.cli import json_lines, run_cli
from tests.roster.test_import import write_csv, write_xlsx

HEADER = ["学号", "姓名", "班级", "身份证号", "采集码"]


def names(station: Station) -> dict[str, str]:
    return {r["student_no"]: r["name"] for r in station.db.query("SELECT student_no, name FROM students")}


def test_every_class_sheet_of_a_workbook_is_imported(station: Station, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    template = wb.active
    template.title = "模板"
    template.append(HEADER)  # an empty template sheet first
    first = wb.create_sheet("计科2101")
    first.append(HEADER)
    first.append(["2021001", "张三", "计科2101", "", "C1"])
    second = wb.create_sheet("软工2101")
    second.append(["软件工程2101班毕业生名单"])
    second.append(HEADER)
    second.append(["2021101", "李四", "软工2101", "", "C2"])
    second.append(["2021001", "张三", "软工2101", "", ""])  # the same student on two sheets
    wb.create_sheet("说明").append(["请按学号排序"])
    wb.save(tmp_path / "名单.xlsx")
    report = import_roster(station.db, tmp_path / "名单.xlsx")
    assert (report.imported, names(station)) == (2, {"2021001": "张三", "2021101": "李四"})
    [rejected] = report.rejected
    assert (rejected.row, rejected.sheet) == (4, "软工2101")
    assert rejected.to_json("zh")["reason"] == "工作表“软工2101”第 4 行: 学号与工作表“计科2101”第 2 行重复"


def test_a_stale_used_range_in_the_workbook_loses_no_row_or_column(station: Station, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [HEADER, *[[f"202100{i}", f"学生{i}", "计科2101", "", f"C{i}"]
                                                      for i in range(1, 4)]])
    with zipfile.ZipFile(path) as source:  # what some export tools write: a used range smaller than the data
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B2"', parts[sheet])
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert import_roster(station.db, path).imported == 3
    assert store.get_student(station.db, "2021003").capture_code == "C3"


@pytest.mark.parametrize("delimiter, encoding", [("\t", "utf-16"), (";", "utf-8"), ("\t", "gbk")])
def test_ragged_exports_without_trailing_empty_cells(station: Station, tmp_path: Path, delimiter: str,
                                                     encoding: str) -> None:
    rows = [["学号", "姓名", "班级", "采集码"], ["T1", "张三", "班1"], ["T2", "李四", "班1", "K2"], ["T3", "王五", "班1"]]
    report = import_roster(station.db, write_csv(tmp_path / "r.txt", rows, encoding, delimiter))
    assert (report.imported, report.rejected) == (3, [])
    assert store.get_student(station.db, "T2").capture_code == "K2"


def test_excel_text_tricks_invisible_characters_and_float_numbers(station: Station, tmp_path: Path) -> None:
    rows = [HEADER,
            ['="2021001"', "张三", "计科2101", '="11010519491231002X"', ""],
            ["2021002", "李四", "计科2101", "'110101200302111026", ""],
            ["2021003\u200b", "\ufeff王五", "计科2101", "", ""],
            ["202101010042.0", "赵六", "计科2101", "", ""],
            ["2.02101E+11", "钱七", "计科2101", "", ""]]
    report = import_roster(station.db, write_csv(tmp_path / "r.csv", rows, "utf-8"))
    assert report.imported == 4
    assert store.get_student(station.db, "2021001").id_number == "11010519491231002X"
    assert store.get_student(station.db, "2021002").id_number == "110101200302111026"
    assert store.get_student(station.db, "2021003").name == "王五"
    assert store.get_student(station.db, "202101010042").name == "赵六"
    [rejected] = report.rejected
    assert rejected.row == 6 and "科学计数法" in rejected.reason.zh


def test_padded_chinese_names_lose_the_padding_and_latin_names_keep_their_space(station: Station,
                                                                                 tmp_path: Path) -> None:
    rows = [["学号", "姓名", "专业班级", "性别"], ["1", "李　四　", "计科2101", "1"], ["2", "张\u00a0三丰", "计科2101", "2"],
            ["3", "John  Smith", "计科2101", ""], ["4", "阿依古丽·买买提", "计科2101", ""]]
    import_roster(station.db, write_csv(tmp_path / "r.csv", rows, "utf-8"))
    assert names(station) == {"1": "李四", "2": "张三丰", "3": "John Smith", "4": "阿依古丽·买买提"}
    assert (store.get_student(station.db, "1").gender, store.get_student(station.db, "2").gender) == ("男", "女")
    assert store.get_student(station.db, "1").class_name == "计科2101"


def test_a_capture_code_column_pasted_one_row_off_is_caught_and_can_be_corrected(station: Station,
                                                                                 tmp_path: Path) -> None:
    shifted = [HEADER, ["X001", "张三", "班1", "", "X002"], ["X002", "李四", "班1", "", ""]]
    report = import_roster(station.db, write_csv(tmp_path / "v1.csv", shifted, "utf-8"))
    assert [r.row for r in report.rejected] == [2] and "错位" in report.rejected[0].reason.zh
    assert store.find_by(station.db, "capture_code", "X002") == []
    codes = [HEADER, ["X001", "张三", "班1", "", "K1"], ["X002", "李四", "班1", "", "K2"]]
    import_roster(station.db, write_csv(tmp_path / "v2.csv", codes, "utf-8"))
    swapped = [HEADER, ["X001", "张三", "班1", "", "K2"], ["X002", "李四", "班1", "", "K1"]]
    report = import_roster(station.db, write_csv(tmp_path / "v3.csv", swapped, "utf-8"))
    assert (report.updated, report.rejected) == (2, [])
    assert (store.get_student(station.db, "X001").capture_code, store.get_student(station.db, "X002").capture_code) \
        == ("K2", "K1")


def test_a_code_taken_by_a_student_who_keeps_it_is_still_refused(station: Station, tmp_path: Path) -> None:
    import_roster(station.db, write_csv(tmp_path / "v1.csv", [HEADER, ["X001", "张三", "班1", "", "K1"]], "utf-8"))
    # X001 is in the file with a blank code (blank never erases), so K1 stays X001's
    rows = [HEADER, ["X001", "张三", "班1", "", ""], ["X002", "李四", "班1", "", "K1"]]
    report = import_roster(station.db, write_csv(tmp_path / "v2.csv", rows, "utf-8"))
    assert [(r.row, r.reason.zh) for r in report.rejected] == [(3, "采集码已属于学号 X001 的学生")]
    assert store.get_student(station.db, "X001").capture_code == "K1"


def test_one_id_number_on_two_students_is_refused(station: Station, tmp_path: Path) -> None:
    rows = [HEADER, ["A1", "张三", "班1", "11010519491231002X", ""], ["A2", "李四", "班1", "11010519491231002X", ""]]
    report = import_roster(station.db, write_csv(tmp_path / "v1.csv", rows, "utf-8"))
    assert [(r.row, r.reason.zh) for r in report.rejected] == [(3, "证件号码与第 2 行重复")]
    later = [HEADER, ["A3", "王五", "班1", "11010519491231002X", ""]]
    report = import_roster(station.db, write_csv(tmp_path / "v2.csv", later, "utf-8"))
    assert [r.reason.zh for r in report.rejected] == ["证件号码已属于学号 A1 的学生"]


def test_files_that_are_not_rosters_say_what_they_are(station: Station, tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, ["1", "张三", "班1", "", ""]])
    with zipfile.ZipFile(good) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet][: len(parts[sheet]) // 2]  # a damaged download
    with zipfile.ZipFile(tmp_path / "damaged.xlsx", "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))  # .xls renamed
    (tmp_path / "empty.csv").write_bytes(b"\r\n")
    (tmp_path / "folder.csv").mkdir()
    expected = {"damaged.xlsx": "已损坏", "old.xlsx": ".xls", "empty.csv": "是空的", "folder.csv": "文件夹"}
    for name, words in expected.items():
        with pytest.raises(StationError) as caught:
            import_roster(station.db, tmp_path / name)
        assert words in caught.value.text.zh, name


def test_cli_reports_a_damaged_workbook_without_a_traceback(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as target:
        target.writestr("[Content_Types].xml", b"<Types")
        target.writestr("xl/workbook.xml", b"<notxml")
    result = run_cli("roster", "import", str(path), "--json", home=home)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr.decode("utf-8") and "无法读取名单文件" in result.stderr.decode("utf-8")
    [error] = json_lines(result)
    assert error["error"] == "unreadable_roster" and "damaged.xlsx" in error["message"]
    assert error["message"] == ("无法读取名单文件 damaged.xlsx：文件已损坏，或不是 Excel、CSV 表格。请在 Excel 或 WPS 中打开它，"
                                "另存为 .xlsx 后再导入")  # the XML parser's "unclosed token: line 1" went after a colon
    assert "unclosed token" in log_file(home).read_text(encoding="utf-8")


def test_codes_and_numbers_that_a_caps_lock_scanner_would_confuse_are_refused(station: Station,
                                                                              tmp_path: Path) -> None:
    rows = [HEADER, ["S1", "甲", "班1", "", "s2"], ["S2", "乙", "班1", "", ""], ["D1", "丙", "班1", "", "K1"],
            ["D7", "丁", "班1", "", "k1"]]
    report = import_roster(station.db, write_csv(tmp_path / "a.csv", rows, "utf-8"))
    assert [(r.row, r.reason.zh) for r in report.rejected] == [
        (2, "采集码“s2”是另一名学生的学号（采集码列可能错位了）"), (5, "采集码与第 4 行重复")]
    # one class at a time: the next file's student number is an earlier student's capture code
    report = import_roster(station.db, write_csv(tmp_path / "b.csv", [HEADER, ["k1", "戊", "班2", "", ""]], "utf-8"))
    assert [r.reason.zh for r in report.rejected] == ["学号是学号 D1 的学生的采集码（采集码列可能错位了）"]


def test_an_id_number_in_the_capture_code_column_is_refused(station: Station, tmp_path: Path) -> None:
    rows = [HEADER, ["Y1", "甲", "班1", "11010519491231002X", "11010519491231002X"]]
    report = import_roster(station.db, write_csv(tmp_path / "a.csv", rows, "utf-8"))
    assert [r.reason.zh for r in report.rejected] == ["采集码是一个证件号码（采集码列可能错位了）"]


def test_template_examples_hidden_sheets_and_stray_marks(station: Station, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(HEADER)
    sheet.append(["2021XXXXXXXX", "张三（示例）", "计科2101（示例）", "", ""])
    sheet.append(["Z5\u200e", "𠮷　田", "计科2101", "", ""])
    sheet.append(["Z6", "'t Hooft", "计科2101", "", ""])
    old = wb.create_sheet("旧名单")
    old.append(HEADER)
    old.append(["V99", "已退学", "计科2101", "", ""])
    old.sheet_state = "hidden"
    wb.save(tmp_path / "r.xlsx")
    report = import_roster(station.db, tmp_path / "r.xlsx")
    assert names(station) == {"Z5": "𠮷田", "Z6": "'t Hooft"}
    assert [(r.row, r.reason.zh) for r in report.rejected] == [(2, "这是填写示例，未导入")]


def test_a_workbook_missing_a_sheet_is_refused_not_half_imported(station: Station, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append(["1", "甲", "班1", "", ""])
    wb.create_sheet("班2").append(HEADER)
    wb.save(tmp_path / "whole.xlsx")
    with zipfile.ZipFile(tmp_path / "whole.xlsx") as source, zipfile.ZipFile(tmp_path / "half.xlsx", "w") as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet2.xml":
                target.writestr(item, source.read(item.filename))
    with pytest.raises(StationError) as caught:
        import_roster(station.db, tmp_path / "half.xlsx")
    assert "已损坏" in caught.value.text.zh and names(station) == {}


def test_cli_json_error_for_a_file_name_that_is_not_utf8(home: Path, tmp_path: Path) -> None:
    import os

    result = run_cli("roster", "import", os.fsdecode(os.fsencode(str(tmp_path)) + b"/missing\xff.csv"), "--json",
                     home=home)
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    [error] = json_lines(result)
    assert error["error"] == "unreadable_roster" and "missing\ufffd.csv" in error["message"]


def test_a_student_number_written_in_another_case_is_not_a_second_student(station: Station, tmp_path: Path) -> None:
    import_roster(station.db, write_csv(tmp_path / "a.csv", [HEADER, ["CS2021001", "张三", "班1", "", "K1"]], "utf-8"))
    report = import_roster(station.db, write_csv(tmp_path / "b.csv", [HEADER, ["cs2021001", "张三", "班1", "", "K2"]],
                                                 "utf-8"))
    assert [r.reason.zh for r in report.rejected] == ["学号与已导入的学号 CS2021001 只差大小写，请统一写法"]
    assert names(station) == {"CS2021001": "张三"}


def test_two_imports_at_once_never_break_a_uniqueness_rule(station: Station, tmp_path: Path) -> None:
    import threading

    files = [write_csv(tmp_path / f"{side}.csv", [HEADER] + [[f"{side}{i:04d}", "某", "班1", "", f"K{i:04d}"]
                                                            for i in range(1500)], "utf-8") for side in "AB"]
    start, outcomes = threading.Barrier(2), []

    def run(path: Path) -> None:
        other = Station.open(station.home)  # a second window or the command line: its own connection
        start.wait()
        try:
            outcomes.append(import_roster(other.db, path))
        except Exception as exc:  # noqa: BLE001  (the test reports it)
            outcomes.append(exc)
        finally:
            other.close()

    threads = [threading.Thread(target=run, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    assert sorted(o.imported for o in outcomes) == [0, 1500]  # whoever came second finds every code taken


def test_a_two_row_header_with_merged_cells_is_read(home: Path, tmp_path: Path) -> None:
    """学号 and 姓名 merged down over two header rows, 性别 and 班级 under a merged 基本信息, a merged title above."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["2021届毕业生名单"])
    sheet.merge_cells("A1:D1")
    sheet.append(["学号", "姓名", "基本信息", None])
    sheet.append([None, None, "性别", "班级"])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:D2")
    sheet.append(["2021001", "张三", "男", "计科2101"])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    result = run_cli("roster", "import", str(path), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    assert json_lines(result) == [{"imported": 1, "updated": 0, "unchanged": 0, "rejected": [],
                                   "photographed_changed": [], "references_changed": [], "classes_respelled": {}}]
    found = json_lines(run_cli("lookup", "2021001", "--json", home=home))[0]
    assert (found["name"], found["gender"], found["class"]) == ("张三", "男", "计科2101")


def test_a_student_number_that_is_another_students_id_number_is_refused(home: Path, tmp_path: Path) -> None:
    """Student numbers and ID numbers are different things: one equal to another student's 身份证号 is the ID column
    pasted into the number's (the lookup could not say whom a scan of it means); one's own is left alone."""
    from station.roster.idnumber import check_digit

    other = "11010520000101123" + check_digit("11010520000101123")
    rows = [HEADER, ["11010519491231002X", "甲", "班1", "", ""], ["2021002", "乙", "班1", "11010519491231002X", ""],
            [other, "丙", "班1", other, ""]]
    said = json_lines(run_cli("roster", "import", str(write_csv(tmp_path / "a.csv", rows, "utf-8")), "--json",
                              home=home))[0]
    assert said["imported"] == 2 and said["rejected"] == [
        {"row": 2, "student_no": "11010519491231002X", "name": "甲",
         "reason": "学号是学号 2021002 的学生的证件号码（学号列可能填成了身份证号）"}]
    # a later file whose student number is the ID number of a student imported already, in lower case
    path = write_xlsx(tmp_path / "b.xlsx", [HEADER, ["11010519491231002x", "丁", "班2", "", ""]])
    said = json_lines(run_cli("--lang", "en", "roster", "import", str(path), "--json", home=home))[0]
    assert said["imported"] == 0 and said["rejected"] == [
        {"row": 2, "student_no": "11010519491231002x", "name": "丁",
         "reason": "The student number is student 2021002's ID number (does the student number column hold ID "
                   "numbers?)"}]
