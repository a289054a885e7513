"""Roster files as schools really send them, through the real importer and a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from station.context import Station
from station.errors import StationError
from station.roster import store
from station.roster.importer import import_roster
from tests.cli import json_lines, run_cli

HEADER_ZH = ["学号", "姓名", "性别", "身份证号", "学院", "专业名称", "班级", "层次", "采集码"]
GOOD = [
    ["2021001", "张三", "男", "11010519491231002X", "计算机学院", "软件工程", "软件2101", "本科", "CJM0001"],
    ["2021002", "欧阳娜娜", "女", "", "计算机学院", "软件工程", "软件2101", "本科", "CJM0002"],
    ["2021003", "李四", "男", "110105491231002", "计算机学院", "软件工程", "软件2102", "本科", ""],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str, delimiter: str = ",") -> Path:
    text = "\r\n".join(delimiter.join(r) for r in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], title: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])  # schools put a title line above the header
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_chinese_excel_writes(station: Station, tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "roster.csv", [HEADER_ZH, *GOOD], encoding)
    report = import_roster(station.db, path)
    assert (report.imported, report.rejected) == (3, [])
    assert store.get_student(station.db, "2021002").name == "欧阳娜娜"


def test_utf16_tab_separated_unicode_text_export(station: Station, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.txt", [HEADER_ZH, *GOOD], "utf-16", delimiter="\t")
    assert import_roster(station.db, path).imported == 3


def test_xlsx_with_title_line_numbers_and_english_headers(station: Station, tmp_path: Path) -> None:
    rows: list[list[object]] = [["Student No.", "Name", "Class", "ID Number", "Major"],
                                [2021001, "Zhang San", "SE2101", "11010519491231002X", "Software"],
                                [2021002, "Li Si", "SE2101", None, "Software"]]
    path = write_xlsx(tmp_path / "roster.xlsx", rows, title="2025届毕业生名单")
    report = import_roster(station.db, path)
    assert report.imported == 2
    student = store.get_student(station.db, "2021001")  # an int cell reads back without ".0"
    assert (student.class_name, student.id_number, student.major) == ("SE2101", "11010519491231002X", "Software")


def test_header_aliases_and_fullwidth_cells(station: Station, tmp_path: Path) -> None:
    rows = [["*学号（必填）", "学生姓名", "行政班", "证件号码", "院系", "专业", "培养层次", "图像采集码"],
            ["２０２１００９", " 王 五 ", "软件2101", "11010519491231002x", "计算机学院", "软件工程", "本科", "CJM0009"]]
    report = import_roster(station.db, write_csv(tmp_path / "r.csv", rows, "gbk"))
    assert report.imported == 1
    s = store.get_student(station.db, "2021009")
    assert (s.name, s.id_number, s.capture_code, s.college, s.level) == ("王五", "11010519491231002X", "CJM0009", "计算机学院", "本科")


def test_control_characters_never_reach_the_roster(station: Station, tmp_path: Path) -> None:
    rows = [["学号", "姓名", "班级", "专业"], ["2021010", "赵\x07六\x1b[31m", "软件2101", '"软件\n工程"']]  # Alt+Enter, quoted
    assert import_roster(station.db, write_csv(tmp_path / "r.csv", rows, "utf-8")).imported == 1
    s = store.get_student(station.db, "2021010")
    assert not any(ord(c) < 32 or ord(c) == 127 for c in s.name + s.major)
    assert s.name.startswith("赵") and "六" in s.name and s.major == "软件 工程"


def test_bad_rows_are_named_and_good_rows_still_land(station: Station, tmp_path: Path) -> None:
    rows = [HEADER_ZH, *GOOD,
            ["2021004", "", "男", "", "", "", "软件2101", "", ""],                 # row 5: no name
            ["2021005", "赵六", "男", "110105194912310021", "", "", "软件2101", "", ""],  # row 6: check digit
            ["2021006", "钱七", "女", "110105199902291234", "", "", "软件2101", "", ""],  # row 7: 29 Feb 1999
            ["2021001", "张三三", "男", "", "", "", "软件2101", "", ""],            # row 8: duplicate number
            ["2021007", "孙八", "男", "", "", "", "软件2101", "", "CJM0002"],       # row 9: duplicate code
            ["", "无学号", "男", "", "", "", "软件2101", "", ""],                    # row 10: no number
            ["2021008", "周九", "女", "", "", "", "", "", ""],                       # row 11: no class
            ["", "", "", "", "", "", "", "", ""]]                                    # blank line: ignored
    report = import_roster(station.db, write_csv(tmp_path / "r.csv", rows, "gbk"))
    rejected = {r.row: (r.student_no, r.reason.zh) for r in report.rejected}
    assert report.imported == 3
    assert sorted(rejected) == [5, 6, 7, 8, 9, 10, 11]
    assert "姓名" in rejected[5][1]
    assert "校验位" in rejected[6][1]
    assert "出生日期" in rejected[7][1]
    assert rejected[8] == ("2021001", "学号与第 2 行重复")
    assert "采集码" in rejected[9][1] and "3" in rejected[9][1]
    assert "学号" in rejected[10][1]
    assert "班级" in rejected[11][1]
    assert store.get_student(station.db, "2021001").name == "张三"


def test_reimport_updates_adds_and_keeps_captures(station: Station, tmp_path: Path) -> None:
    import_roster(station.db, write_csv(tmp_path / "v1.csv", [HEADER_ZH, *GOOD], "utf-8"))
    with station.db.conn:
        station.db.execute("INSERT INTO captures(student_no, version, captured_at, operator) "
                           "VALUES ('2021001', 1, '2026-11-24T09:00:00', '摄影师')")
    changed = [list(r) for r in GOOD]
    changed[1][6] = "软件2102"  # moved class
    changed.append(["2021010", "新同学", "女", "", "", "", "软件2102", "", ""])
    report = import_roster(station.db, write_csv(tmp_path / "v2.csv", [HEADER_ZH, *changed], "utf-8"))
    assert (report.imported, report.updated, report.unchanged) == (1, 1, 2)
    assert store.get_student(station.db, "2021002").class_name == "软件2102"
    assert station.db.execute("SELECT COUNT(*) FROM captures WHERE student_no='2021001'").fetchone()[0] == 1
    # a file without the capture-code column does not erase codes already known
    partial = [["学号", "姓名", "班级"], ["2021001", "张三", "软件2101"]]
    assert import_roster(station.db, write_csv(tmp_path / "v3.csv", partial, "utf-8")).unchanged == 1
    assert store.get_student(station.db, "2021001").capture_code == "CJM0001"


def test_capture_code_of_another_student_in_the_database_is_refused(station: Station, tmp_path: Path) -> None:
    import_roster(station.db, write_csv(tmp_path / "a.csv", [HEADER_ZH, *GOOD], "utf-8"))
    rows = [["学号", "姓名", "班级", "采集码"], ["2021020", "新人", "软件2101", "CJM0001"]]
    report = import_roster(station.db, write_csv(tmp_path / "b.csv", rows, "utf-8"))
    assert report.imported == 0 and "2021001" in report.rejected[0].reason.zh


def test_passport_holders_are_not_checked_as_resident_ids(station: Station, tmp_path: Path) -> None:
    rows = [["学号", "姓名", "班级", "证件类型", "证件号码"],
            ["2021030", "陈港生", "软件2101", "港澳居民来往内地通行证", "H12345678"],
            ["2021031", "林一", "软件2101", "居民身份证", "H12345678"]]
    report = import_roster(station.db, write_csv(tmp_path / "r.csv", rows, "utf-8"))
    assert report.imported == 1 and report.rejected[0].row == 3


@pytest.mark.parametrize("content, suffix", [(b"", ".csv"), (b"just,some,words\n1,2,3\n", ".csv"),
                                             (b"PK\x03\x04garbage", ".xlsx"), (b"\xd0\xcf\x11\xe0", ".xls")])
def test_unusable_files_raise_a_clear_error(station: Station, tmp_path: Path, content: bytes, suffix: str) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(StationError) as caught:
        import_roster(station.db, path)
    assert caught.value.text.zh


def test_a_csv_in_no_known_encoding_says_how_to_save_it(station: Station, tmp_path: Path) -> None:
    """Seen on the walk: 无法识别文件编码（支持 UTF-8、GBK/GB18030、UTF-16） said what the station reads, not what
    to do with the file in hand."""
    path = tmp_path / "名单.csv"
    path.write_bytes("学号,姓名\n2021001,张三\n".encode() + b"\xff\xfe\x81")  # neither UTF-8 nor GB18030
    with pytest.raises(StationError) as caught:
        import_roster(station.db, path)
    assert "另存为 .xlsx" in caught.value.text.zh and "save it as .xlsx" in caught.value.text.en


def test_a_utf16_csv_cut_short_is_said_to_be_cut_short(station: Station, tmp_path: Path) -> None:
    """Excel's "Unicode text" copied only in part: the message was Python's codec error ('utf-16-le' codec can't
    decode byte 0x0a ...: truncated data); `verify --pairs`, which reads text the same way, ended in a traceback."""
    path = tmp_path / "名单.txt"
    path.write_bytes("学号\t姓名\t班级\n2021001\t张三\t计科2101\n".encode("utf-16")[:-1])
    with pytest.raises(StationError) as caught:
        import_roster(station.db, path)
    assert "不完整" in caught.value.text.zh and "cut short" in caught.value.text.en


def test_cli_json_contract(home: Path, tmp_path: Path) -> None:
    rows = [HEADER_ZH, *GOOD, ["2021005", "赵六", "男", "110105194912310021", "", "", "软件2101", "", ""]]
    path = write_csv(tmp_path / "名单.csv", rows, "gbk")
    result = run_cli("roster", "import", str(path), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    [report] = json_lines(result)
    assert set(report) == {"imported", "updated", "unchanged", "rejected", "photographed_changed",
                           "references_changed", "classes_respelled"}
    assert (report["imported"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert report["rejected"] == [{"row": 5, "student_no": "2021005", "name": "赵六",
                                   "reason": "身份证号校验位错误（可能有数字录错）"}]
    again = json_lines(run_cli("roster", "import", str(path), "--json", home=home))[0]
    assert (again["imported"], again["unchanged"]) == (0, 3)
    said = run_cli("roster", "import", str(path), "--lang", "en", home=home).stdout.decode("utf-8")
    assert said.splitlines()[0] == "0 added, 0 updated, 3 unchanged, 1 row rejected"  # not "1 rows rejected"
    assert said.splitlines()[1] == "  row 5 2021005 赵六: ID number check digit is wrong (a digit was probably mistyped)"


def test_cli_refuses_an_unreadable_file_with_a_message(home: Path, tmp_path: Path) -> None:
    result = run_cli("roster", "import", str(tmp_path / "missing.xlsx"), "--json", home=home)
    assert result.returncode != 0
    assert "找不到文件" in result.stderr.decode("utf-8")


def test_home_and_lang_work_before_or_after_the_command(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [HEADER_ZH, *GOOD], "utf-8")
    before, after = tmp_path / "before", tmp_path / "after"
    result = run_cli("--home", str(before), "--lang", "en", "roster", "import", str(path))
    assert result.returncode == 0 and "3 added" in result.stdout.decode()
    assert run_cli("roster", "import", str(path), "--home", str(after)).returncode == 0
    assert (before / "station.db").exists() and (after / "station.db").exists()
