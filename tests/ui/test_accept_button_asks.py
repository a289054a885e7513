"""Review of a face that is another person's (不是同一人, a swap): the accept button no longer reads as a plain green
go beside the red verdict (seen on the demo's caught swap on Xvfb: red 不是同一人 above, green 确认保存 below); it
turns orange and says a reason will be asked. A photo of the student's own face keeps the green button."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor

from station.adapters.demo import DEMO_REFERENCES
from tests.ui.conftest import answer_next_dialog, shoot
from tests.ui.test_identity_at_review import OVERRIDE, station_theme, with_references  # noqa: F401 - a fixture
from station.capture.workflow import REVIEW_AT_LEAST


def background(window) -> QColor:
    """The accept button's colour as drawn: a pixel of its own, above its text."""
    image = window.review.accept_button.grab().toImage()
    return image.pixelColor(image.width() // 2, 4)


def greenish(colour: QColor) -> bool:
    return colour.green() > colour.red() + 40 and colour.green() > colour.blue() + 40


def test_the_accept_button_is_not_a_green_go_when_the_face_is_another_persons(qtbot, station_theme, make_window,
                                                                              frames: Path, station,
                                                                              tmp_path: Path) -> None:
    with_references(station, tmp_path, {"2021010101": DEMO_REFERENCES / "2021010101.jpg",
                                        "2021010103": DEMO_REFERENCES / "2021010103.jpg"})
    window = make_window(frames)
    window.identify("DEMO0001")  # 林晓雯 at the camera, her own card
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    assert window.review.identity.property("level") == "ok"
    assert greenish(background(window)), background(window).name()
    assert window.review.accept_button.toolTip() == ""
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    window.flow.accept()
    window.identify("DEMO0003")  # 王思远's code, 林晓雯 at the camera again: a swap
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    assert window.review.identity.property("level") == "bad"
    assert not greenish(background(window)), background(window).name()
    assert "原因" in window.review.accept_button.toolTip()
    window.flow.escape()  # dropped; 林晓雯's own code again, a retake of her own face: green once more
    window.identify("DEMO0001")
    answer_next_dialog("学生要求重拍")
    window.flow.ask_retake()
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    assert window.review.identity.property("level") == "ok"
    assert greenish(background(window)), background(window).name()
