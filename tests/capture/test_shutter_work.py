"""The shutter's work in two threads: the CHSI photo starts from the analysis's crop plan as soon as it is planned
(`located`) and runs beside the costlier checks; the photo is the one the plan gives, made after the analysis."""

from __future__ import annotations

import time

import cv2
import numpy as np

from station.camera.source import CameraState, Frame
from station.capture.workflow import CaptureWorkflow, ShutterRequest, upright_plan
from station.compliance.results import Analysis
from station.storage.captures import CaptureStore
from tests.capture.test_session import KIOSK


def located_once(engine, image: np.ndarray) -> tuple[Analysis, Analysis]:
    seen: list[Analysis] = []
    analysis = engine.analyze(image, located=seen.append)
    assert len(seen) == 1
    return seen[0], analysis


def test_the_analysis_says_where_the_face_is_before_its_checks_run(engine) -> None:
    image = cv2.imread(str(KIOSK))
    early, analysis = located_once(engine, image)
    assert early.checks == {} and analysis.checks  # called before any check was decided
    assert early.faces == analysis.faces == 1 and early.pose == analysis.pose
    np.testing.assert_array_equal(early.crop.matrix, analysis.crop.matrix)
    # a tethered camera's big still is measured shrunk: the plan comes in the still's own pixels, as the analysis's
    big = cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    early, analysis = located_once(engine, big)
    assert early.analysis_scale == analysis.analysis_scale < 1
    np.testing.assert_allclose(early.crop.matrix, analysis.crop.matrix)
    early, analysis = located_once(engine, np.zeros((720, 1280, 3), np.uint8))  # nobody: said too, with no plan
    assert early.faces == analysis.faces == 0 and early.crop is None


def test_the_photo_made_beside_the_checks_is_the_photo_of_their_plan(demo_station, engine, pipeline) -> None:
    station = demo_station
    workflow = CaptureWorkflow(station, CaptureStore(station, key=station.demo_key), "测试摄影师", engine=engine,
                               pipeline=pipeline)
    workflow.identify("DEMO0001")
    image = cv2.imread(str(KIOSK))
    request = workflow.press(Frame(1, time.monotonic(), image), CameraState.LIVE)
    assert isinstance(request, ShutterRequest)
    measured = workflow.measure(request)
    after = pipeline.process(image, planned=upright_plan(measured.analysis))
    assert measured.chsi.ok and measured.chsi.jpeg == after.jpeg
    assert measured.face is not None and measured.face.shape == (128,)
