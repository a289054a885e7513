"""The capture session records every operator action itself (no window involved): sign-in, identify, shutter,
override with its reason, reshoot, accept, retake, absent and its undo, payment, export; the chain
holds, and an edit made afterwards is found."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import cv2

from station.adapters.demo import DEMO_DIR
from station.audit.trail import entries, verify
from station.camera import open_camera
from station.camera.source import CameraState, Frame
from station.capture.session import CaptureSession
from station.capture.workflow import CaptureWorkflow, Shot
from station.fees.ledger import Method
from station.storage.captures import CaptureStore

KIOSK = DEMO_DIR / "kiosk" / "01_good.jpg"  # her broad smile fails mouth_open: an override is needed


def test_every_action_of_a_photo_is_in_the_chain(demo_station, engine, pipeline, home: Path, tmp_path: Path) -> None:
    station = demo_station
    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(KIOSK, frames)
    store = CaptureStore(station, key=station.demo_key)
    workflow = CaptureWorkflow(station, store, "摄影师甲", engine=engine, pipeline=pipeline)
    session = CaptureSession(station, store, "摄影师甲", open_camera(str(frames), fps=15), live_checks=False,
                             scan_codes=False, workflow=workflow).start()
    image = cv2.imread(str(KIOSK))

    def shoot(frame_id: int) -> Shot:
        refused = session.take(session.measure(workflow.press(Frame(frame_id, time.monotonic(), image), CameraState.LIVE)))
        return session.take(refused.measured, override_reason="已目视确认，系统误报")

    try:
        session.identify("DEMO0001")
        session.desk.record_payment("2021010101", Method.WECHAT, "20", "")
        assert isinstance(shoot(1), Shot)
        session.reshoot()
        assert isinstance(shoot(2), Shot)
        session.accept()
        session.identify("DEMO0001")
        session.start_retake("学生要求重拍")
        absent = session.mark_next_absent()
        session.undo_absent()
        session.desk.export_to(tmp_path / "usb")
    finally:
        session.stop_watching()  # not close(): the engine and pipeline are shared by the whole test run
        session.source.stop()

    log = entries(station.db)
    assert [e.action for e in log] == ["sign_in", "identify", "payment", "shutter", "override", "reshoot", "shutter",
                                       "override", "accept", "identify", "retake", "absent", "absent_undo", "export"]
    assert {e.operator for e in log} == {"摄影师甲"} and all(e.station_id for e in log)
    by_action = {e.action: e for e in log}
    assert by_action["override"].detail["reason"] == "已目视确认，系统误报"
    assert "mouth_open" in by_action["override"].detail["checks"]
    assert "mouth_open" in by_action["shutter"].detail["failed"]
    assert by_action["accept"].detail["version"] == 1 and by_action["accept"].student_no == "2021010101"
    assert by_action["retake"].detail["reason"] == "学生要求重拍"
    assert by_action["absent"].student_no == absent.student_no == by_action["absent_undo"].student_no
    assert by_action["payment"].detail["amount_fen"] == 2000 and by_action["export"].detail["photos"] == 1
    assert verify(station.db).ok

    with sqlite3.connect(home / "station.db") as conn:  # the override's reason rewritten afterwards
        conn.execute("UPDATE audit_log SET detail = replace(detail, '系统误报', '学生要求') WHERE action = 'override'")
    result = verify(station.db)
    assert not result.ok and result.first_bad == by_action["override"].seq - 3  # the first override
