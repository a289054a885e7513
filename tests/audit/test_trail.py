"""The audit trail on a real station database: entries chained by SHA-256; an entry edited, deleted from the
middle or the end, or a head set back with sqlite3 behind the station's back is found and named."""

from __future__ import annotations

import csv
import json
from datetime import datetime
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from station.audit.export import export_audit
from station.audit.trail import GENESIS, Action, AuditTrail, entries, verify
from station.context import Station
from station.errors import StationError
from ui.launcher import main


@pytest.fixture
def station(home: Path):
    station = Station.open(home, "zh")
    yield station
    station.close()


def five_entries(station: Station) -> None:
    trail = AuditTrail(station, "摄影师甲")
    trail.record(Action.SIGN_IN)
    trail.record(Action.IDENTIFY, "2024001", outcome="found")
    trail.record(Action.OVERRIDE, "2024001", reason="已目视确认，系统误报", checks=["glasses"])
    trail.record(Action.ACCEPT, "2024001", version=1)
    trail.record(Action.ABSENT, "2024002")


def tamper(home: Path, statement: str) -> None:
    with sqlite3.connect(home / "station.db") as conn:
        conn.execute(statement)


def test_each_entry_names_the_hash_of_the_one_before(station: Station) -> None:
    five_entries(station)
    log = entries(station.db)
    assert [e.seq for e in log] == [1, 2, 3, 4, 5] and log[0].prev_sha256 == GENESIS
    assert all(later.prev_sha256 == earlier.digest() == earlier.sha256 for earlier, later in zip(log, log[1:]))
    assert log[2].operator == "摄影师甲" and log[2].station_id.startswith("unlinked@")
    assert log[2].detail == {"reason": "已目视确认，系统误报", "checks": ["glasses"]}
    assert verify(station.db).ok and verify(station.db).entries == 5


@pytest.mark.parametrize(("statement", "first_bad"), [
    ("UPDATE audit_log SET detail = '{\"reason\":\"学生要求\"}' WHERE seq = 3", 3),  # an override's reason rewritten
    ("UPDATE audit_log SET operator = '摄影师乙' WHERE seq = 5", 5),  # the last entry
    ("DELETE FROM audit_log WHERE seq = 2", 2),  # an identification removed
    ("DELETE FROM audit_log WHERE seq >= 4", 4),  # the end cut off
    ("UPDATE audit_head SET seq = 3", 4),  # the head set back
    ("UPDATE audit_log SET prev_sha256 = sha256 WHERE seq = 1", 1),
])
def test_an_edited_or_deleted_entry_is_found_and_named(station: Station, home: Path, statement: str,
                                                      first_bad: int) -> None:
    five_entries(station)
    tamper(home, statement)
    result = verify(station.db)
    assert not result.ok and result.first_bad == first_bad
    assert str(first_bad) in result.problem.zh and "篡改" in result.summary().zh


@pytest.mark.parametrize("seq", [3, 5])  # in the middle: the next link breaks; the last: the head no longer matches
def test_an_edit_with_its_own_hash_recomputed_is_still_found(station: Station, home: Path, seq: int) -> None:
    five_entries(station)
    forged = entries(station.db)[seq - 1]
    forged = type(forged)(**{**forged.__dict__, "detail": {"reason": "学生要求"}, "sha256": ""})
    tamper(home, f"UPDATE audit_log SET detail = '{json.dumps(forged.detail, ensure_ascii=False)}', "
                 f"sha256 = '{forged.digest()}' WHERE seq = {seq}")
    result = verify(station.db)
    assert not result.ok and result.first_bad == seq


def test_the_command_says_intact_or_names_the_first_bad_entry(station: Station, home: Path, capsys) -> None:
    five_entries(station)
    assert main(["audit", "--verify", "--json", "--home", str(home)]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "entries": 5, "first_bad": None,
                                                    "message": "审计日志完整：5 条记录，哈希链无断裂"}
    tamper(home, "UPDATE audit_log SET student_no = '2024009' WHERE seq = 2")
    assert main(["audit", "--verify", "--home", str(home), "--lang", "en"]) == 1
    assert "Entry 2 was changed" in capsys.readouterr().out


def test_the_log_exports_to_csv_and_xlsx_with_its_hashes(station: Station, home: Path, tmp_path: Path, capsys) -> None:
    five_entries(station)
    assert main(["audit", "--export", str(tmp_path / "audit.csv"), "--home", str(home), "--operator", "管理员"]) == 0
    with open(tmp_path / "audit.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["action"] for r in rows] == ["sign_in", "identify", "override", "accept", "absent"]
    assert json.loads(rows[2]["detail"])["reason"] == "已目视确认，系统误报"
    assert rows[1]["prev_sha256"] == rows[0]["sha256"]
    # the laptop's time says its date, second and clock: '11-25 00:51' could not be matched to at_utc, nor read later
    local = datetime.fromisoformat(rows[0]["local_time"])
    assert local.utcoffset() is not None and local == datetime.fromisoformat(rows[0]["at_utc"]).replace(microsecond=0)
    assert export_audit(station.db, tmp_path / "audit.xlsx") == 6  # the csv export itself was recorded
    sheet = openpyxl.load_workbook(tmp_path / "audit.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:6] == ("seq", "at_utc", "local_time", "station_id", "operator", "action")
    assert values[6][4:6] == ("管理员", "export") and len(values) == 7
    with pytest.raises(StationError):
        export_audit(station.db, tmp_path / "audit.pdf")
    assert main(["audit", "--export", str(tmp_path / "audit.txt"), "--home", str(home)]) == 2
    assert "xlsx" in capsys.readouterr().err


def test_a_change_of_the_server_link_is_recorded_without_the_token(station: Station, home: Path, capsys) -> None:
    assert main(["server-config", "--station-id", "ST-07", "--token", "s3cret-token", "--home", str(home)]) == 0
    [entry] = entries(station.db)
    assert (entry.action, entry.station_id, entry.detail) == ("settings", "ST-07",
                                                              {"setting": "server_link", "changed": ["station_id", "token"]})
    assert "s3cret" not in json.dumps(entry.detail)
    assert main(["server-config", "--home", str(home)]) == 0  # only shown: nothing recorded
    assert len(entries(station.db)) == 1


def test_a_recorded_line_survives_the_station_dying_at_once_and_full_flushes_stay_the_rule(home: Path) -> None:
    """Audit lines are written without waiting for the disk (the shutter records from the UI thread); a process
    that dies right after still leaves them, chained, and every other commit still waits for the disk."""
    script = ("import os, sys; from pathlib import Path; from station.context import Station; "
              "from station.audit.trail import Action, AuditTrail; "
              "s = Station.open(Path(sys.argv[1]), 'zh'); t = AuditTrail(s, '摄影师甲'); "
              "[t.record(Action.SHUTTER, '2024001', frame_id=i) for i in range(3)]; "
              "assert s.db.execute('PRAGMA synchronous').fetchone()[0] == 2; os._exit(9)")
    died = subprocess.run([sys.executable, "-c", script, str(home)], capture_output=True, text=True)
    assert died.returncode == 9, died.stderr
    station = Station.open(home, "zh")
    try:
        assert [e.detail["frame_id"] for e in entries(station.db)] == [0, 1, 2]
        assert verify(station.db).ok
    finally:
        station.close()
