"""The next student's phone inside the photo: the shutter's one measurement refuses the press (an override needs a
reason), a phone elsewhere in the picture takes the photo as it is, and the live picture says so from the code
scanner's own reading (the live checks do not read the frame again)."""

from __future__ import annotations

from pathlib import Path

import cv2

from station import ASSETS_DIR
from station.camera import open_camera
from station.camera.source import CameraState
from station.capture.live_checks import LiveResult
from station.capture.session import CaptureSession, SessionListener
from station.capture.workflow import CaptureWorkflow, Shot, ShutterRefused, ShutterRequest
from station.compliance.messages import INSTRUCTIONS
from station.compliance.results import FAIL, PASS
from station.context import Station
from station.storage.captures import CaptureStore
from tests.capture.test_session import wait_for
from tests.chsi.images import with_someone_else
from tests.compliance.test_code_in_photo import FAR_OUTSIDE, INSIDE, clean_frame_with

WANG = "2021010103"  # 王思远, the student in the frame; the phone behind him shows 陈浩然's code (DEMO0002)


def camera_showing(tmp_path: Path, place) -> Path:
    folder = tmp_path / "camera"
    folder.mkdir()
    cv2.imwrite(str(folder / "frame.png"), clean_frame_with(place))
    return folder


def session_on(station: Station, folder: Path, engine, pipeline, listener: SessionListener,
               live_checks: bool = False) -> CaptureSession:
    store = CaptureStore(station, key=station.demo_key)
    workflow = CaptureWorkflow(station, store, "测试摄影师", engine=engine, pipeline=pipeline)
    camera = open_camera(str(folder), fps=15).start()
    return CaptureSession(station, store, "测试摄影师", camera, listener=listener, live_checks=live_checks,
                          workflow=workflow).start()


def press_the_live_picture(session: CaptureSession):
    assert wait_for(session, lambda: session.source.state is CameraState.LIVE)
    request = session.press(session.source.latest())
    assert isinstance(request, ShutterRequest)
    return session.take(session.measure(request))


def test_a_phone_inside_the_photo_refuses_the_press(demo_station, engine, pipeline, tmp_path: Path) -> None:
    offered: list[str] = []
    listener = SessionListener(offered=lambda found, _text: offered.append(found.student.student_no))
    session = session_on(demo_station, camera_showing(tmp_path, INSIDE), engine, pipeline, listener)
    try:
        session.identify("DEMO0003")
        refused = press_the_live_picture(session)
        assert isinstance(refused, ShutterRefused) and refused.problems == [INSTRUCTIONS["code_in_photo"]]
        assert refused.can_override and refused.measured.analysis.code_boxes  # a reason is needed, and recorded
        assert offered == [] and session.student.student_no == WANG  # the phone is small: never taken for him
    finally:
        session.stop_watching()
        session.source.stop()


def test_a_phone_elsewhere_in_the_picture_does_not_stop_the_photo(demo_station, engine, pipeline,
                                                                    tmp_path: Path) -> None:
    session = session_on(demo_station, camera_showing(tmp_path, FAR_OUTSIDE), engine, pipeline, SessionListener())
    try:
        session.identify("DEMO0003")
        shot = press_the_live_picture(session)
        assert isinstance(shot, Shot) and shot.override_reason == ""
        assert shot.analysis.checks["code_in_photo"].level != FAIL
    finally:
        session.stop_watching()
        session.source.stop()


def test_the_live_picture_shows_the_phone_the_code_scanner_read(demo_station, engine, pipeline,
                                                                 tmp_path: Path) -> None:
    results: list[LiveResult] = []
    session = session_on(demo_station, camera_showing(tmp_path, INSIDE), engine, pipeline,
                         SessionListener(live=results.append), live_checks=True)
    try:
        session.identify("DEMO0003")
        assert wait_for(session, lambda: any(r.analysis.checks["code_in_photo"].level == FAIL for r in results),
                        timeout=20.0)
        seen = next(r.analysis for r in results if r.analysis.checks["code_in_photo"].level == FAIL)
        [(x, y, _, _)] = seen.code_boxes
        (left, top), _ = INSIDE
        assert left < x < left + 20 and top < y < top + 30  # the code's own box, to outline on the picture
    finally:
        session.stop_watching()
        session.source.stop()


def test_the_live_checks_follow_the_school_s_own_rules(demo_station, engine, pipeline, tmp_path: Path) -> None:
    """The live picture's checks read the school's policy.toml in the data folder, as the shutter does: a school
    that lets a phone be in the photo (here, to test it) sees the code measured and passed."""
    (demo_station.home / "policy.toml").write_text("[code_in_photo]\nenforced = false\n", encoding="utf-8")
    results: list[LiveResult] = []
    session = session_on(demo_station, camera_showing(tmp_path, INSIDE), engine, pipeline,
                         SessionListener(live=results.append), live_checks=True)
    try:
        session.identify("DEMO0003")
        assert wait_for(session, lambda: any(r.analysis.checks["code_in_photo"].score == 1.0 for r in results),
                        timeout=20.0)
        seen = next(r.analysis for r in results if r.analysis.checks["code_in_photo"].score == 1.0)
        assert seen.checks["code_in_photo"].level == PASS and seen.checks["code_in_photo"].ok
    finally:
        session.stop_watching()
        session.source.stop()


def test_a_queued_student_outside_the_photo_does_not_stop_the_photo(demo_station, engine, pipeline,
                                                                     tmp_path: Path) -> None:
    """Someone queued at the picture's edge, well behind the student and wholly outside the photo: the press takes the
    photo of the student alone (it was refused with 画面中有多张人脸 before), asking nothing about the queue."""
    wang = cv2.imread(str(ASSETS_DIR / "demo" / "students" / "DEMO0003_2_good.jpg"))
    folder = tmp_path / "camera"
    folder.mkdir()
    cv2.imwrite(str(folder / "frame.png"), with_someone_else(0.55, 1160, wang))
    session = session_on(demo_station, folder, engine, pipeline, SessionListener())
    try:
        session.identify("DEMO0003")
        shot = press_the_live_picture(session)
        assert isinstance(shot, Shot) and shot.override_reason == "", shot
        assert shot.analysis.checks["face_count"].level == PASS and "face_count" not in shot.questions
        assert shot.student.student_no == WANG and shot.analysis.other_faces
        assert pipeline.verify(shot.chsi_jpeg).faces == 1
    finally:
        session.stop_watching()
        session.source.stop()
