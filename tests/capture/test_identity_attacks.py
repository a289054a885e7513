"""More sequences against the capture flow that could file a photo under a student other than the one in it (issue 21,
照片不是我本人): the roster changing under a student's turn, reference photos filed to the wrong student. A real session, a real file camera, real SQLite and the
real encrypted store, as tests/capture/test_flow_attacks.py."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import cv2
import pytest

from station.adapters.demo import DEMO_DIR, DEMO_REFERENCES
from station.audit.trail import entries
from station.camera.source import Frame
from station.camera.tether import TetheredFile
from station.capture.workflow import Shot, ShutterRefused, ShutterRequest
from station.errors import StationError
from station.identify.frames import SeenCode
from station.identify.idcard_protocol import CardText
from station.identity.references import import_reference_photos
from station.roster.importer import import_roster
from tests.capture import test_swaps
from tests.capture.test_flow_attacks import saved
from tests.capture.test_session import HELD_UP_BOX
from tests.capture.test_swaps import KIOSK, OVERRIDE, shoot, wait_live
from tests.capture.test_tethered_session import dropped

session = test_swaps.session  # the fixture: a started session on the kiosk frames' file camera, live

DEMO_ROSTER = DEMO_DIR / "roster.csv"


def codes_swapped(tmp_path: Path) -> Path:
    """The demo roster with 林晓雯's and 陈浩然's capture codes exchanged: a 采集码 column sorted on its own in Excel."""
    text = DEMO_ROSTER.read_text(encoding="utf-8").replace("DEMO0001", "DEMO_X").replace("DEMO0002", "DEMO0001")
    path = tmp_path / "swapped.csv"
    path.write_text(text.replace("DEMO_X", "DEMO0002"), encoding="utf-8")
    return path


def test_a_roster_imported_during_the_review_that_moves_the_code_saves_nothing_under_the_old_owner(
        session, tmp_path: Path) -> None:
    """The morning's roster gave 林晓雯's code to 陈浩然 (the 采集码 column sorted alone). She scans DEMO0001, he comes up,
    her photo is in review; the registrar imports the corrected roster meanwhile (the desk allows it at any time), and
    DEMO0001 is hers again. Enter saved her face as 陈浩然: the student held in review was the one the old roster named.
    The photo is not saved: the code that named him names someone else now, and the photographer scans again."""
    assert import_roster(session.station.db, codes_swapped(tmp_path)).updated == 2
    shot = shoot(session, "DEMO0001", "01_good.jpg")  # her face; the roster says 陈浩然
    assert shot.student.student_no == "2021010102"
    assert import_roster(session.station.db, DEMO_ROSTER).updated == 2  # corrected while her photo is in review
    with pytest.raises(StationError) as said:
        session.accept()
    assert "名单" in said.value.text.zh and "陈浩然" in said.value.text.zh
    assert saved(session, "2021010102") == 0 and session.workflow.shot is shot  # still in review, nothing filed
    session.reshoot()
    shoot(session, "DEMO0001", "01_good.jpg")  # scanned again: the corrected roster names her
    session.accept()
    assert (saved(session, "2021010101"), saved(session, "2021010102")) == (1, 0)


def test_a_roster_imported_while_the_frame_is_measured_takes_nothing(session, tmp_path: Path) -> None:
    """The same correction landing between the press and the review: the frame is not put in review as his."""
    assert import_roster(session.station.db, codes_swapped(tmp_path)).updated == 2
    session.identify("DEMO0001")
    wait_live(session)
    request = session.press(Frame(1, time.monotonic(), cv2.imread(str(KIOSK / "01_good.jpg"))))
    assert import_roster(session.station.db, DEMO_ROSTER).updated == 2
    refused = session.take(session.measure(request), override_reason=OVERRIDE)
    assert isinstance(refused, ShutterRefused) and not isinstance(refused, Shot) and "名单" in refused.message.zh
    assert session.workflow.shot is None and not session.pressing


def test_two_classes_numbering_their_photos_alike_each_get_their_own_reference_photo(session, tmp_path: Path) -> None:
    """A photo studio numbers each class's photos from 001 in a folder per class, and the roster's 照片 column names
    each file with its folder. The column was read by file name alone: 演示2101\\001.jpg and 演示2102\\001.jpg were the
    same key, the last row's, so 林晓雯's photo became 孙明轩's reference (and his own was refused as a duplicate).
    Her face under his code then passed as 与学籍照片为同一人 and was saved with no question. Each file is now the
    row's whose folder it is in, and her face under his code is stopped."""
    folder = tmp_path / "照片"
    for class_name, face in (("演示2101", "2021010101"), ("演示2102", "2021010103")):  # 王思远's face for 孙明轩's
        (folder / class_name).mkdir(parents=True)
        (folder / class_name / "001.jpg").write_bytes((DEMO_REFERENCES / f"{face}.jpg").read_bytes())
    listing = tmp_path / "照片名单.csv"
    listing.write_text("学号,姓名,照片\n2021010101,林晓雯,D:\\照片\\演示2101\\001.jpg\n"
                       "2021010201,孙明轩,D:\\照片\\演示2102\\001.jpg\n", encoding="utf-8")
    report = import_reference_photos(session.station, folder, session.store.key.key, roster=listing)
    assert (report.imported, report.rejected) == (2, [])
    shot = shoot(session, "DEMO0009", "01_good.jpg")  # 林晓雯 at the camera with 孙明轩's code
    assert session.needs_identity_reason, [check.said.zh for check in shot.identity]


