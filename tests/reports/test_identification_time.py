"""The time a student was identified is kept with their accepted photo, so the day report can say how long a
student takes at the camera."""

from __future__ import annotations

import datetime as dt
import time

import cv2

from station.adapters.demo import DEMO_DIR
from station.camera.source import CameraState, Frame
from station.capture.workflow import CaptureWorkflow, ShutterRefused
from station.reports.day_report import build_report
from station.storage.captures import CaptureStore


def test_identification_to_accepted_photo_is_measured_through_the_workflow(demo_station, engine, pipeline) -> None:
    now = [dt.datetime(2026, 6, 1, 2, 0, 0, tzinfo=dt.timezone.utc)]
    store = CaptureStore(demo_station, key=demo_station.demo_key, clock=lambda: now[0])
    workflow = CaptureWorkflow(demo_station, store, "测试摄影师", engine=engine, pipeline=pipeline)
    workflow.identify("DEMO0001")
    now[0] += dt.timedelta(seconds=42)
    request = workflow.press(Frame(1, time.monotonic(), cv2.imread(str(DEMO_DIR / "kiosk" / "01_good.jpg"))),
                             CameraState.LIVE)
    refused = workflow.take(workflow.measure(request))
    assert isinstance(refused, ShutterRefused)  # the demo student smiles with her teeth showing: a reason is needed
    workflow.take(refused.measured, override_reason="已目视确认，系统误报")
    workflow.accept()

    report = build_report(demo_station.db, dt.date(2026, 6, 1), tz=dt.timezone.utc)
    assert report.timed_photos == 1 and report.median_to_photo_s == 42.0
    assert [(o.kind, o.reason) for o in report.overrides] == [("checks", "已目视确认，系统误报")]
