"""The live identity line: while a student is at the camera, the face there is compared with their enrolment photo
about once a second (real demo frames, the real session and its thread, the real face models and encrypted
reference photos). 陈浩然's own frames match his enrolment photo and are not 林晓雯's; a student with no enrolment
photo is said to have none. It falls quiet while no live face is compared, reads a reference imported meanwhile, and
never switches the student."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.adapters.demo import DEMO_DIR, DEMO_REFERENCES, import_demo_references
from station.camera import open_camera
from station.camera.source import CameraState, Frame
from station.capture.live_checks import LiveResult
from station.capture.live_identity import LiveIdentity, LiveIdentityWatcher
from station.capture.session import CaptureSession
from station.capture.workflow import CaptureWorkflow, ShutterRefused, ShutterRequest
from station.compliance.live import AWAY_BEFORE_NEW, LiveAnalyzer
from station.identity.embedder import FaceEmbedder
from station.storage.captures import CaptureStore

heard: list[LiveIdentity] = []  # what the session told its listener, in order


def start_session(station, engine, pipeline, tmp_path: Path, references: bool = True) -> CaptureSession:
    """The camera shows 陈浩然 alone (his two good frames), from a folder that can be unplugged (renamed)."""
    frames = tmp_path / "chen"
    frames.mkdir()
    for name in ("DEMO0002_2_good.jpg", "DEMO0002_3_good_shifted.jpg"):
        shutil.copy(DEMO_DIR / "students" / name, frames / name)
    if references:
        import_demo_references(station, station.demo_key)
    store = CaptureStore(station, key=station.demo_key)
    workflow = CaptureWorkflow(station, store, "测试摄影师", engine=engine, pipeline=pipeline)
    camera = open_camera(str(frames), fps=10, frozen_after=0.4, backoff_start=0.1, backoff_max=0.4, poll=0.02)
    session = CaptureSession(station, store, "测试摄影师", camera.start(), live_checks=False, scan_codes=False,
                             live_identity=True, workflow=workflow)
    session.listener.identity = heard.append
    heard.clear()
    return session.start()


@pytest.fixture
def session(demo_station, engine, pipeline, tmp_path: Path):
    """The demo's enrolment photos imported."""
    session = start_session(demo_station, engine, pipeline, tmp_path)
    yield session
    session.stop_watching()
    session.source.stop()


@pytest.fixture
def bare_session(demo_station, engine, pipeline, tmp_path: Path):
    """No enrolment photo imported yet."""
    session = start_session(demo_station, engine, pipeline, tmp_path, references=False)
    yield session
    session.stop_watching()
    session.source.stop()


def run_for(session: CaptureSession, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        session.post.run_pending(0.1)


def line_for(session: CaptureSession, code: str) -> LiveIdentity:
    """The first line said about the student `code` names, once they are made current."""
    session.identify(code)
    student_no = session.student.student_no
    deadline = time.monotonic() + 20  # a loaded machine's first look is slow
    while time.monotonic() < deadline:
        session.post.run_pending(0.1)
        said = [seen for seen in heard if seen.student_no == student_no]
        if said:
            return said[0]
    raise AssertionError(f"nothing said about {code}")


def test_his_own_face_matches_and_is_not_another_students(session: CaptureSession) -> None:
    own = line_for(session, "DEMO0002")  # 陈浩然 at the camera, 陈浩然 on the card
    assert own.level == "same" and own.score > 0.6 and own.said.zh == "与学籍照片一致"
    other = line_for(session, "DEMO0001")  # 陈浩然 at the camera, 林晓雯 on the card
    assert other.level == "different" and other.said.zh == "与学籍照片不是同一人！"
    assert session.student.student_no == "2021010101"  # said, never switched


def test_a_student_without_an_enrolment_photo_is_said_to_have_none(session: CaptureSession) -> None:
    line = line_for(session, "DEMO0005")  # 刘子涵: no enrolment photo in the demo
    assert line.level == "no_reference" and line.said.zh == "无学籍照片" and line.score is None


def test_the_line_falls_quiet_while_the_shutter_is_worked(session: CaptureSession) -> None:
    """Its last word would read as a verdict on the photo: the shutter's own comparison is the one to read."""
    line_for(session, "DEMO0002")
    heard.clear()
    request = session.press(session.source.latest())  # the shutter's work needs the cores: the comparison rests
    assert isinstance(request, ShutterRequest)
    run_for(session, 2.5)
    assert [seen.level for seen in heard] == ["quiet"] and heard[0].said.zh == ""
    heard.clear()
    session.release(request)
    assert line_for(session, "DEMO0002").level == "same"  # and speaks again once the shutter is free


def test_the_line_stays_quiet_while_the_override_question_is_open(session: CaptureSession) -> None:
    """Seen on a walk: with 仍要拍摄？ open over a refused press, the card said 与学籍照片一致 of the live face, read as
    a verdict on the photo about to be overridden. The press is not over until the question is answered."""
    line_for(session, "DEMO0002")
    request = session.press(session.source.latest())
    refused = session.take(session.measure(request))  # 陈浩然's broad smile: refused, a reason can override it
    assert isinstance(refused, ShutterRefused) and refused.can_override
    heard.clear()
    run_for(session, 2.5)  # two looks and more while the box would be open
    assert heard == []
    session.decline_override()  # closed without a reason: the live picture speaks again
    deadline = time.monotonic() + 20  # a loaded machine's first look is slow
    while not heard and time.monotonic() < deadline:
        session.post.run_pending(0.1)
    assert heard and heard[-1].level == "same"


def test_the_line_falls_quiet_while_the_camera_is_away(session: CaptureSession, tmp_path: Path) -> None:
    line_for(session, "DEMO0002")
    heard.clear()
    (tmp_path / "chen").rename(tmp_path / "unplugged")
    run_for(session, 2.0)
    assert session.source.state is not CameraState.LIVE
    assert [seen.level for seen in heard] == ["quiet"]  # said once, and nothing about a face no longer seen
    (tmp_path / "unplugged").rename(tmp_path / "chen")  # plugged back in: it speaks again
    deadline = time.monotonic() + 20  # a loaded machine's first look is slow
    while not any(seen.level == "same" for seen in heard) and time.monotonic() < deadline:
        session.post.run_pending(0.1)
    assert heard[-1].level == "same"


def test_a_reference_imported_for_the_student_on_the_card_is_used_at_once(bare_session: CaptureSession) -> None:
    assert line_for(bare_session, "DEMO0002").level == "no_reference"
    heard.clear()
    bare_session.import_references(DEMO_REFERENCES)  # while 陈浩然 stays on the card
    deadline = time.monotonic() + 20  # a loaded machine's first look is slow
    while not any(seen.level == "same" for seen in heard) and time.monotonic() < deadline:
        bare_session.post.run_pending(0.1)
    assert any(seen.level == "same" for seen in heard)
    assert bare_session.student.student_no == "2021010102"


def test_nothing_is_said_while_nobody_is_on_the_card(session: CaptureSession) -> None:
    run_for(session, 2.5)  # two looks and more
    assert heard == []


def test_no_face_at_the_camera_is_said(session: CaptureSession, tmp_path: Path) -> None:
    dark = tmp_path / "dark"
    dark.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "06_black.jpg", dark)  # a lens cap
    session.use_camera(open_camera(str(dark), fps=10).start())
    line = line_for(session, "DEMO0002")
    assert line.level == "no_face" and line.said.zh == "未检测到人脸"


