"""A frame that arrives turned (a tethered camera held sideways that wrote no EXIF orientation) is measured, kept
and made into the CHSI photo as it stands: the checks no longer read the lying face as a head tilted by 90 degrees
(请把头摆正 on every photo, each needing an override), and an upright frame of a turned head is never turned."""

from __future__ import annotations

import time

import cv2
import numpy as np

from station.adapters.demo import DEMO_DIR
from station.camera.source import CameraState, Frame
from station.capture.workflow import CaptureWorkflow, Measured
from station.storage.captures import CaptureStore
from tests.chsi.images import rotated

UPRIGHT = DEMO_DIR / "students" / "DEMO0003_2_good.jpg"  # 王思远: passes every check as he stands


def measured(workflow: CaptureWorkflow, image: np.ndarray) -> Measured:
    request = workflow.press(Frame(1, time.monotonic(), image), CameraState.LIVE)
    try:
        return workflow.measure(request)
    finally:
        workflow.release(request)


def test_a_sideways_frame_is_checked_and_kept_as_it_stands(demo_station, engine, pipeline) -> None:
    workflow = CaptureWorkflow(demo_station, CaptureStore(demo_station, key=demo_station.demo_key), "测试摄影师",
                               engine=engine, pipeline=pipeline)
    workflow.identify("DEMO0003")
    upright = cv2.imread(str(UPRIGHT))
    lying = np.ascontiguousarray(np.rot90(upright, -1))  # the camera on its side: the frame turned clockwise
    assert engine.analyze(lying).checks["pose"].level == "fail"  # as it lies: a head tilted by 90 degrees
    found = measured(workflow, lying)
    assert found.analysis.checks["pose"].level != "fail" and found.analysis.verdict == "pass"
    assert found.chsi.ok
    kept = cv2.imdecode(np.frombuffer(found.original_jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert kept.shape[:2] == upright.shape[:2]  # the original is kept standing too, as the CHSI photo is
    plain = measured(workflow, upright)  # an upright frame is measured as it is
    assert plain.analysis.checks["pose"].level != "fail"
    assert cv2.imdecode(np.frombuffer(plain.original_jpeg, np.uint8), cv2.IMREAD_COLOR).shape[:2] == upright.shape[:2]


def test_an_upside_down_frame_whose_pose_passes_is_measured_standing(demo_station, engine, pipeline) -> None:
    """林晓雯's frame upside down (a camera hung on a ceiling bracket): the face mesh fits her as if she stood, with a
    pose that only asks a question, so the frame was measured upside down (her mouth and ears read where they are
    not) and the crop planned on it gave a CHSI photo the output check refused as not upright. The face detector's
    look turned half round now finds her standing on her head, and the frame is measured and made upright."""
    workflow = CaptureWorkflow(demo_station, CaptureStore(demo_station, key=demo_station.demo_key), "测试摄影师",
                               engine=engine, pipeline=pipeline)
    workflow.identify("DEMO0002")
    upright = cv2.imread(str(UPRIGHT.with_name("DEMO0002_2_good.jpg")))
    upside_down = np.ascontiguousarray(np.rot90(upright, 2))
    assert engine.analyze(upside_down).checks["pose"].level != "fail"  # the pose alone cannot tell
    found = measured(workflow, upside_down)
    assert found.chsi.ok, found.chsi.refusal
    as_it_stands = engine.analyze(upright)
    assert {c: r.level for c, r in found.analysis.checks.items()} == {
        c: r.level for c, r in as_it_stands.checks.items()}
    kept = cv2.imdecode(np.frombuffer(found.original_jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert np.abs(kept.astype(int) - upright.astype(int)).mean() < 3  # kept standing, not upside down


def test_an_upside_down_frame_of_a_tilted_head_is_measured_standing(demo_station, engine, pipeline) -> None:
    """林晓雯 tilting her head (03_tilted), upside down: her pose fails as she lies and as she stands, so the half turn
    both looks found was not kept, and the crop planned on her lying face gave a CHSI photo the output check refused
    (out_of_spec: orientation) where the photographer expected the tilt warning he can override."""
    workflow = CaptureWorkflow(demo_station, CaptureStore(demo_station, key=demo_station.demo_key), "测试摄影师",
                               engine=engine, pipeline=pipeline)
    workflow.identify("DEMO0001")
    upright = cv2.imread(str(DEMO_DIR / "kiosk" / "03_tilted.jpg"))
    found = measured(workflow, np.ascontiguousarray(np.rot90(upright, 2)))
    assert found.chsi.ok, found.chsi.refusal
    assert {c: r.level for c, r in found.analysis.checks.items()} == {
        c: r.level for c, r in engine.analyze(upright).checks.items()}
    assert found.analysis.checks["pose"].level == "fail"  # the tilt, as she stands


def test_an_upright_frame_of_a_head_leaning_30_degrees_is_measured_and_kept_as_it_is(demo_station, engine,
                                                                                      pipeline) -> None:
    """陈浩然 in a 640x360 frame from a camera held 30 degrees askew: the face detectors' vote took his leaning head
    for a frame on its side, and the shutter measured him turned a quarter (his head read as leaning 58 degrees) and
    archived the frame's original on its side. A turn after which the face mesh reads the head leaning more than half
    a quarter turn is not made: he is measured and kept as he leans, and told so (请把头摆正)."""
    workflow = CaptureWorkflow(demo_station, CaptureStore(demo_station, key=demo_station.demo_key), "测试摄影师",
                               engine=engine, pipeline=pipeline)
    workflow.identify("DEMO0002")
    frame = cv2.imread(str(UPRIGHT.with_name("DEMO0002_2_good.jpg")))
    leaning = rotated(cv2.resize(frame, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), 30)
    found = measured(workflow, leaning)
    assert found.analysis.checks["pose"].level == "fail" and 25 < abs(found.analysis.pose.roll) < 35
    kept = cv2.imdecode(np.frombuffer(found.original_jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert kept.shape[:2] == leaning.shape[:2]  # kept as it came, not turned on its side


def test_an_upside_down_frame_of_a_leaning_head_the_engine_misses_as_it_lies_is_measured_standing(
        demo_station, engine, pipeline) -> None:
    """王思远 leaning 20 degrees before a camera hung upside down: lying, the engine found no face mesh, and the
    half turn was refused because he still fails the pose check standing (his lean) and the vote that confirms such
    a turn was asked only around a face seen as the frame lay. It is now asked around the face seen turned: the frame
    is measured and kept standing, and the lean is what he is told."""
    workflow = CaptureWorkflow(demo_station, CaptureStore(demo_station, key=demo_station.demo_key), "测试摄影师",
                               engine=engine, pipeline=pipeline)
    workflow.identify("DEMO0003")
    leaning = rotated(cv2.imread(str(UPRIGHT)), -20)
    found = measured(workflow, np.ascontiguousarray(np.rot90(leaning, 2)))
    assert found.analysis.face is not None and 15 < abs(found.analysis.pose.roll) < 30
    assert [c for c, r in found.analysis.checks.items() if r.level == "fail"] == ["pose"]
    kept = cv2.imdecode(np.frombuffer(found.original_jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert np.abs(kept.astype(int) - leaning.astype(int)).mean() < 3  # kept standing, not upside down
