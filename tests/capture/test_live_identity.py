"""The live identity line: while a student is at the camera, the face there is compared with their enrolment photo
about once a second (real demo frames, the real session and its thread, the real face models and encrypted
reference photos). 陈浩然's own frames match his enrolment photo and are not 林晓雯's; a student with no enrolment
photo is said to have none. It never switches the student."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.adapters.demo import DEMO_DIR, DEMO_REFERENCES, import_demo_references
from station.camera import open_camera
from station.camera.source import Frame
from station.capture.live_identity import LiveIdentity, LiveIdentityWatcher
from station.capture.session import CaptureSession
from station.capture.workflow import CaptureWorkflow, ShutterRequest
from station.identity.embedder import FaceEmbedder
from station.storage.captures import CaptureStore

heard: list[LiveIdentity] = []  # what the session told its listener, in order


@pytest.fixture
def session(demo_station, engine, pipeline, tmp_path: Path):
    """The camera shows 陈浩然 alone (his two good frames); the demo's enrolment photos are imported."""
    frames = tmp_path / "chen"
    frames.mkdir()
    for name in ("DEMO0002_2_good.jpg", "DEMO0002_3_good_shifted.jpg"):
        shutil.copy(DEMO_DIR / "students" / name, frames / name)
    import_demo_references(demo_station, demo_station.demo_key)
    store = CaptureStore(demo_station, key=demo_station.demo_key)
    workflow = CaptureWorkflow(demo_station, store, "测试摄影师", engine=engine, pipeline=pipeline)
    session = CaptureSession(demo_station, store, "测试摄影师", open_camera(str(frames), fps=10).start(),
                             live_checks=False, scan_codes=False, live_identity=True, workflow=workflow)
    session.listener.identity = heard.append
    heard.clear()
    session.start()
    yield session
    session.stop_watching()
    session.source.stop()


def line_for(session: CaptureSession, code: str) -> LiveIdentity:
    """The first line said about the student `code` names, once they are made current."""
    session.identify(code)
    student_no = session.student.student_no
    deadline = time.monotonic() + 8
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


def test_nothing_is_said_while_the_shutter_is_worked(session: CaptureSession) -> None:
    line_for(session, "DEMO0002")
    request = session.press(session.source.latest())  # the shutter's work needs the cores: the comparison rests
    assert isinstance(request, ShutterRequest)
    heard.clear()
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:
        session.post.run_pending(0.1)
    assert heard == []
    session.release(request)
    assert line_for(session, "DEMO0002").level == "same"  # and speaks again once the shutter is free


def test_nothing_is_said_while_nobody_is_on_the_card(session: CaptureSession) -> None:
    deadline = time.monotonic() + 2.5  # two looks and more
    while time.monotonic() < deadline:
        session.post.run_pending(0.1)
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
