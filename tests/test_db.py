"""The station database: WAL, versioned components, forward-only migrations."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from station.audit.trail import Action, AuditTrail, verify
from station.db import Migrations, WriteRefused, migrate, open_db, register, schema_version
from station.errors import StationError
from station.fees.ledger import Method, fee_status, pay, refund
from station.logs import log_file
from station.paths import database_path
from station.roster.importer import import_roster
from station.roster.store import set_absent
from tests.cli import SCRIPT, as_a_user


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
        with pytest.raises(StationError, match="newer station program"):
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


def _lookup_says(home: Path, *prefix: str) -> tuple[str, str]:
    """What `lookup` (any command opens the database) says on stderr, in Chinese, and the station log after it."""
    result = subprocess.run([*prefix, str(SCRIPT), "--lang", "zh", "lookup", "2021010101", "--home", str(home)],
                            capture_output=True, timeout=120)
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and "Traceback" not in err, err
    return err, log_file(home).read_text(encoding="utf-8") if log_file(home).exists() else ""


def test_a_file_that_is_no_database_is_said_in_words_and_sqlite_s_in_the_log(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "station.db").write_bytes(b"this is not a database, whatever the name says" * 100)
    with pytest.raises(StationError, match="station.db"):
        open_db(home / "station.db")
    err, logged = _lookup_says(home)
    assert "数据库文件" in err and "不是工作站的数据库" in err and "联系技术支持" in err and "station.db" in err
    assert "file is not a database" not in err and "file is not a database" in logged


def test_a_damaged_database_says_so(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = open_db(home / "station.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    whole = (home / "station.db").read_bytes()
    (home / "station.db").write_bytes(whole[:len(whole) // 3])  # cut short, as a copy that stopped half-way
    err, logged = _lookup_says(home)
    assert "已损坏" in err and "联系技术支持" in err and "malformed" not in err and "malformed" in logged


def test_a_folder_named_as_the_database_is_said_to_be_one(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "station.db").mkdir(parents=True)
    err, logged = _lookup_says(home)
    assert "station.db 是一个文件夹" in err and "unable to open" not in err and "unable to open" in logged


def home_made(home: Path) -> Path:
    home.mkdir(parents=True)
    return home


def test_a_database_in_a_read_only_folder_says_to_check_its_permissions(tmp_path: Path) -> None:
    """Said in words, with SQLite's in the log; a folder where not even the log can be written says the words alone
    (the log's own failure and SQLite's were printed in English above them)."""
    prefix = as_a_user()
    home = tmp_path / "home"
    open_db(database_path(home_made(home))).conn.close()
    log_file(home).parent.mkdir()  # the log stays writable: the folder is read-only, its logs/ is not
    home.chmod(0o555)
    try:
        err, logged = _lookup_says(home, *prefix)
        log_file(home).unlink()
        log_file(home).parent.chmod(0o555)
        alone, _ = _lookup_says(home, *prefix)
    finally:
        home.chmod(0o755)
        log_file(home).parent.chmod(0o755)
    assert "不能写入" in err and "只读" in err and "检查该目录的权限" in err and "数据没有改动" in err
    assert "readonly" not in err and "readonly database" in logged
    assert alone == err and len(err.splitlines()) == 1


def test_a_database_from_a_newer_station_asks_for_the_newer_program(tmp_path: Path) -> None:
    home = tmp_path / "home"
    open_db(database_path(home_made(home))).execute("UPDATE schema_versions SET version = 99 WHERE component = 'roster'")
    err, logged = _lookup_says(home)
    assert "更新版本的工作站程序" in err and "请安装最新版本" in err and "roster" not in err
    assert "roster is at version 99" in logged


def test_an_edited_schema_version_is_a_damaged_database(tmp_path: Path) -> None:
    open_db(tmp_path / "station.db").execute("UPDATE schema_versions SET version = 'two' WHERE component = 'roster'")
    with pytest.raises(StationError, match="is damaged"):
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


def test_a_write_waiting_past_the_busy_timeout_says_the_database_is_busy(demo_station) -> None:
    """The window's database stays open all day: a write (F3, absent) while a command held the lock past the busy
    timeout raised SQLite's "database is locked", shown as a program error."""
    demo_station.db.execute("PRAGMA busy_timeout = 100")  # the same wait, shorter
    holder = sqlite3.connect(database_path(demo_station.home), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # `photo-station roster import` in the middle of a long write
    try:
        with pytest.raises(StationError) as busy:
            set_absent(demo_station.db, "2021010101", True)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy.value.text.zh.startswith(f"工作站数据库 {database_path(demo_station.home)} 正被另一个程序占用")
    assert busy.value.text.zh.endswith("请稍后再试。数据没有改动。")
    set_absent(demo_station.db, "2021010101", True)  # once it is let go, the same write goes through
    assert demo_station.db.execute("SELECT absent FROM students WHERE student_no = '2021010101'").fetchone() == (1,)


def test_a_write_sqlite_finds_no_room_for_is_said_in_words_and_the_database_goes_on(demo_station) -> None:
    """SQLite's own "database or disk is full" (its page limit here) inside a write: it ends the transaction itself, so
    the ROLLBACK after it failed ("no transaction is active") and the window showed that as a program error. Said in
    words instead, nothing of the write kept, what was written before kept, and the next write goes through."""
    db = demo_station.db
    set_absent(db, "2021010102", True)  # written before the disk filled
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    trail = AuditTrail(demo_station, "测试摄影师")
    with pytest.raises(WriteRefused) as refused:
        pay(trail, "2021010101", Method.FREE, reason="学校减免：" + "家庭经济困难" * 2000)
    assert refused.value.kind == "full"
    assert refused.value.text.zh.startswith("磁盘空间不足（剩余 ")
    assert f"工作站数据库 {database_path(demo_station.home)} 没有写入：这一项没有记录" in refused.value.text.zh
    assert "free some space and try again" in refused.value.text.en
    assert not db.conn.in_transaction
    assert not fee_status(db, "2021010101").paid
    assert db.execute("SELECT absent FROM students WHERE student_no = '2021010102'").fetchone() == (1,)
    db.execute(f"PRAGMA max_page_count = {pages * 100}")  # room again
    pay(trail, "2021010101", Method.FREE, reason="学校减免：" + "家庭经济困难" * 2000)
    assert fee_status(db, "2021010101").paid


def test_on_a_disk_that_is_really_full_each_write_is_said_and_the_station_goes_on(tiny_disk) -> None:
    """The kernel's ENOSPC under the database: an absent mark, a payment, a refund and a roster import each refused in
    words; an audit line is let go (logged), as designed; once space is freed the same writes go through and nothing
    written before is lost."""
    from station.adapters.demo import prepare_demo
    from station.context import Station
    from station.adapters.demo import DEMO_ROSTER
    from tests.full_disk import full_under

    home = tiny_disk / "home"
    home.mkdir()
    station = Station.open(home, "zh")
    prepare_demo(station)
    db = station.db
    trail = AuditTrail(station, "测试摄影师")
    pay(trail, "2021010103", Method.CASH)
    filler = full_under(db, tiny_disk)
    writes = {
        "absent": lambda: set_absent(db, "2021010101", True),
        "payment": lambda: pay(trail, "2021010101", Method.CASH),
        "refund": lambda: refund(trail, "2021010103", "收错了"),
        "roster": lambda: import_roster(db, DEMO_ROSTER, audit=trail),
    }
    for name, write in writes.items():
        with pytest.raises(WriteRefused) as refused:
            write()
        assert refused.value.kind == "full", name
        assert refused.value.text.zh.startswith("磁盘空间不足"), name
    assert trail.record(Action.RETAKE, "2021010101", reason="眨眼") is None
    filler.unlink()
    for write in writes.values():
        write()
    assert db.execute("SELECT absent FROM students WHERE student_no = '2021010101'").fetchone() == (1,)
    assert fee_status(db, "2021010101").paid and not fee_status(db, "2021010103").paid
    assert verify(db).ok
    station.close()
