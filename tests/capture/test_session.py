"""The capture session without a window: codes the camera sees are taken only on purpose, a save stays confirmed
while the student's code is still in view, and a shutter press is measured once (an override measures nothing
again)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.camera import CameraState, open_camera
from station.capture.session import HELD_UP_SHARE, CaptureSession, SessionListener
from station.capture.workflow import (
    NO_FRESH_FRAME, Blocked, CaptureWorkflow, Measured, Shot, ShutterRefused, ShutterRequest, upright_plan,
)
from station.storage.captures import CaptureStore
from station.context import Station
from station.errors import StationError
from station.adapters.demo import DEMO_DIR
from station.identify.frames import SeenCode, decode_codes
from tests.identify.images import qr_image
from tests.upload.kit import wait_until

KIOSK = DEMO_DIR / "kiosk" / "01_good.jpg"
HELD_UP_BOX = (40.0, 60.0, 166.0, 166.0)  # a phone held up to the camera beside the student, outside the photo


@pytest.fixture
def station(demo_station):
    return demo_station


def frame_with_code(payload: str, width_px: int, at: tuple[int, int]) -> np.ndarray:
    """The kiosk frame (a student on the backdrop) with a QR code `width_px` wide pasted at `at`."""
    scene = cv2.imread(str(KIOSK))
    code = cv2.resize(qr_image(payload), (width_px, width_px), interpolation=cv2.INTER_NEAREST)
    x, y = at
    scene[y:y + width_px, x:x + width_px] = code
    return scene


class Heard:
    def __init__(self) -> None:
        self.identified: list[str] = []
        self.offered: list[str] = []

    def listener(self) -> SessionListener:
        return SessionListener(identified=lambda found: self.identified.append(found.student.student_no),
                               offered=lambda found, _text: self.offered.append(found.student.student_no))


def session_on(station: Station, frames: Path, engine, pipeline, heard: Heard) -> CaptureSession:
    source = open_camera(str(frames), fps=15).start()
    store = CaptureStore(station, key=station.demo_key)
    workflow = CaptureWorkflow(station, store, "测试摄影师", engine=engine, pipeline=pipeline)
    return CaptureSession(station, store, "测试摄影师", source, listener=heard.listener(), live_checks=False,
                          workflow=workflow).start()


def wait_for(session: CaptureSession, condition, timeout: float = 15.0) -> bool:
    """Run the session's reports on this thread (as a window's event loop would) until `condition` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session.post.run_pending(0.05)
        if condition():
            return True
    return False


def test_the_size_rule_tells_a_code_held_up_from_one_in_the_background() -> None:
    [near] = decode_codes(frame_with_code("DEMO0002", 170, (40, 60)))
    [far] = decode_codes(frame_with_code("DEMO0002", 60, (40, 60)))
    assert near.width_share >= HELD_UP_SHARE > far.width_share


def test_a_code_behind_the_current_student_never_switches_them(station, engine, pipeline, tmp_path: Path) -> None:
    frames = tmp_path / "camera"
    frames.mkdir()
    cv2.imwrite(str(frames / "a.png"), frame_with_code("DEMO0002", 60, (1100, 40)))  # a phone in the queue behind
    heard = Heard()
    session = session_on(station, frames, engine, pipeline, heard)
    try:
        session.identify("DEMO0001")  # typed: at once
        wait_for(session, lambda: False, timeout=2.5)  # the scanner has read the background code several times
        assert session.student.student_no == "2021010101" and heard.offered == [] and heard.identified == []
    finally:
        session.stop_watching()
        session.source.stop()


def test_a_code_held_up_asks_to_switch_and_switches_only_on_the_key(station, engine, pipeline, tmp_path: Path) -> None:
    frames = tmp_path / "camera"
    frames.mkdir()
    cv2.imwrite(str(frames / "a.png"), frame_with_code("DEMO0002", 170, (40, 60)))
    heard = Heard()
    session = session_on(station, frames, engine, pipeline, heard)
    try:
        session.identify("DEMO0001")
        assert wait_for(session, lambda: heard.offered == ["2021010102"])
        assert session.student.student_no == "2021010101"  # still the student on the card
        assert session.accept_offer().student.student_no == "2021010102"
        assert session.student.student_no == "2021010102"
    finally:
        session.stop_watching()
        session.source.stop()


