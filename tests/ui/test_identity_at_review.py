"""At review the new face is compared with the student's enrolment photo: the same person is said and shown; a
different person is not saved without a recorded reason (the "照片不是我本人" the station exists to prevent); a face
already photographed as another student is said with that student's photo beside the new one."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtCore import QRect
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QInputDialog, QLabel, QWidget

from station.adapters.demo import DEMO_DIR, DEMO_REFERENCES
from station.capture import workflow
from station.identity.capture_faces import station_gallery
from station.identity.references import import_reference_photos
from tests.identity.faces import photos_of
from tests.ui.conftest import answer_next_dialog, on_next_dialog, shoot, station_look
from tests.ui.reading import beside_shown, read
from tests.ui.test_side_panel_fits import SIZES, enclosing_scroll, place
from station.capture.workflow import REVIEW_AT_LEAST

OVERRIDE = "已目视确认，系统误报"  # the demo frame fails her smile


def in_sight(widget: QWidget, window: QWidget) -> bool:
    """Wholly shown: inside the window and not cut by any scrolling area it sits in."""
    shown = widget.visibleRegion().boundingRect()
    return widget.isVisible() and shown.size() == widget.size() and window.rect().contains(place(widget, window))


def with_references(station, tmp_path: Path, photos: dict[str, Path]) -> None:
    folder = tmp_path / "references"
    folder.mkdir()
    for student_no, photo in photos.items():
        shutil.copy(photo, folder / f"{student_no}.jpg")
    report = import_reference_photos(station, folder, station.demo_key.key)
    assert report.imported == len(photos), report.to_json()


def her_overridden_photo_in_review(qtbot, make_window, frames: Path, station, tmp_path: Path):
    """林晓雯 (her enrolment photo held) shot on the demo frame, its failed smile overridden (OVERRIDE): the window,
    her photo in review with the override's notes."""
    with_references(station, tmp_path, {"2021010101": DEMO_REFERENCES / "2021010101.jpg"})
    window = make_window(frames)
    window.identify("DEMO0001")
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    return window


def her_face_under_another_code(qtbot, window, code: str, reason: str) -> None:
    """林晓雯 photographed and saved (her smile overridden for `reason`), then `code` identified with her at the camera
    again: the caught swap, in review."""
    window.identify("DEMO0001")
    answer_next_dialog(reason)
    shoot(qtbot, window)
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    window.flow.accept()
    window.identify(code)
    answer_next_dialog(reason)
    shoot(qtbot, window)


def gallery_readers(monkeypatch) -> list[threading.Thread]:
    """The thread of each read of the station's face gallery (the real read), from now on."""
    readers: list[threading.Thread] = []

    def read(db, key):
        readers.append(threading.current_thread())
        return station_gallery(db, key)

    monkeypatch.setattr(workflow, "station_gallery", read)
    return readers


def test_the_same_person_is_said_and_the_enrolment_photo_shown(qtbot, make_window, frames: Path, station,
                                                                tmp_path: Path) -> None:
    with_references(station, tmp_path, {"2021010101": DEMO_DIR / "kiosk" / "02_good_shifted.jpg"})
    window = make_window(frames)
    window.identify("DEMO0001")
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    assert window.pages.currentWidget() is window.review
    assert window.review.identity.text() == "与学籍照片为同一人" and window.review.identity.property("level") == "ok"
    assert [read(caption) for caption in beside_shown(window.review)] == ["林晓雯的学籍照片"]
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    window.flow.accept()
    [row] = station.db.query("SELECT identity, questions FROM captures")
    [check] = json.loads(row["identity"])["checks"]
    assert check["against"] == "reference" and check["level"] == "same" and check["score"] > 0.5


def test_another_persons_face_is_not_saved_without_a_reason(qtbot, make_window, frames: Path, station,
                                                           tmp_path: Path, faces_dir: Path) -> None:
    with_references(station, tmp_path, {"2021010102": photos_of(faces_dir, "Colin_Powell")[0]})
    window = make_window(frames)
    window.identify("DEMO0002")  # 陈浩然's card, but the astronaut stands at the camera
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    assert "不是同一人" in window.review.identity.text() and window.review.identity.property("level") == "bad"
    assert [read(caption) for caption in beside_shown(window.review)] == ["陈浩然的学籍照片"]
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    on_next_dialog(lambda dialog: dialog.reject(), kind=QInputDialog)
    window.flow.accept()  # the box asks for a reason; cancelled: nothing saved, still in review
    assert window.pages.currentWidget() is window.review
    assert station.db.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 0
    answer_next_dialog("已核对身份证，确是本人")
    window.flow.accept()
    [row] = station.db.query("SELECT identity FROM captures WHERE student_no = '2021010102'")
    recorded = json.loads(row["identity"])
    assert recorded["reason"] == "已核对身份证，确是本人" and recorded["checks"][0]["level"] == "different"


