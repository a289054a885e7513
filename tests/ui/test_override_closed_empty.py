"""The override box answered with Enter and no reason closes it: the side panel said only 照片不符合要求：请闭上嘴巴
(first-run walk s24, finding 7), not that nothing was saved nor how to take the photo anyway. A line under the refusal
says both, on one line of the side panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QInputDialog

from tests.ui.conftest import on_next_dialog, shoot
from tests.ui.reading import read
from tests.ui.test_shutter_while_offered import HELD_UP
from tests.ui.test_side_panel_fits import in_sight
from ui.shutter_flow import NOT_TAKEN


def enter_empty(qtbot):
    def act(dialog: QInputDialog) -> None:
        qtbot.keyClick(dialog.findChild(QComboBox), Qt.Key.Key_Return)  # a tired photographer's Enter, no reason
    return act


def test_an_empty_reason_says_nothing_was_saved_and_how_to_shoot(qtbot, themed: str, make_window,
                                                                  frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    on_next_dialog(enter_empty(qtbot))
    shoot(qtbot, window)
    refusal, said = window.message.text().split("\n")
    assert refusal.startswith("照片不符合要求" if themed == "zh" else "Breaks the rules")
    assert said == NOT_TAKEN.zh if themed == "zh" else said == NOT_TAKEN.en
    assert window.message.property("level") == "bad" and window.session.workflow.shot is None
    assert window.shutter_button.isEnabled()  # the way on: shoot again, and give a reason this time
    label = window.message  # one line of the side panel, beside its scroll bar
    room = label.contentsRect().width() - window.message_area.verticalScrollBar().sizeHint().width()
    assert label.fontMetrics().horizontalAdvance(said) <= room, (said, room)


def test_under_a_switch_question_both_are_read_whole_on_a_laptop(qtbot, themed: str, make_window,
                                                                frames: Path) -> None:
    """The next student's phone held up after the box closed empty: at 1280x680 the English refusal ran to three lines
    and its last (Nothing saved…) fell below the side panel's fold under the F4 question (s30 screens review)."""
    window = make_window(frames)
    window.resize(1280, 680)
    window.identify("DEMO0003")
    on_next_dialog(enter_empty(qtbot))
    shoot(qtbot, window)
    window.session.camera_code(HELD_UP)
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    qtbot.wait(50)
    assert window.message.text().endswith(NOT_TAKEN.zh if themed == "zh" else NOT_TAKEN.en)
    for label in (window.offer, window.message):
        assert in_sight(label), label.text()
    assert window.message_area.verticalScrollBar().maximum() == 0
