"""The demo's own server on 127.0.0.1 speaks HTTPS and the demo station pins it: photos really arrive, and its
registrar page shows the demo day as a registrar sees a real one (the roster, who is missing, a swap with names)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from station.storage.captures import CaptureStore
from station.context import Station
from station.adapters.demo import (
    DEMO_REFERENCES, DEMO_REGISTRAR_PASSWORD, DemoServer, demo_server_home, import_demo_references, prepare_demo,
    registrar_page,
)
from station.adapters.server.home import ServerContext
from station.pinning import pinned_context
from station.storage.server_link import load_link
from station.upload.uploader import Uploader


@pytest.mark.parametrize("older_folder", [False, True])
def test_a_demo_photo_reaches_the_demo_server_over_pinned_https(home: Path, older_folder: bool):
    station = Station.open(home, "zh")
    try:
        key = prepare_demo(station)
        if older_folder:  # a demo folder from before HTTPS: a plain URL kept, no pin
            with station.db.conn:
                station.db.execute("UPDATE server_link SET url = 'http://127.0.0.1:1', cert_sha256 = ''")
        server = DemoServer(station).start()
        try:
            link = load_link(station.db)
            assert link.url.startswith("https://127.0.0.1:") and link.upload_problem is None
            number = station.db.execute("SELECT student_no FROM students ORDER BY student_no").fetchone()[0]
            CaptureStore(station, key).save(number, b"c" * 100, b"o", operator="demo")
            _drain(Uploader(station.home, key))
            received = ServerContext(demo_server_home(station)).store.uploads()
            assert [u.student_no for u in received] == [number]
        finally:
            server.stop()
    finally:
        station.close()


def test_a_demo_start_slots_only_the_demo_classes(home: Path, tmp_path: Path) -> None:
    """Seen on the walk: a class imported into the demo got a slot at the next start (the first in name order, so the
    current one) and the demo's own class was "not now"; the slots a photographer sets for their classes stay theirs."""
    from station.roster import schedule
    from station.roster.importer import import_roster

    station = Station.open(home, "zh")
    try:
        prepare_demo(station)
        roster = tmp_path / "补录.csv"
        roster.write_text("学号,姓名,班级\n2099000001,新同学,测试2199\n", encoding="utf-8")
        assert import_roster(station.db, roster).classes == {"测试2199"}
        prepare_demo(station)  # the next start
        slots = {line.class_name: line.slot for line in schedule.class_slots(station.db, dt.datetime.now())}
        assert slots["测试2199"] is None and slots["演示2101"] is not None and slots["演示2102"] is not None
        assert schedule.current_slot(station.db, dt.datetime.now()).class_name == "演示2101"
    finally:
        station.close()


def _drain(uploader: Uploader) -> None:
    for _ in range(100):  # the thread's server may take a moment to listen
        if uploader.drain() and not uploader.db.execute("SELECT 1 FROM outbox WHERE state != 'done'").fetchone():
            return
        time.sleep(0.1)


def test_the_demo_servers_registrar_page_shows_the_demo_day(home: Path) -> None:
    """Seen on the walk: the demo server had no roster, so every demo photo was 名单外, 未拍摄名单 said 0 people with
    8 of 12 not photographed, and 身份核验 named nobody; its page needed a password made by hand. Now it holds the
    demo roster and enrolment photos, and opens with the demo's fixed password, as the window's 演示 menu says."""
    station = Station.open(home, "zh")
    try:
        key = prepare_demo(station)
        server = DemoServer(station).start()
        try:
            import_demo_references(station, key)
            face = (DEMO_REFERENCES / "2021010101.jpg").read_bytes()  # 林晓雯's face, as herself and as 赵雨桐
            for number in ("2021010101", "2021010104"):
                CaptureStore(station, key).save(number, face, face, operator="demo")
            _drain(Uploader(station.home, key))
            page = registrar_page(station)
            assert page.url == f"{server.url}/" and "密码 demo" in page.said.zh
            with httpx.Client(base_url=page.url, verify=pinned_context(load_link(station.db).cert_sha256),
                              auth=("registrar", page.password), timeout=10) as web:
                overview, missing, identity = (web.get(path).text for path in ("/", "/missing", "/identity"))
        finally:
            server.stop()
    finally:
        station.close()
    assert "全校应拍 12 人：已拍摄 2 人，未拍摄 10 人" in re.sub("<[^>]+>", "", overview) and "名单外" not in overview
    assert "演示2101" in overview and "演示2102" in overview
    assert "共 10 人未拍摄" in missing and "陈浩然" in missing and "何嘉欣" in missing and "林晓雯" not in missing
    assert "赵雨桐" in identity and "这张脸与林晓雯（2021010101）的学籍照片为同一人" in identity
    assert '<img src="/references/2021010101.jpg"' in identity


def test_a_demo_folder_from_before_gets_the_roster_and_the_password(home: Path) -> None:
    """A demo folder outlives its run: one whose server was made before (no roster, init's random password) gets
    both at the next start."""
    station = Station.open(home, "zh")
    try:
        prepare_demo(station)
        context = ServerContext(demo_server_home(station))
        context.new_registrar_password()
        with sqlite3.connect(context.home / "server.db") as db:
            db.execute("DELETE FROM students")
        assert not context.store.students() and not context.registrar_password_ok(DEMO_REGISTRAR_PASSWORD)
        prepare_demo(station)  # the next start
        assert len(context.store.students()) == 12 and context.registrar_password_ok(DEMO_REGISTRAR_PASSWORD)
    finally:
        station.close()


def test_the_demo_server_listens_once_started(home: Path) -> None:
    """The uploader's first contact comes right after the start: the demo began with 服务器未连接 in the status bar
    when the port was not yet open (s28 walk on Xvfb: connection refused 0.1 s after the registrar page was said)."""
    import socket

    station = Station.open(home, "zh")
    try:
        prepare_demo(station)
        begun = time.monotonic()
        server = DemoServer(station).start()
        took = time.monotonic() - begun
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                pass  # refused before: ConnectionRefusedError
            assert took < 5, took
        finally:
            server.stop()
    finally:
        station.close()