def test_a_roster_that_changes_a_photographed_student_s_code_says_to_check_the_photo(session, tmp_path: Path) -> None:
    """Her face was saved as 陈浩然 by the morning's roster (her code on his row); the corrected roster gives the code
    back to her. The import said only 更新 2 人: the photo stayed under his number, to be uploaded as his, and nobody
    was told. The report names the photographed students whose name, ID number or code changed, and records them."""
    assert import_roster(session.station.db, codes_swapped(tmp_path)).updated == 2
    shoot(session, "DEMO0001", "01_good.jpg")  # her face; the roster says 陈浩然
    session.accept()
    report = session.desk.import_roster(DEMO_ROSTER)
    assert report.updated == 2 and report.photographed_changed == ["2021010102"]
    assert "已拍照的 1 名学生" in report.summary().zh and "2021010102" in report.summary().zh
    assert report.to_json()["photographed_changed"] == ["2021010102"]
    [recorded] = [e for e in entries(session.station.db) if e.action == "roster"][-1:]
    assert recorded.detail["photographed_changed"] == ["2021010102"]
    assert import_roster(session.station.db, DEMO_ROSTER).photographed_changed == []  # unchanged: nothing said


def test_a_missing_enrolment_photo_file_still_compares_with_its_kept_face(session, tmp_path: Path) -> None:
    """陈浩然's enrolment photo was imported, but its sealed file is gone (a data folder copied without references/, an
    antivirus quarantine). The shutter's comparison was dropped whole with the file, though his face's embedding is
    kept in the database: 林晓雯 under his code was saved with no verdict and no question. The comparison is made
    with the kept face, without the picture beside it."""
    folder = tmp_path / "references"
    folder.mkdir()
    (folder / "2021010102.jpg").write_bytes((DEMO_REFERENCES / "2021010102.jpg").read_bytes())
    assert import_reference_photos(session.station, folder, session.store.key.key).imported == 1
    [file] = session.station.db.execute("SELECT file FROM reference_photos").fetchone()
    (session.station.home / file).unlink()
    shot = shoot(session, "DEMO0002", "01_good.jpg")  # her face, his code
    [reference] = [check for check in shot.identity if check.against == "reference"]
    assert reference.level == "different" and reference.photo == b"" and session.needs_identity_reason


def ids_swapped(tmp_path: Path) -> Path:
    """The demo roster with 林晓雯's and 陈浩然's ID numbers exchanged: the 身份证号 column sorted on its own."""
    her, his = "110101200302111026", "110101200203121050"
    text = DEMO_ROSTER.read_text(encoding="utf-8").replace(her, "HERS").replace(his, her).replace("HERS", his)
    path = tmp_path / "ids_swapped.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_enrolment_photos_named_by_id_number_follow_a_corrected_roster(session, tmp_path: Path) -> None:
    """The school's enrolment photos are named by ID number; imported while the roster had 林晓雯's and 陈浩然's ID
    numbers exchanged, her photo became his reference, and her face under his code passed as the same person. The
    corrected roster said nothing of it (更新 2 人), and importing the photos again gave her photo to her as well, but
    left it his too. The roster import names the students whose reference photo was matched by an entry it changed,
    and a photo imported again leaves the student who held it before: one photo is one student's."""
    assert import_roster(session.station.db, ids_swapped(tmp_path)).updated == 2
    folder = tmp_path / "学籍照片"
    folder.mkdir()
    (folder / "110101200302111026.jpg").write_bytes((DEMO_REFERENCES / "2021010101.jpg").read_bytes())  # hers
    key = session.store.key.key
    assert import_reference_photos(session.station, folder, key).imported == 1
    holders = "SELECT student_no FROM reference_photos ORDER BY student_no"
    assert session.station.db.execute(holders).fetchall() == [("2021010102",)]  # his, by the swapped roster

    report = import_roster(session.station.db, DEMO_ROSTER)
    assert report.references_changed == ["2021010102"] and "请重新导入参考照片" in report.summary().zh
    assert import_reference_photos(session.station, folder, key).imported == 1
    assert session.station.db.execute(holders).fetchall() == [("2021010101",)]
    assert len(list((session.station.home / "references").rglob("*.pse"))) == 1  # his copy's sealed file is gone
    shot = shoot(session, "DEMO0002", "01_good.jpg")  # her face, his code: nothing of his says it is him
    assert session.needs_identity_reason, [check.said.zh for check in shot.identity]


