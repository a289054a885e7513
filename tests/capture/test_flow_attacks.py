"""Sequences of events against the capture flow that could file a photo under a student other than the one at the
camera, or save a doubted face without its reason: a real session, a real file camera, the real encrypted store."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import pytest

from station.adapters.demo import DEMO_REFERENCES
from station.camera.source import Frame
from station.camera.tether import TetherWatcher
from station.capture.session import UNFILED_DIR
from station.capture.workflow import Shot, ShutterRefused, ShutterRequest
from station.errors import StationError
from station.identify.frames import SeenCode
from station.identify.identify import Outcome
from station.identity.references import import_reference_photos
from station.roster.importer import import_roster
from tests.capture import test_swaps
from tests.capture.test_session import HELD_UP_BOX
from tests.capture.test_swaps import KIOSK, OVERRIDE, shoot, wait_live
from tests.capture.test_tethered_session import dropped, session_with

session = test_swaps.session  # the fixture: a started session on the kiosk frames' file camera, live

HER_FRAME = KIOSK / "01_good.jpg"  # 林晓雯 (DEMO0001, 2021010101)


def saved(session, student_no: str) -> int:
    return session.station.db.execute("SELECT COUNT(*) FROM captures WHERE student_no = ?", [student_no]).fetchone()[0]


def pressed(session, code: str):
    """The shutter on her frame for the student `code` names, measured: the refusal her smile gets."""
    session.identify(code)
    wait_live(session)
    refused = session.take(session.measure(session.press(Frame(1, time.monotonic(), cv2.imread(str(HER_FRAME))))))
    assert isinstance(refused, ShutterRefused) and refused.can_override
    return refused


def test_a_code_scanned_into_a_reason_box_is_no_reason(session, tmp_path: Path) -> None:
    """The next student scans their code while a reason box is open: the scanner types it into the box and its Enter
    answers it. A code or student number is never taken as the override, the retake or the identity reason."""
    folder = tmp_path / "references"
    folder.mkdir()
    (folder / "2021010102.jpg").write_bytes((DEMO_REFERENCES / "2021010103.jpg").read_bytes())  # not her face
    assert import_reference_photos(session.station, folder, session.store.key.key).imported == 1

    refused = pressed(session, "DEMO0002")  # 陈浩然's card, 林晓雯 at the camera
    again = session.take(refused.measured, override_reason="DEMO0003")  # 王思远's code, scanned into the box
    assert isinstance(again, ShutterRefused) and "采集码或学号“DEMO0003”" in again.message.zh
    assert not again.can_override and not session.pressing and session.workflow.shot is None
    shot = session.take(refused.measured, override_reason=OVERRIDE)
    assert isinstance(shot, Shot) and session.needs_identity_reason  # not the person of 陈浩然's enrolment photo
    for scanned in ("DEMO0003", "2021010103"):  # a capture code, a student number
        with pytest.raises(StationError):
            session.accept(identity_reason=scanned)
    assert saved(session, "2021010102") == 0 and session.workflow.shot is shot  # still in review
    session.reshoot()

    shoot(session, "DEMO0004", "01_good.jpg")
    session.accept()
    session.identify("DEMO0004")  # photographed: a retake needs its reason
    with pytest.raises(StationError) as said:
        session.start_retake("DEMO0001")
    assert "DEMO0001" in said.value.text.zh and session.workflow.needs_retake_reason


def test_a_student_identified_again_while_the_frame_is_measured_takes_nothing(session) -> None:
    """Her code scanned twice (the scanner read it again, or she showed it again) while the retake's frame was measured:
    identifying her again started her turn afresh, without the retake's reason, and the photo was then saved as a new
    version with no reason recorded. Likewise her, another student, her again. The frame is refused; pressed again
    once the reason is given, it is taken with it."""
    shoot(session, "DEMO0001", "01_good.jpg")
    session.accept()
    session.identify("DEMO0001")
    session.start_retake("学生要求重拍")
    request = session.press(Frame(1, time.monotonic(), cv2.imread(str(HER_FRAME))))
    session.identify("DEMO0001")  # scanned again while the worker measures
    refused = session.take(session.measure(request), override_reason=OVERRIDE)
    assert isinstance(refused, ShutterRefused) and "又识别了一次" in refused.message.zh and session.workflow.shot is None
    assert session.workflow.needs_retake_reason

    session.start_retake("学生要求重拍")
    request = session.press(Frame(2, time.monotonic(), cv2.imread(str(HER_FRAME))))
    session.identify("DEMO0002")
    session.identify("DEMO0001")
    assert isinstance(session.take(session.measure(request), override_reason=OVERRIDE), ShutterRefused)
    assert saved(session, "2021010101") == 1


def test_a_tethered_shot_landing_after_the_next_student_was_identified_is_set_aside(demo_station, engine, pipeline,
                                                                                    tmp_path: Path) -> None:
    """The studio camera's file began arriving while 林晓雯 was on the card (a slow transfer, the second of a burst) and
    was whole only after 陈浩然 was scanned: it is her shot, never his. A file first seen after he was identified is
    his shutter frame."""
    heard: list = []
    session = session_with(demo_station, engine, pipeline, heard)
    folder = tmp_path / "tether"
    folder.mkdir()
    watcher = TetherWatcher(folder, heard.append)
    try:
        session.identify("DEMO0001")
        dropped(folder, "IMG_0001.JPG")
        assert watcher.poll(time.monotonic()) == []  # seen, not yet known to be whole
        session.identify("DEMO0002")  # the next student, scanned
        [late] = watcher.poll(time.monotonic())
        said = session.tethered_frame(late)
        assert not isinstance(said, ShutterRequest) and "之前就已开始传来" in said.zh
        assert (demo_station.home / UNFILED_DIR / "IMG_0001.JPG").is_file() and session.workflow.pressed is None

        dropped(folder, "IMG_0002.JPG")
        watcher.poll(time.monotonic())
        [his] = watcher.poll(time.monotonic())
        request = session.tethered_frame(his)
        assert isinstance(request, ShutterRequest) and request.student_no == "2021010102"
        session.release(request)
    finally:
        session.source.stop()


def test_an_id_number_that_is_another_students_number_names_nobody_by_itself(session, tmp_path: Path) -> None:
    """A roster where 刘洋's student number is 林晓雯's ID number (a station that imported it before the importer refused
    such a row). Her ID number typed or scanned was looked up as a student number first: 刘洋 came up, and her
    photo was filed as his. Such a code names several students and identifies nobody; picked from the roster by
    number, or switched to with F4, 刘洋 is exactly him."""
    roster = tmp_path / "more.csv"
    roster.write_text("学号,姓名,性别,班级,采集码\n110101200302111026,刘洋,男,演示2101,DEMO0099\n", encoding="utf-8")
    assert import_roster(session.station.db, roster).rejected  # refused now: see tests/roster/test_registrar_files.py
    with session.station.db.conn:  # as an older import left it
        session.station.db.execute(
            "INSERT INTO students(student_no, name, gender, class_name, capture_code, created_at, updated_at) "
            "VALUES ('110101200302111026', '刘洋', '男', '演示2101', 'DEMO0099', '2026-06-01', '2026-06-01')")
    typed = session.identify("110101200302111026")  # 林晓雯's ID number
    assert typed.outcome is Outcome.AMBIGUOUS and session.student is None
    assert "林晓雯" in typed.message.zh and "刘洋" in typed.message.zh and "110101200302111026" not in typed.message.zh
    picked = session.identify("110101200302111026", by_number=True)  # 名单 → 选择学生…: his row
    assert picked.student.name == "刘洋" and session.student.name == "刘洋"

    session.identify("DEMO0001")
    session.camera_code(SeenCode("DEMO0099", 0.13, HELD_UP_BOX))  # his code held up beside her
    assert session.offer.student.name == "刘洋"
    assert session.accept_offer().student.name == "刘洋" and session.student.name == "刘洋"


def test_a_code_in_the_background_identifies_nobody_even_with_nobody_at_the_camera(session) -> None:
    """Nobody on the card (the student before just saved): 王思远, third in the queue, stands behind with his phone
    open. His code, a twentieth of the picture, made him current at once, and 陈浩然, who sat down next, was
    photographed as 王思远. A code is taken only held up close, as an ID card is: the next student holds theirs up."""
    session.camera_code(SeenCode("DEMO0003", 0.04, (1150.0, 60.0, 50.0, 50.0)))  # in the queue, behind
    assert session.student is None
    session.camera_code(SeenCode("DEMO0002", 0.13, HELD_UP_BOX))  # held up to the camera
    assert session.student.name == "陈浩然"
