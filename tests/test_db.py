"""The station database: WAL, versioned components, forward-only migrations."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from station.db import Migrations, migrate, open_db, register, schema_version
from station.errors import StationError
from tests.cli import run_cli


def test_a_fresh_database_is_in_wal_mode_with_every_component_versioned(tmp_path: Path) -> None:
    db = open_db(tmp_path / "station.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = dict(db.execute("SELECT component, version FROM schema_versions").fetchall())
    assert versions["roster"] >= 1 and versions["captures"] >= 1
    db.close()
    again = open_db(tmp_path / "station.db")  # opening again migrates nothing and loses nothing
    assert dict(again.execute("SELECT component, version FROM schema_versions").fetchall()) == versions


def test_new_steps_apply_forward_and_a_newer_database_is_refused(tmp_path: Path) -> None:
    db = open_db(tmp_path / "station.db")
    steps = [lambda d: d.execute("CREATE TABLE probe (x INTEGER)")]
    register(Migrations("probe_component", steps))
    try:
        migrate(db)
        assert schema_version(db, "probe_component") == 1
        steps.append(lambda d: d.execute("ALTER TABLE probe ADD COLUMN y TEXT"))
        migrate(db)
        assert schema_version(db, "probe_component") == 2
        assert [c[1] for c in db.execute("PRAGMA table_info(probe)")] == ["x", "y"]
        steps.pop()
        with pytest.raises(StationError, match="newer station"):
            migrate(db)
    finally:
        from station import db as db_module

        db_module._REGISTRY.pop("probe_component")


def test_a_failing_step_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    db = open_db(tmp_path / "station.db")

    def broken(d) -> None:
        d.execute("CREATE TABLE half_done (x INTEGER)")
        raise ValueError("boom")

    register(Migrations("broken_component", [broken]))
    try:
        with pytest.raises(ValueError):
            migrate(db)
        assert schema_version(db, "broken_component") == 0
        assert not db["half_done"].exists()
    finally:
        from station import db as db_module

        db_module._REGISTRY.pop("broken_component")


def test_a_damaged_database_is_named_in_a_message_not_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "station.db").write_bytes(b"this is not a database, whatever the name says" * 100)
    with pytest.raises(StationError, match="station.db"):
        open_db(home / "station.db")
    result = run_cli("--lang", "zh", "lookup", "2021010101", home=home)
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and "无法打开工作站数据库" in err and "station.db" in err
    assert "Traceback" not in err


def test_an_edited_schema_version_is_a_damaged_database(tmp_path: Path) -> None:
    open_db(tmp_path / "station.db").execute("UPDATE schema_versions SET version = 'two' WHERE component = 'roster'")
    with pytest.raises(StationError, match="schema_versions"):
        open_db(tmp_path / "station.db")


def test_connections_opening_a_new_database_at_once_all_open_it(tmp_path: Path) -> None:
    """The window and the upload worker may open a brand-new station.db together: both ask for WAL, and SQLite answered
    one of them "database is locked" at once, without waiting (a clean CI run failed test_watcher that way, about one
    start in forty here)."""
    for attempt in range(200):
        ready, failures = threading.Barrier(3), []

        def open_it(folder: Path = tmp_path / str(attempt)) -> None:
            ready.wait()
            try:
                open_db(folder / "station.db").conn.close()
            except StationError as exc:
                failures.append(exc)

        (tmp_path / str(attempt)).mkdir()
        openers = [threading.Thread(target=open_it) for _ in range(3)]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join()
        assert not failures, (attempt, failures)
