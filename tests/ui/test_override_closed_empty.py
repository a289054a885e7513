"""The override box answered with Enter and no reason closes it: the side panel said only 照片不符合要求：请闭上嘴巴
(first-run walk s24, finding 7), not that nothing was saved nor how to take the photo anyway. A line under the refusal
says both, on one line of the side panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QInputDialog

from tests.ui.conftest import on_next_dialog, shoot
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
    assert refusal.startswith("照片不符合要求" if themed == "zh" else "The photo breaks the rules")
    assert said == NOT_TAKEN.zh if themed == "zh" else said == NOT_TAKEN.en
    assert window.message.property("level") == "bad" and window.session.workflow.shot is None
    assert window.shutter_button.isEnabled()  # the way on: shoot again, and give a reason this time
    label = window.message  # one line of the side panel, beside its scroll bar
    room = label.contentsRect().width() - window.message_area.verticalScrollBar().sizeHint().width()
    assert label.fontMetrics().horizontalAdvance(said) <= room, (said, room)
