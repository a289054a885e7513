"""The station's log rotating while another program holds it open, as Windows refuses it (a log viewer following
station.log, an antivirus scan): the log cannot be moved aside then (emulated here, tests/storage/
test_atomic_windows.py). No record may be lost and no backup emptied; the rotation happens once it is let go."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from station.logs import StationLogHandler
from tests.storage.test_atomic_windows import WindowsHandles


def test_a_log_held_open_keeps_its_records_and_backups_and_rotates_when_let_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "station.log"
    backups = {n: log.with_name(f"station.log.{n}") for n in (1, 2, 3)}
    for n, backup in backups.items():
        backup.write_text(f"day {n}\n", encoding="utf-8")
    log.write_text("x" * 300 + "\n", encoding="utf-8")  # past maxBytes: the next record rotates
    handler = StationLogHandler(log, maxBytes=200, backupCount=3, encoding="utf-8")
    logger = logging.getLogger("tests.log_rotation")
    logger.propagate, logger.level = False, logging.INFO
    logger.addHandler(handler)
    windows = WindowsHandles(monkeypatch)
    try:
        windows.hold(log, None)
        for n in range(5):
            logger.info("record %d while held", n)
        windows.let_go(log)
        assert all(f"record {n} while held" in log.read_text(encoding="utf-8") for n in range(5))
        assert [b.read_text(encoding="utf-8") for b in backups.values()] == ["day 1\n", "day 2\n", "day 3\n"]
        logger.info("after")
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert "record 4 while held" in backups[1].read_text(encoding="utf-8")
    assert [backups[2].read_text(encoding="utf-8"), backups[3].read_text(encoding="utf-8")] == ["day 1\n", "day 2\n"]
    assert log.read_text(encoding="utf-8").endswith("after\n") and not log.with_name("station.log.rotating").exists()


def test_a_log_left_aside_by_a_crash_mid_rotation_is_put_back_at_the_next_start(tmp_path: Path) -> None:
    """Killed between the rotation's two renames, the day's log was left as station.log.rotating: the next start
    began an empty log beside it (its records out of every backup), and on Windows each later rotation was refused
    (a rename onto an existing name) and every record after it lost with a "Logging error"."""
    log = tmp_path / "station.log"
    log.with_name("station.log.rotating").write_text("before the crash\n", encoding="utf-8")
    handler = StationLogHandler(log, maxBytes=200, backupCount=3, encoding="utf-8")
    logger = logging.getLogger("tests.log_rotation.crash")
    logger.propagate, logger.level = False, logging.INFO
    logger.addHandler(handler)
    try:
        logger.info("after the start")
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert not log.with_name("station.log.rotating").exists()
    assert log.read_text(encoding="utf-8") == "before the crash\nafter the start\n"
