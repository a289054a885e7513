"""The shutter's work: one analysis of the frame, and the CHSI photo made from that analysis's own crop plan after it,
on the same thread (a core stays with the preview)."""

from __future__ import annotations

import threading
import time

import cv2

from station.camera.source import CameraState, Frame
from station.capture.workflow import CaptureWorkflow, ShutterRequest, upright_plan
from station.storage.captures import CaptureStore
from tests.capture.test_session import KIOSK


def test_the_photo_is_the_photo_of_the_analysis_plan_made_on_the_pressing_thread(demo_station, engine,
                                                                                  pipeline) -> None:
    station = demo_station
    workflow = CaptureWorkflow(station, CaptureStore(station, key=station.demo_key), "测试摄影师", engine=engine,
                               pipeline=pipeline)
    workflow.identify("DEMO0001")
    image = cv2.imread(str(KIOSK))
    request = workflow.press(Frame(1, time.monotonic(), image), CameraState.LIVE)
    assert isinstance(request, ShutterRequest)
    before = {t.name for t in threading.enumerate()}
    measured = workflow.measure(request)
    after = pipeline.process(image, planned=upright_plan(measured.analysis))
    assert measured.chsi.ok and measured.chsi.jpeg == after.jpeg
    assert measured.face is not None and measured.face.shape == (128,)
    started = {t.name for t in threading.enumerate()} - before
    assert not any(name.startswith("shutter") for name in started), started  # no thread of its own for the photo