def test_the_shutter_waits_while_another_student_s_code_is_held_up_to_the_camera(session, tmp_path: Path) -> None:
    """林晓雯 was scanned and left without her photo; 陈浩然 sits down and holds his phone up to the camera, which asks
    to switch (F4). A rushed photographer pressed the shutter anyway: the press put the question away and his face
    was filed as hers (with no enrolment photos, nothing else asks). A code held up that close is most often the
    sitter's own: the shutter refuses while the question stands, saying both ways on, and a tethered shot is set aside.
    Once the phone has gone (or F4 is pressed) the shutter works."""
    session.identify("DEMO0001")
    session.camera_code(SeenCode("DEMO0002", 0.13, HELD_UP_BOX))
    assert session.offer is not None and session.offer.student.student_no == "2021010102"
    wait_live(session)
    frame = cv2.imread(str(KIOSK / "01_good.jpg"))
    refused = session.press(Frame(1, time.monotonic(), frame))
    assert isinstance(refused, ShutterRefused) and "F4" in refused.message.zh and "陈浩然" in refused.message.zh
    assert not session.pressing and session.offer is not None  # the question still stands
    folder = tmp_path / "tether"
    folder.mkdir()
    dropped(folder, "IMG_0001.JPG")
    said = session.tethered_frame(TetheredFile(folder / "IMG_0001.JPG", cv2.imread(str(folder / "IMG_0001.JPG"))))
    assert not isinstance(said, ShutterRequest) and "F4" in said.zh and session.workflow.pressed is None
    session.code_gone("DEMO0002")  # the phone put away: her photo may be taken
    request = session.press(Frame(2, time.monotonic(), frame))
    assert isinstance(request, ShutterRequest) and request.student_no == "2021010101"
    session.release(request)
    session.camera_code(SeenCode("DEMO0002", 0.13, HELD_UP_BOX))  # held up again, and it is him: F4, then the shutter
    session.accept_offer()
    request = session.press(Frame(3, time.monotonic(), frame))
    assert isinstance(request, ShutterRequest) and request.student_no == "2021010102"
    session.release(request)


def test_a_retake_whose_earlier_photo_cannot_be_read_still_compares_with_its_kept_face(session) -> None:
    """林晓雯 was photographed; her saved photo's file is damaged since (a disk error). Her retake then compared the new
    face with nothing: 陈浩然's face under her code, with a retake reason, was saved with no question (no enrolment
    photos here). The face kept of her photo at the save still speaks: 与上一版照片不是同一人."""
    shoot(session, "DEMO0001", "01_good.jpg")
    version = session.accept()
    [file] = session.station.db.execute("SELECT chsi_file FROM captures WHERE uid = ?", [version.uid]).fetchone()
    (session.station.home / file).write_bytes(b"damaged")
    shot = shoot(session, "DEMO0001", "../students/DEMO0002_2_good.jpg", retake="学生要求重拍")
    [previous] = [check for check in shot.identity if check.against == "previous"]
    assert previous.level == "different" and previous.photo == b"" and session.needs_identity_reason


def test_the_next_student_s_card_laid_on_the_reader_asks_while_someone_is_at_the_camera(session) -> None:
    """The queue pressing forward: 陈浩然 lays his ID card on the chip reader while 林晓雯 is still at the camera. The card
    switched the student at once, and a rushed press filed her face as his. It now asks (F4) as a code held up does:
    the shutter waits while the card lies there, and lifted, it is hers again; F4 makes him current, with the chip's
    name said if it is not the roster's. With nobody at the camera a card still identifies at once."""
    asked: list[str] = []
    session.listener.offered = lambda found, _text: asked.append(found.student.student_no)
    his = CardText("陈浩然", "110101200203121050")
    session.identify("DEMO0001")
    session.card_laid(his)
    assert session.student.student_no == "2021010101" and asked == ["2021010102"]
    wait_live(session)
    frame = cv2.imread(str(KIOSK / "01_good.jpg"))
    refused = session.press(Frame(1, time.monotonic(), frame))
    assert isinstance(refused, ShutterRefused) and "F4" in refused.message.zh and "身份证" in refused.message.zh
    session.code_gone(his.id_number)  # lifted off the reader
    request = session.press(Frame(2, time.monotonic(), frame))
    assert isinstance(request, ShutterRequest) and request.student_no == "2021010101"
    session.release(request)
    session.card_laid(replace(his, name="陈皓然"))  # laid again, a character of his name misread on the chip
    found = session.accept_offer()
    assert session.student.student_no == "2021010102" and any("陈皓然" in w.zh for w in found.warnings)
    shoot(session, "DEMO0002", "../students/DEMO0002_2_good.jpg")
    session.accept()
    session.card_laid(CardText("王思远", "110101200304131071"))  # nobody at the camera: at once
    assert session.student.student_no == "2021010103"
