"""The demo's own server on 127.0.0.1 speaks HTTPS and the demo station pins it: photos really arrive."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from station.storage.captures import CaptureStore
from station.context import Station
from station.adapters.demo import DemoServer, demo_server_home, prepare_demo
from station.adapters.server.home import ServerContext
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
            uploader = Uploader(station.home, key)
            for _ in range(100):  # the thread's server may take a moment to listen
                if uploader.drain() and not uploader.db.execute(
                        "SELECT 1 FROM outbox WHERE state != 'done'").fetchone():
                    break
                time.sleep(0.1)
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