def test_another_view_is_judged_afresh_not_held_from_the_last_one() -> None:
    """The demo's file camera shows 陈浩然, then 林晓雯 while she is on the card: her own face must not stay
    "not the same person" for two looks (a level holds two looks in a row only within one view)."""
    her = FaceEmbedder().glance(cv2.imread(str(DEMO_REFERENCES / "2021010101.jpg")))
    said: list[LiveIdentity] = []
    watcher = LiveIdentityWatcher(open_camera(str(DEMO_DIR / "kiosk")), lambda: "2021010101",
                                  lambda no: watcher.reference(no, her), said.append)
    chen = cv2.imread(str(DEMO_DIR / "students" / "DEMO0002_2_good.jpg"))
    lin = cv2.imread(str(DEMO_DIR / "kiosk" / "01_good.jpg"))
    for frame_id, (image, scene) in enumerate([(chen, 0), (chen, 0), (lin, 1)]):
        watcher._look(Frame(frame_id, 0.0, np.ascontiguousarray(image), scene))  # noqa: SLF001 - one look at a time
    assert [s.level for s in said] == ["different", "different", "same"]


def test_someone_coming_to_the_camera_has_the_line_look_again_at_once(session: CaptureSession, engine) -> None:
    """陈浩然 steps out and someone else steps in while he is on the card: the live checks see a face come after a
    moment without one, and the line starts afresh (a look begun before is not said) and looks again now, not a
    second later. His own face missed by the detector for a frame or two is not someone new."""
    assert line_for(session, "DEMO0002").level == "same"
    chen, lin = session.source.latest().image, cv2.imread(str(DEMO_DIR / "kiosk" / "01_good.jpg"))
    nobody = cv2.imread(str(DEMO_DIR / "kiosk" / "06_black.jpg"))
    analyzer = LiveAnalyzer(engine)
    seen = [(analyzer.analyze(image), analyzer.someone_new)[1] for image in (chen, chen, nobody, chen)]
    assert seen == [True, False, False, False]  # a blink of the detector: the same face back, nothing new
    for _ in range(AWAY_BEFORE_NEW):
        analyzer.analyze(nobody)  # nobody for a moment, the same scene
    analysis = analyzer.analyze(lin)
    assert analyzer.someone_new and analysis.face is not None
    watcher = session._identity  # noqa: SLF001
    watcher._interval = 100.0  # noqa: SLF001 - its rest: a word in the next 20 s comes only from a woken look
    run_for(session, 1.5)  # the look under way when the rest changed is over
    generation = watcher.generation
    heard.clear()
    session._live(session.source, LiveResult(1, (1280, 720), analysis, 0, analyzer.someone_new))  # noqa: SLF001
    assert watcher.generation > generation  # words of looks begun before are dropped
    deadline = time.monotonic() + 20  # a loaded machine's look is slow
    while not heard and time.monotonic() < deadline:
        session.post.run_pending(0.1)
    assert heard and heard[0].generation == watcher.generation  # it looked again at once, not after its rest


def test_a_word_from_a_look_begun_before_the_line_fell_quiet_is_not_said(session: CaptureSession) -> None:
    """A look at 陈浩然 that ends just after someone else came (its word reaches the session after the line fell
    quiet) says nothing: it is about a face gone since."""
    assert line_for(session, "DEMO0002").level == "same"
    watcher = session._identity  # noqa: SLF001
    late = LiveIdentity("2021010102", "same", 0.9, watcher.generation)
    session._quiet_identity()  # noqa: SLF001 - what a face coming to the camera does
    heard.clear()
    session._identity_seen(session.source, late)  # noqa: SLF001
    assert heard == []
    session._identity_seen(session.source, LiveIdentity("2021010102", "same", 0.9, watcher.generation))  # noqa: SLF001
    assert [seen.level for seen in heard] == ["same"]  # a look begun since is said