def test_with_nobody_at_the_camera_a_code_identifies_at_once_but_not_the_student_just_saved(
        station, engine, pipeline, tmp_path: Path) -> None:
    from station.camera.source import CameraState, Frame

    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "qr" / "DEMO0001.jpg", frames)
    heard = Heard()
    session = session_on(station, frames, engine, pipeline, heard)
    try:
        assert wait_for(session, lambda: heard.identified == ["2021010101"])  # nobody was there: at once
        session.stop_watching()
        # pressed on a live camera, as a photographer would (under load a file camera can pause long enough to freeze)
        assert wait_for(session, lambda: session.source.state is CameraState.LIVE)
        request = session.press(Frame(1, time.monotonic(), cv2.imread(str(KIOSK))))
        refused = session.take(session.measure(request))
        session.take(refused.measured, override_reason="已目视确认，系统误报")
        session.accept()
        held_up = SeenCode("DEMO0001", 0.13, HELD_UP_BOX)  # her phone, still held up after the save
        session.camera_code(held_up)
        assert session.student is None and heard.identified == ["2021010101"]  # the save stays confirmed
        session.identify("DEMO0003")
        session.camera_code(SeenCode("DEMO0002", 0.13, HELD_UP_BOX))  # someone is at the camera: a code held up asks
        assert heard.offered == ["2021010102"] and session.student.student_no == "2021010103"
    finally:
        session.stop_watching()
        session.source.stop()


def test_a_code_held_up_while_the_override_reason_is_typed_asks_nothing(
        station, engine, pipeline, tmp_path: Path) -> None:
    """The next student's phone held up while the override box is open neither switches nor asks to switch (an
    F4 question over the box read as being about the photo): the press is not over until the box is answered, and
    the photo is the card's student's. Once the box is declined, a phone held up asks again. The window asks the
    session whether a press is on (`pressing`) and what its open box is about (`override_asked`): kept nowhere else."""
    from station.camera.source import Frame

    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(KIOSK, frames)
    heard = Heard()
    session = session_on(station, frames, engine, pipeline, heard)
    try:
        session.stop_watching()
        session.identify("DEMO0001")
        request = session.press(Frame(1, time.monotonic(), cv2.imread(str(KIOSK))))
        assert session.pressing and session.override_asked is None  # being measured
        refused = session.take(session.measure(request))
        assert session.pressing and session.override_asked is refused.measured.analysis  # the box is open
        assert session.shutter_blocked() is Blocked.ANSWERING
        session.camera_code(SeenCode("DEMO0002", 0.13, HELD_UP_BOX))  # held up while the reason is typed
        assert heard.offered == [] and session.offer is None
        assert isinstance(session.take(refused.measured, override_reason="已目视确认，系统误报"), Shot)
        assert session.offer is None and session.student.student_no == "2021010101"
        assert not session.pressing and session.override_asked is None  # answered: the photo is in review
        session.reshoot()
        refused = session.take(session.measure(session.press(Frame(2, time.monotonic(), cv2.imread(str(KIOSK))))))
        session.decline_override()
        assert not session.pressing and session.override_asked is None and session.shutter_blocked() is None
        session.camera_code(SeenCode("DEMO0002", 0.13, HELD_UP_BOX))
        assert heard.offered == ["2021010102"] and session.student.student_no == "2021010101"
    finally:
        session.source.stop()


def test_one_measurement_per_press_and_an_override_measures_nothing_again(station, engine, pipeline) -> None:
    store = CaptureStore(station, key=station.demo_key)
    workflow = CaptureWorkflow(station, store, "测试摄影师", engine=engine, pipeline=pipeline)
    workflow.identify("DEMO0001")
    from station.camera.source import CameraState, Frame

    image = cv2.imread(str(KIOSK))
    request = workflow.press(Frame(7, time.monotonic(), image), CameraState.LIVE)
    assert isinstance(request, ShutterRequest)
    assert workflow.press(Frame(8, time.monotonic(), image), CameraState.LIVE).message.zh.startswith("正在处理")
    measured = workflow.measure(request)
    assert isinstance(measured, Measured) and measured.chsi.ok
    assert upright_plan(measured.analysis) is not None  # the pipeline started from the analysis's own crop plan
    refused = workflow.take(measured)
    assert isinstance(refused, ShutterRefused) and refused.can_override  # her broad smile
    assert refused.measured is measured
    shot = workflow.take(refused.measured, override_reason="已目视确认，系统误报")
    assert isinstance(shot, Shot) and shot.analysis is measured.analysis and shot.chsi_jpeg == measured.chsi.jpeg


def test_a_frame_measured_for_one_student_is_never_taken_for_another(station, engine, pipeline) -> None:
    from station.camera.source import CameraState, Frame

    workflow = CaptureWorkflow(station, CaptureStore(station, key=station.demo_key), "测试摄影师", engine=engine,
                               pipeline=pipeline)
    workflow.identify("DEMO0001")
    request = workflow.press(Frame(1, time.monotonic(), cv2.imread(str(KIOSK))), CameraState.LIVE)
    measured = workflow.measure(request)
    workflow.identify("DEMO0002")  # scanned while the frame was being measured
    refused = workflow.take(measured, override_reason="已目视确认，系统误报")
    assert isinstance(refused, ShutterRefused) and "另一名学生" in refused.message.zh and workflow.shot is None


