"""Swaps across the day: every new face is compared with every capture and reference photo at the station; a face
that is another student's (better than its own, and at least as the same person) is stopped at review with both
photos, and saved only with a recorded reason. Real frames through the real shutter, real encrypted store."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import cv2
import pytest

from station.adapters.demo import DEMO_DIR, import_demo_references
from station.camera import open_camera
from station.camera.source import CameraState, Frame
from station.capture.identity_check import beside
from station.capture.session import CaptureSession
from station.capture.workflow import CaptureWorkflow, Shot, ShutterRefused
from station.errors import StationError
from station.identity.capture_faces import station_gallery
from station.identity.references import import_reference_photos
from station.storage.captures import CaptureStore

OVERRIDE = "已目视确认，系统误报"  # the demo frames fail her smile
KIOSK = DEMO_DIR / "kiosk"


@pytest.fixture
def session(demo_station, engine, pipeline):
    source = open_camera(str(KIOSK), fps=15).start()
    store = CaptureStore(demo_station, key=demo_station.demo_key)
    workflow = CaptureWorkflow(demo_station, store, "测试摄影师", engine=engine, pipeline=pipeline)
    session = CaptureSession(demo_station, store, "测试摄影师", source, live_checks=False, scan_codes=False,
                             workflow=workflow).start()
    wait_live(session)
    yield session
    session.source.stop()


def wait_live(session: CaptureSession) -> None:
    """Until the camera is live: the shutter is pressed on a live camera, and under load a file camera can pause
    long enough to count as frozen."""
    deadline = time.monotonic() + 15
    while session.source.state is not CameraState.LIVE and time.monotonic() < deadline:
        session.post.run_pending(0.05)


def shoot(session: CaptureSession, code: str, frame: str, retake: str = "") -> Shot:
    """The shutter on a kiosk frame (or another demo frame, by its path under assets/demo), overridden if refused."""
    session.identify(code)
    if retake:
        session.start_retake(retake)
    wait_live(session)
    request = session.press(Frame(1, time.monotonic(), cv2.imread(str(KIOSK / frame))))
    shot = session.take(session.measure(request))
    if isinstance(shot, ShutterRefused):
        shot = session.take(shot.measured, override_reason=OVERRIDE)
    assert isinstance(shot, Shot), shot
    return shot


def test_a_face_already_photographed_as_another_student_is_stopped_with_both_photos(session) -> None:
    first = shoot(session, "DEMO0001", "01_good.jpg")
    assert not first.identity and first.face is not None  # nothing to compare with yet; the face is kept
    saved = session.accept()
    shot = shoot(session, "DEMO0002", "02_good_shifted.jpg")  # 陈浩然's card, 林晓雯 at the camera again
    [swap] = [check for check in shot.identity if check.against == "swap"]
    assert swap.said.zh == "这张脸已作为林晓雯（2021010101）拍摄过！"
    assert swap.suspect.face.ref == saved.uid and swap.level == "different"
    [(photo, caption)] = beside(shot.identity, shot.student.name)  # 陈浩然 has no enrolment photo in this test: hers alone
    assert photo == session.store.load_for_review("2021010101", 1) and caption.zh == "林晓雯的照片（2021010101）"
    assert session.needs_identity_reason
    with pytest.raises(StationError):
        session.accept()
    session.accept("双胞胎，已核对身份证")
    row = session.station.db.execute("SELECT identity FROM captures WHERE student_no = '2021010102'").fetchone()
    recorded = json.loads(row[0])
    assert recorded["reason"] == "双胞胎，已核对身份证"
    assert recorded["checks"][0]["student_no"] == "2021010101" and recorded["checks"][0]["uid"] == saved.uid


def test_a_swap_saved_with_a_reason_does_not_vouch_for_its_retake(session) -> None:
    """林晓雯's face saved for 陈浩然 over the swap question, then 陈浩然 'retaken' with her face again: the wrong first
    photo matched the retake better than her own photo, so the retake passed as 陈浩然's own face with no question.
    A capture saved over a "different person" verdict speaks for nobody: the swap is asked again, in the gallery
    grown at the save and in the one read back from the database."""
    shoot(session, "DEMO0001", "01_good.jpg")
    session.accept()
    shoot(session, "DEMO0002", "02_good_shifted.jpg")
    session.accept("学生坚持是本人")
    retake = shoot(session, "DEMO0002", "02_good_shifted.jpg", retake="闭眼")  # the very frame: it matches best
    assert [(c.against, c.level) for c in retake.identity] == [("previous", "same"), ("swap", "different")]
    assert retake.identity[1].said.zh == "这张脸已作为林晓雯（2021010101）拍摄过！"
    assert session.needs_identity_reason
    faces = station_gallery(session.station.db, session.store.key.key)
    assert {f.student_no: f.vouches for f in faces.faces} == {"2021010101": True, "2021010102": False}


def test_a_retake_of_the_same_student_is_no_swap_and_the_gallery_keeps_only_current_faces(session) -> None:
    shoot(session, "DEMO0001", "01_good.jpg")
    first = session.accept()
    shot = shoot(session, "DEMO0001", "02_good_shifted.jpg", retake="闭眼")
    assert [check.against for check in shot.identity] == ["previous"]  # compared with her own cached face only
    assert shot.identity[0].level == "same"
    second = session.accept()
    faces = station_gallery(session.station.db, session.store.key.key)
    assert [(f.student_no, f.ref) for f in faces.faces] == [("2021010101", second.uid)]  # v1 is superseded
    assert second.uid != first.uid


def test_a_face_on_another_students_enrolment_photo_is_stopped(session, tmp_path: Path) -> None:
    folder = tmp_path / "references"
    folder.mkdir()
    shutil.copy(KIOSK / "01_good.jpg", folder / "2021010103.jpg")  # 王思远's enrolment photo shows 林晓雯's face
    station = session.station
    assert import_reference_photos(station, folder, station.demo_key.key).imported == 1
    shot = shoot(session, "DEMO0001", "02_good_shifted.jpg")
    [swap] = shot.identity
    assert swap.said.zh == "这张脸是王思远（2021010103）学籍照片上的人！"
    assert beside(shot.identity, shot.student.name)[0][0] == (folder / "2021010103.jpg").read_bytes()


def test_the_demo_day_clean_matches_then_a_caught_swap(session) -> None:
    """As README's demo walk-through: 林晓雯, 陈浩然 (enrolment photo another photograph than the camera's) and 王思远
    each match their own enrolment photo and nobody else's; then 赵雨桐's code with 林晓雯 at the camera is caught."""
    station = session.station
    import_demo_references(station, station.demo_key)
    import_demo_references(station, station.demo_key)  # a second demo start imports nothing again
    assert station.db.execute("SELECT COUNT(*) FROM reference_photos").fetchone()[0] == 4
    for code, frame in (("DEMO0001", "01_good.jpg"), ("DEMO0002", "../students/DEMO0002_2_good.jpg"),
                        ("DEMO0003", "../students/DEMO0003_2_good.jpg")):
        clean = shoot(session, code, frame)
        assert [(c.against, c.level) for c in clean.identity] == [("reference", "same")], code
        session.accept()
    caught = shoot(session, "DEMO0004", "02_good_shifted.jpg")  # 赵雨桐's code, 林晓雯's face
    assert [(c.against, c.level) for c in caught.identity] == [("reference", "different"), ("swap", "different")]
    assert caught.identity[1].said.zh == "这张脸已作为林晓雯（2021010101）拍摄过！"


def test_a_retake_that_puts_right_a_wrong_photo_asks_nothing(session) -> None:
    """照片不是我本人: 王思远's photo was taken of 林晓雯 (with a reason), and he comes back for a retake. His new face
    matches his enrolment photo and not the wrong photo it replaces: that doubt is about the old photo, so the retake
    is saved with no reason asked (it asked one, and the server held it back from CHSI)."""
    station = session.station
    import_demo_references(station, station.demo_key)
    wrong = shoot(session, "DEMO0003", "01_good.jpg")  # 林晓雯 at the camera under 王思远's name
    assert session.needs_identity_reason and [c.level for c in wrong.identity][0] == "different"
    session.accept("学生坚持，已核对")
    retake = shoot(session, "DEMO0003", "../students/DEMO0003_2_good.jpg", retake="照片不是我本人")
    assert [(c.against, c.level, c.outweighed) for c in retake.identity] == [
        ("reference", "same", False), ("previous", "different", True)]
    assert not session.needs_identity_reason
    assert retake.identity[1].said.zh == "与上一版照片不一致（上一版可能拍错了人或不清晰）"
    saved = session.accept()
    row = station.db.execute("SELECT identity FROM captures WHERE uid = ?", [saved.uid]).fetchone()
    assert [c["level"] for c in json.loads(row[0])["checks"]] == ["same", "different"]  # recorded as measured
