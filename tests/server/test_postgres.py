"""Uploads and schema upgrades with the metadata in a real PostgreSQL (started here; skipped where not installed).

CI needs the Debian package `postgresql` (initdb, pg_ctl) and the `postgres` extra (psycopg).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from station.storage.captures import CaptureStore, stored_capture
from station.adapters.server.home import ServerContext, init_server
from station.adapters.server.intake import read_blob
from station.adapters.server import store as store_module
from station.adapters.server.pages import missing_rows, school_state
from station.adapters.server.store import MIGRATIONS, MetaStore
from tests.server.test_schema_migrations import confirmations_work, migrate_together, open_from_before_confirmations
from station.storage.server_link import load_link
from station.pinning import pinned_context
from station.upload.uploader import Uploader, upload_meta, verified_server_copies
from tests.upload.kit import LiveServer, add_students, free_port, linked_station, station_key, wait_until

psycopg = pytest.importorskip("psycopg", reason="the postgres extra (psycopg) is not installed")


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(versions[-1]) if versions else None


@pytest.fixture(scope="module")
def pg_url():
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL (initdb) is not installed")
    # Not under pytest's tmp root: that is private to the test user, and as root we must hand
    # the cluster to the postgres account (PostgreSQL refuses to run as root).
    scratch = tempfile.TemporaryDirectory(prefix="photo-station-pg-")
    data = Path(scratch.name) / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser")
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(scratch.name, "postgres")
    port = free_port()
    subprocess.run([*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "station", "--no-sync"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-w", "-l", str(data.parent / "log"), "-o",
                    f"-p {port} -k {data.parent} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    yield f"postgresql://station@127.0.0.1:{port}/postgres"
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
    scratch.cleanup()


def test_uploads_land_once_in_postgresql(pg_url, home, tmp_path):
    init_server(tmp_path / "srv", db_url=pg_url)
    context = ServerContext(tmp_path / "srv")
    assert context.store.is_postgres
    live = LiveServer(context)
    live.start()
    try:
        station = linked_station(home, context, live.url, context.add_station("PG1"), "PG1")
        add_students(station, "计科2001", ["20200001", "20200002"])
        context.store.upsert_students([{"student_no": "20200001", "name": "甲", "class_name": "计科2001"},
                                       {"student_no": "20200002", "name": "乙", "class_name": "计科2001"}])
        key = station_key(home)
        store = CaptureStore(station, key)
        store.save("20200001", b"first", b"o", operator="op")
        store.save("20200001", b"retake", b"o", operator="op", reason="闭眼")
        uploader = Uploader(home, key)
        uploader.drain()
        assert uploader.reconcile() == 0
        uploads = context.store.uploads()
        assert [u.version for u in uploads] == [1, 2]
        assert read_blob(context, context.store.registered()["20200001"], "chsi") == b"retake"
        assert [r[1] for r in missing_rows(school_state(context.store), None)] == ["20200002"]
        station.close()
    finally:
        live.stop()
        context.store.close()



def fresh_database(pg_url: str, name: str) -> str:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_url.rsplit("/", 1)[0] + "/" + name


def test_postgresql_schema_upgrades_in_place(pg_url, monkeypatch):
    with MetaStore(fresh_database(pg_url, "upgrade_test")) as store:
        assert store.migrate() == len(MIGRATIONS)
        store.add_station("S01", "一号机", "digest")
        monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, ("ALTER TABLE stations ADD COLUMN note TEXT",)))
        assert store.migrate() == len(MIGRATIONS) + 1
        assert store.migrate() == len(MIGRATIONS) + 1
        assert store.rows("SELECT station_id, note FROM stations") == [("S01", None)]
        assert store.rows("SELECT version FROM schema_version") == [(len(MIGRATIONS) + 1,)]



def test_postgresql_from_before_identity_confirmations_upgrades_and_takes_them(pg_url, monkeypatch):
    with open_from_before_confirmations(fresh_database(pg_url, "confirm_test"), monkeypatch) as store:
        confirmations_work(store)


def test_postgresql_servers_starting_together_migrate_one_at_a_time(pg_url):
    url = fresh_database(pg_url, "together_test")
    assert migrate_together(url) == []
    with MetaStore(url) as store:
        assert store.rows("SELECT version FROM schema_version") == [(len(MIGRATIONS),)]


def test_postgresql_keeps_a_clock_offset_of_years(pg_url):
    from dataclasses import replace

    from tests.server.test_schema_migrations import an_upload

    years = 7 * 365 * 24 * 3600 * 1000  # a laptop whose clock fell back to its BIOS date
    with MetaStore(fresh_database(pg_url, "offset_test")) as store:
        store.migrate()
        assert store.insert_upload(replace(an_upload("u1"), clock_offset_ms=years))
        assert store.get_upload("u1").clock_offset_ms == years



def test_postgresql_keeps_the_roster_rows_an_import_refused_until_one_takes_the_student(pg_url):
    from station.i18n import Text
    from station.roster.store import RefusedRow

    refused = RefusedRow("20210002", "陈浩然", "名单.csv", Text("第 3 行", "row 3"), Text("校验位错误", "check digit"))
    with MetaStore(fresh_database(pg_url, "refused_test")) as store:
        store.migrate()
        store.keep_refused([refused])
        store.keep_refused([refused])  # imported again: one row, the latest word
        assert store.refused_rows() == [("20210002", "陈浩然", "名单.csv", "第 3 行", "校验位错误")]
        store.upsert_students([{"student_no": "20210002", "name": "陈浩然", "class_name": "软件2101"}])
        store.keep_refused([])
        assert store.refused_rows() == []

def test_two_server_processes_on_one_postgresql_register_every_photo_once(pg_url, tmp_path):
    """Three stations photograph the same three students one after another; every photo is sent to both servers at
    once, twice (one of them runs two workers). Each is stored once, and the newest capture is the registered one."""
    init_server(tmp_path / "srv", db_url=fresh_database(pg_url, "two_servers"))
    context = ServerContext(tmp_path / "srv")
    numbers = ["20200001", "20200002", "20200003"]
    sends = []
    for n in range(3):
        home = tmp_path / f"station{n}"
        home.mkdir()
        station = linked_station(home, context, "https://127.0.0.1:1", context.add_station(f"T{n}"), f"T{n}")
        add_students(station, "计科2001", numbers)
        key = station_key(home)
        for number in numbers:
            version = CaptureStore(station, key).save(number, f"{n}{number}".encode(), b"o", operator="op")
            stored = stored_capture(station.db, home, version.uid)
            files = verified_server_copies(stored, key)
            sends.append((load_link(station.db).token, json.dumps(upload_meta(stored, files)), files))
        station.close()
    servers = [_serve(context, ["--workers", "2"]), _serve(context, [])]
    try:
        clients = [httpx.Client(base_url=url, verify=pinned_context(context.cert_sha256), timeout=60) for _, url in servers]
        assert all(wait_until(lambda c=c: _answers(c), timeout=60) for c in clients)

        def post(job):
            client, (token, meta, files) = job
            return client.post("/api/v1/uploads", headers={"Authorization": f"Bearer {token}"}, data={"meta": meta},
                               files={k: (k, v) for k, v in files.items()}).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(post, [(c, s) for s in sends for c in clients * 2]))
        for client in clients:
            client.close()
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(20)
    assert sorted(codes) == [200] * (3 * len(sends)) + [201] * len(sends)
    assert len({u.uid for u in context.store.uploads()}) == len(context.store.uploads()) == 9
    registered = context.store.registered()
    assert {no: read_blob(context, registered[no], "chsi") for no in numbers} == {no: f"2{no}".encode() for no in numbers}


def _serve(context: ServerContext, extra: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([str(Path(sys.executable).parent / "photo-station-server"), "--home", str(context.home),
                                "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, f"https://127.0.0.1:{port}"


def _answers(client: httpx.Client) -> bool:
    try:
        return client.get("/").status_code == 401
    except httpx.TransportError:
        return False
