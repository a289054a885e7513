"""A roster import is an operator action: it is in the audit trail (file, counts, who), from the command line as
from the window; a file with a header and no students is said to be so, not taken as "0 added"."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.audit.trail import AuditTrail, entries, verify
from station.context import Station
from station.errors import StationError
from station.roster.importer import import_roster
from tests.cli import json_lines, run_cli
from tests.roster.test_import import write_csv, write_xlsx

HEADER = ["学号", "姓名", "班级"]


def test_a_header_without_students_is_said_so(station: Station, tmp_path: Path) -> None:
    blank = write_xlsx(tmp_path / "空模板.xlsx", [["序号", *HEADER], [1, None, None, None], [2, None, None, None]])
    with pytest.raises(StationError) as caught:
        import_roster(station.db, blank, audit=AuditTrail(station, "摄影师甲"))
    assert "只有表头，没有学生行" in caught.value.text.zh and "空模板.xlsx" in caught.value.text.zh
    assert "no student rows" in caught.value.text.en
    assert not [e for e in entries(station.db) if e.action == "roster"]  # nothing imported, nothing recorded


def test_the_command_line_refuses_a_header_only_file_as_an_unusable_roster(home: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "名单.csv", [HEADER], "gbk")
    result = run_cli("roster", "import", str(path), "--json", home=home)
    assert result.returncode == 2
    [error] = json_lines(result)
    assert error["error"] == "unreadable_roster" and "没有学生行" in error["message"]
    plain = run_cli("roster", "import", str(path), home=home)
    assert plain.returncode == 2 and "没有学生行" in plain.stderr.decode("utf-8")


def test_each_import_from_the_command_line_is_in_the_chain(home: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "计科名单.csv", [HEADER, ["2021001", "张三", "计科2101"],
                                                ["2021002", "", "计科2101"]], "utf-8")
    assert run_cli("roster", "import", str(path), "--json", home=home).returncode == 0
    write_csv(path, [HEADER, ["2021001", "张三", "计科2102"], ["2021003", "李四", "计科2101"]], "utf-8")
    assert run_cli("roster", "import", str(path), "--json", home=home).returncode == 0
    station = Station.open(home)
    try:
        first, second = [e for e in entries(station.db) if e.action == "roster"]
        assert first.detail == {"file": "计科名单.csv", "imported": 1, "updated": 0, "unchanged": 0, "rejected": 1}
        assert second.detail == {"file": "计科名单.csv", "imported": 1, "updated": 1, "unchanged": 0, "rejected": 0}
        assert first.operator  # the station's last photographer, else the computer account
        assert verify(station.db).ok
    finally:
        station.close()
