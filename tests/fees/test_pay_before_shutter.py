"""A school that takes payment before the shutter: the session refuses it for an unpaid student, with a clear
message, until the payment is recorded; with the setting off (the default) nobody is held up."""

from __future__ import annotations

import time

import cv2
import pytest

from station.adapters.demo import DEMO_DIR
from station.audit.trail import AuditTrail
from station.camera import open_camera
from station.camera.source import CameraState, Frame
from station.capture.session import CaptureSession
from station.capture.workflow import Blocked, CaptureWorkflow, ShutterRefused, ShutterRequest
from station.errors import StationError
from station.fees.ledger import Method
from station.fees.settings import change_settings
from station.storage.captures import CaptureStore


@pytest.fixture
def session(demo_station, engine, pipeline, tmp_path):
    store = CaptureStore(demo_station, key=demo_station.demo_key)
    workflow = CaptureWorkflow(demo_station, store, "摄影师甲", engine=engine, pipeline=pipeline)
    session = CaptureSession(demo_station, store, "摄影师甲", open_camera(str(DEMO_DIR / "kiosk")), live_checks=False,
                             scan_codes=False, workflow=workflow)
    yield session
    session.source.stop()  # not close(): the engine and pipeline are shared by the whole test run


def press(session: CaptureSession) -> ShutterRequest | ShutterRefused:
    return session.workflow.press(Frame(1, time.monotonic(), cv2.imread(str(DEMO_DIR / "kiosk" / "01_good.jpg"))),
                                  CameraState.LIVE)


def test_unpaid_students_wait_only_where_the_school_says_so(session: CaptureSession, demo_station) -> None:
    session.identify("DEMO0001")
    assert session.workflow.shutter_blocked(CameraState.LIVE) is None  # the default: pay whenever
    change_settings(AuditTrail(demo_station, "管理员"), price_fen=2500, pay_before_shutter=True)
    assert session.workflow.shutter_blocked(CameraState.LIVE) is Blocked.UNPAID
    refused = press(session)
    assert isinstance(refused, ShutterRefused) and not refused.can_override
    assert refused.message.zh.startswith("林晓雯尚未缴费（每套 25.00 元）") and "payment" in refused.message.en

    assert session.desk.fee_price() == "25.00" and not session.desk.fee_status("2021010101").paid
    with pytest.raises(StationError):
        session.desk.record_payment("2021010102", Method.CASH, "25")  # the dialog was opened for another student
    with pytest.raises(StationError):
        session.desk.record_payment("2021010101", Method.FREE, "", "")  # free needs a reason
    session.desk.record_payment("2021010101", Method.CASH, "25")
    assert session.desk.fee_status("2021010101").paid
    assert session.workflow.shutter_blocked(CameraState.LIVE) is None
    assert isinstance(press(session), ShutterRequest)
