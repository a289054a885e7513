"""The station settings changed from the window that the audit trail lacked: the class slots (who is called, who is
on time) and the queue screen's full names (a privacy choice). The capture session records them itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from station.audit.trail import entries, verify
from station.camera import open_camera
from station.context import Station
from station.capture.session import CaptureSession
from station.capture.workflow import CaptureWorkflow
from station.roster import schedule
from station.roster.schedule import Slot
from station.storage.captures import CaptureStore
from tests.cli import run_cli


def test_slots_and_full_names_are_in_the_chain(demo_station, engine, pipeline, tmp_path: Path) -> None:
    station = demo_station
    store = CaptureStore(station, key=station.demo_key)
    workflow = CaptureWorkflow(station, store, "摄影师甲", engine=engine, pipeline=pipeline)
    session = CaptureSession(station, store, "摄影师甲", open_camera(str(tmp_path)), live_checks=False,
                             scan_codes=False, workflow=workflow)
    first, second = schedule.class_order(station.db)[:2]
    try:
        session.desk.save_slots([Slot(first, dt.datetime(2030, 1, 2, 14), dt.datetime(2030, 1, 2, 15), "体育馆")],
                                [second])
        session.show_full_names(True)
        assert not session.queue_board().entries[0].name.count("*")  # the queue screen shows whole names now
    finally:
        session.source.stop()
    slots, names = [e for e in entries(station.db) if e.action == "settings"]
    assert slots.operator == "摄影师甲" and slots.detail == {
        "setting": "class_slots", "cleared": [second], "slots": {first: "2030-01-02 14:00/2030-01-02 15:00"}}
    assert names.detail == {"setting": "queue_full_names", "full": True}
    assert verify(station.db).ok


def test_the_command_lines_timetable_and_slot_are_in_the_chain(tmp_path: Path) -> None:
    """`schedule import` and `schedule set` change who is called and who is on time, as the slot editor does:
    recorded likewise, each with the slots it wrote (an import whole or not at all, with its entry)."""
    home = tmp_path / "home"
    timetable = tmp_path / "时间表.csv"
    timetable.write_bytes("班级,日期,时间段\n软件2101,2024-10-22,8:30-9:30\n坏班,明天,上午\n".encode("gbk"))
    assert run_cli("schedule", "import", str(timetable), home=home).returncode == 0
    assert run_cli("schedule", "set", "软件2102", "2024-10-22 9:30-10:30", home=home).returncode == 0
    station = Station.open(home)
    try:
        imported, set_one = [e for e in entries(station.db) if e.action == "settings"]
        assert imported.detail == {"setting": "class_slots", "file": "时间表.csv", "slots": 1, "rejected": 1}
        assert set_one.detail == {"setting": "class_slots", "slots": {"软件2102": "2024-10-22 09:30/2024-10-22 10:30"}}
        assert verify(station.db).ok
    finally:
        station.close()
