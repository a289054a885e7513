"""The server's metadata schema upgrades in place: an older server.db keeps every upload, a newer one is refused."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

from station.adapters.server import store as store_module
from station.adapters.server.cli import main as server_main
from station.adapters.server.home import ServerContext, init_server
from station.adapters.server.store import MIGRATIONS, Confirmation, MetaStore, Upload, Withdrawal

ADD_NOTE = ("ALTER TABLE uploads ADD COLUMN note TEXT NOT NULL DEFAULT ''",)


def an_upload(uid: str) -> Upload:
    return Upload(uid, "S01", "20210001", 1, "2026-06-01T09:00:00.000+00:00", "2026-06-01T09:00:01.000+00:00",
                  "王老师", "", "", "a" * 64, "b" * 64, "network")


def versions(db: Path) -> list[int]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT version FROM schema_version")]


def test_a_new_server_folder_is_at_the_newest_version(tmp_path):
    init_server(tmp_path / "srv")
    assert versions(tmp_path / "srv" / "server.db") == [len(MIGRATIONS)]


def test_a_database_from_before_versions_were_recorded_keeps_its_uploads(tmp_path):
    init_server(tmp_path / "srv")
    db = tmp_path / "srv" / "server.db"
    db.unlink()
    with sqlite3.connect(db) as conn:  # what servers before schema versions left behind: step 1, no version
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("INSERT INTO uploads VALUES ('u1', 'S01', '20210001', 1, '2026-06-01T09:00:00.000+00:00', "
                     "'2026-06-01T09:00:01.000+00:00', '王老师', '', '', ?, ?, 'network')", ["a" * 64, "b" * 64])
    store = ServerContext(tmp_path / "srv").store
    assert versions(db) == [len(MIGRATIONS)]
    assert [(u.uid, u.clock_offset_ms) for u in store.uploads()] == [("u1", 0)]


def test_an_appended_step_upgrades_an_existing_database_once(tmp_path, monkeypatch):
    init_server(tmp_path / "srv")
    ServerContext(tmp_path / "srv").store.insert_upload(an_upload("u1"))
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, ADD_NOTE))  # the next release's schema
    store = ServerContext(tmp_path / "srv").store
    assert store.migrate() == len(MIGRATIONS) + 1  # a second open changes nothing
    assert versions(tmp_path / "srv" / "server.db") == [len(MIGRATIONS) + 1]
    assert store.rows("SELECT uid, note FROM uploads") == [("u1", "")]


def test_a_newer_database_is_refused_with_a_clear_message_and_left_alone(tmp_path, capsys):
    init_server(tmp_path / "srv")
    with sqlite3.connect(tmp_path / "srv" / "server.db") as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    code = server_main(["--home", str(tmp_path / "srv"), "--lang", "en", "add-station", "S02"])
    assert code != 0
    assert "schema is version 99, newer than this server knows" in capsys.readouterr().err
    assert versions(tmp_path / "srv" / "server.db") == [99]
    with sqlite3.connect(tmp_path / "srv" / "server.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM stations").fetchone() == (0,)


def migrate_together(url: str, servers: int = 4) -> list[BaseException]:
    """`servers` server processes opening one fresh database at the same moment; what they raised."""
    start = threading.Barrier(servers)
    failures: list[BaseException] = []

    def open_store() -> None:
        start.wait()
        try:
            with MetaStore(url) as store:
                store.migrate()
        except BaseException as exc:  # noqa: BLE001  (returned to the test)
            failures.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(servers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_servers_starting_together_migrate_one_at_a_time(tmp_path):
    assert migrate_together(str(tmp_path / "server.db")) == []
    assert versions(tmp_path / "server.db") == [len(MIGRATIONS)]


def test_a_database_that_cannot_be_reached_is_a_message_not_a_traceback(tmp_path, capsys):
    code = server_main(["--home", str(tmp_path / "srv"), "--lang", "en", "init", "--db-url",
                        "postgresql://station@127.0.0.1:1/postgres"])  # nothing listens on port 1
    assert code != 0
    assert "Cannot open the server database postgresql://station@127.0.0.1:1/postgres" in capsys.readouterr().err



def open_from_before_confirmations(url: str, monkeypatch) -> MetaStore:
    """A store made by the previous release (schema 4) holding upload u1, opened by this one."""
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:4])
    with MetaStore(url) as old:
        assert old.migrate() == 4
        old.insert_upload(an_upload("u1"))
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    store = MetaStore(url)
    assert store.migrate() == len(MIGRATIONS) and [u.uid for u in store.uploads()] == ["u1"]
    return store


def confirmations_work(store: MetaStore) -> None:
    checked = Confirmation("u1", "张老师", "2026-06-01T10:00:00.000+00:00", "看过学生证")
    assert store.confirm_identity(checked)
    assert not store.confirm_identity(replace(checked, confirmed_by="李老师"))  # a double click: the first stands
    assert store.confirmations() == {"u1": checked}
    withdrawn_at = "2026-06-01T11:00:00.000+00:00"
    assert store.undo_confirmation("u1", "李老师", withdrawn_at) and store.confirmations() == {}
    assert not store.undo_confirmation("u1", "王老师", withdrawn_at)  # a double click: nothing more recorded
    assert store.withdrawals() == {"u1": [Withdrawal(checked, "李老师", withdrawn_at)]}


def test_a_database_from_before_identity_confirmations_keeps_its_uploads_and_takes_confirmations(tmp_path, monkeypatch):
    """Step 5 (the registrar's 确认是本人) on a server.db the previous release left."""
    with open_from_before_confirmations(str(tmp_path / "server.db"), monkeypatch) as store:
        confirmations_work(store)
    assert versions(tmp_path / "server.db") == [len(MIGRATIONS)]
