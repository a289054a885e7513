"""The reason boxes (override, retake, another person's face) by keyboard: they open empty, and the first Down
arrow picks the first reason (the most common one), as a photographer with one hand on the keyboard expects."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.ui.conftest import on_next_dialog
from station.capture.reasons import OVERRIDE_REASONS, RETAKE_REASONS


def test_down_arrow_picks_the_first_reason_and_up_picks_none(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    seen: list[tuple[str, str]] = []

    def press(keys: tuple[Qt.Key, ...]):
        def act(dialog) -> None:
            opened = dialog.textValue()
            for key in keys:
                qtbot.keyClick(dialog.findChild(QComboBox), key)
            seen.append((opened, dialog.textValue()))
            dialog.accept()
        return act

    on_next_dialog(press((Qt.Key.Key_Down,)))
    assert window.flow._ask_reason("t", "l", OVERRIDE_REASONS) == OVERRIDE_REASONS[0].zh
    on_next_dialog(press((Qt.Key.Key_Down, Qt.Key.Key_Down)))
    assert window.flow._ask_reason("t", "l", RETAKE_REASONS) == RETAKE_REASONS[1].zh
    on_next_dialog(press((Qt.Key.Key_Up,)))
    assert window.flow._ask_reason("t", "l", RETAKE_REASONS) == ""  # nothing chosen: nothing recorded
    assert seen == [("", OVERRIDE_REASONS[0].zh), ("", RETAKE_REASONS[1].zh), ("", "")]