def test_a_phone_put_away_withdraws_its_question(station, engine, pipeline, tmp_path: Path) -> None:
    """The next student holds a phone up, then puts it away: F4 must no longer switch to someone who has walked
    off (the stale question stood on screen for the rest of the current student's turn)."""
    frames = tmp_path / "camera"
    frames.mkdir()
    cv2.imwrite(str(frames / "a.png"), frame_with_code("DEMO0002", 170, (40, 60)))
    heard = Heard()
    withdrawn: list[bool] = []
    session = session_on(station, frames, engine, pipeline, heard)
    session.listener.withdrawn = lambda: withdrawn.append(True)
    try:
        session.identify("DEMO0001")
        assert wait_for(session, lambda: heard.offered == ["2021010102"])
        session.code_gone("DEMO0009")  # another code leaving the picture does not end this question
        assert session.offer is not None and withdrawn == []
        session.code_gone("DEMO0002")
        assert session.offer is None and withdrawn == [True]
        with pytest.raises(StationError):
            session.accept_offer()
        assert session.student.student_no == "2021010101"
    finally:
        session.stop_watching()
        session.source.stop()


def test_a_picture_from_before_the_camera_was_lost_is_never_taken(station, engine, pipeline, tmp_path: Path) -> None:
    """An unplugged camera leaves its last picture on screen, dimmed: it may show the student before. Once the camera
    is back, a press on that picture (a window that missed the loss) finds no fresh picture; the camera's next one is
    taken. The session asks the camera (`FrameSource.lost_after`), not the window."""
    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(KIOSK, frames)
    source = open_camera(str(frames), fps=50, frozen_after=0.4, backoff_start=0.1, backoff_max=0.4, poll=0.02).start()
    store = CaptureStore(station, key=station.demo_key)
    workflow = CaptureWorkflow(station, store, "测试摄影师", engine=engine, pipeline=pipeline)
    session = CaptureSession(station, store, "测试摄影师", source, live_checks=False, scan_codes=False, workflow=workflow)
    try:
        session.identify("DEMO0001")
        before = source.wait_newer(0, 5.0)
        frames.rename(tmp_path / "unplugged")
        assert wait_until(lambda: source.state is CameraState.DISCONNECTED)
        (tmp_path / "unplugged").rename(frames)
        assert wait_until(lambda: source.state is CameraState.LIVE)
        refused = session.press(before)
        assert isinstance(refused, ShutterRefused) and refused.message == NO_FRESH_FRAME
        request = session.press(source.wait_newer(source.lost_after, 5.0))
        assert isinstance(request, ShutterRequest)
        session.release(request)
    finally:
        source.stop()


def test_the_window_is_not_built_again_in_another_language_while_the_capture_could_not_be_shown_as_it_stands(
        station, engine, pipeline, tmp_path: Path) -> None:
    """A window built again (工作站 → 语言) could not show a press, its photo in review or a question to switch to a
    code held up as they stand: the session says why not, in both languages, and the window only shows it."""
    from station.camera.source import Frame

    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(KIOSK, frames)
    session = session_on(station, frames, engine, pipeline, Heard())
    try:
        session.stop_watching()
        assert session.language_switch_refused() is None
        session.identify("DEMO0001")
        assert session.language_switch_refused() is None  # the student on the card is said again in the new window
        session.camera_code(SeenCode("DEMO0002", 0.13, HELD_UP_BOX))
        refused = session.language_switch_refused()
        assert (refused.zh, refused.en) == (
            "没有切换语言：有采集码或身份证在等待切换，请先按 F4 或收起，再切换语言",
            "The language was not switched: a code or ID card is waiting to be switched to. Press F4 or put it away "
            "first, then switch")
        session.code_gone("DEMO0002")
        assert session.language_switch_refused() is None
        request = session.press(Frame(1, time.monotonic(), cv2.imread(str(KIOSK))))
        assert session.language_switch_refused().zh == "没有切换语言：正在拍照，拍完后再切换语言"  # being measured
        refused = session.take(session.measure(request))
        assert session.language_switch_refused().zh == "没有切换语言：正在拍照，拍完后再切换语言"  # its box open
        session.take(refused.measured, override_reason="已目视确认，系统误报")
        assert session.language_switch_refused().en == ("The language was not switched: a photo is in review. Accept "
                                                        "it (Enter) or drop it (Esc) first, then switch")
        session.reshoot()
        assert session.language_switch_refused() is None
    finally:
        session.source.stop()