def lines(label: QLabel) -> list[str]:
    """The label's text as Qt breaks it at its width."""
    layout = QTextLayout(label.text(), label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    broken = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(label.contentsRect().width())
        broken.append(label.text()[line.textStart():line.textStart() + line.textLength()].strip())
    layout.endLayout()
    return broken


@pytest.fixture
def station_theme() -> Iterator[None]:
    """The station's own look, as run_app sets it before the window is made (station_look); the test run's own after."""
    with station_look():
        yield


def test_a_face_already_photographed_as_another_student_is_shown_beside_theirs(qtbot, station_theme, make_window,
                                                                               frames: Path, station,
                                                                               tmp_path: Path) -> None:
    with_references(station, tmp_path, {"2021010103": DEMO_REFERENCES / "2021010103.jpg"})  # 王思远's own
    window = make_window(frames)
    her_face_under_another_code(qtbot, window, "DEMO0003", OVERRIDE)  # 王思远's code
    assert read(window.review.identity.text()) == "与学籍照片不是同一人！\n这张脸已作为林晓雯（2021010101）拍摄过！"
    assert window.review.identity.property("level") == "bad"
    # her photo beside the new one, and his own enrolment photo, named: both people are in sight, and whose is which (a
    # bare 学籍照片 beside hers was read as hers)
    assert [read(caption) for caption in beside_shown(window.review)] == ["林晓雯的照片（2021010101）", "王思远的学籍照片"]
    for width, height in SIZES:  # on a laptop's window: the verdict, whose photo it is, both faces in sight
        window.resize(width, height)
        qtbot.wait(50)
        review = window.review
        for widget in (review.identity, review.values["name"], *(view for _, view in review.beside)):
            assert in_sight(widget, window), (widget, width, height)
        assert enclosing_scroll(review.identity) is None  # however long the notes, the verdict never scrolls away
        # the override's reason and the questions to look at once more: three lines always shown, the photos shrink
        assert review.notes_area.viewport().height() >= 3 * review.notes.fontMetrics().lineSpacing()
        photos = [view.photo_rect().translated(place(view, window).topLeft()) for _, view in review.beside]
        assert all(rect.bottom() < place(review.accept_button, window).top() for rect in photos)
        # whose photo, then their number, each a whole line: "林晓雯（2021010101）的照片" broke before 的照片
        caption = next(label for label, view in review.beside if view.isVisible())
        assert [read(line) for line in lines(caption)] == ["林晓雯的照片", "（2021010101）"], (width, height)
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    asked = []

    def look(dialog: QInputDialog) -> None:
        """The question, and the box beside the two photos the photographer compares, not over them (its long
        question made it 520 px wide, over the enrolment photo, on the walk)."""
        photos = [QRect(view.mapToGlobal(view.photo_rect().topLeft()), view.photo_rect().size())
                  for _, view in window.review.beside if view.isVisible()]
        asked.append((dialog.labelText(), dialog.frameGeometry(), photos))
        dialog.reject()

    on_next_dialog(look, kind=QInputDialog)
    window.flow.accept()  # a swap needs a reason like another person's face: cancelled, nothing saved
    [(question, box, photos)] = asked
    assert read(question).startswith("这张脸已作为林晓雯（2021010101）拍摄过！\n请核对证件")
    assert len(photos) == 2 and not any(box.intersects(photo) for photo in photos), (box, photos)
    assert station.db.execute("SELECT COUNT(*) FROM captures WHERE student_no = '2021010103'").fetchone()[0] == 0


def test_the_days_faces_are_decrypted_at_start_up_off_the_ui_thread(qtbot, make_window, frames: Path, station,
                                                                    tmp_path: Path, monkeypatch) -> None:
    """The first shutter press does not wait for the day's gallery (about 2 s per 10,000 faces): the window has it
    read at start-up on the worker thread, and the press uses it."""
    with_references(station, tmp_path, {"2021010101": DEMO_DIR / "kiosk" / "02_good_shifted.jpg"})
    readers = gallery_readers(monkeypatch)
    window = make_window(frames)
    qtbot.waitUntil(lambda: window.session.workflow._faces is not None, timeout=10_000)
    window.identify("DEMO0001")
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    assert window.review.identity.text() == "与学籍照片为同一人"
    assert len(readers) == 1 and readers[0] is not threading.main_thread()
