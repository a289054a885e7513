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


def test_a_reason_typed_answers_the_box_and_the_same_keys_scanned_do_not(qtbot, make_window, frames: Path) -> None:
    """A person types a reason and presses Enter: it is the answer. A scanner sends the same keys a few ms apart: they
    are taken out of the box, which waits (a code scanned after words typed leaves the words)."""
    window = make_window(frames)
    seen: list[tuple[bool, str]] = []

    def act(dialog) -> None:
        box = dialog.findChild(QComboBox)
        qtbot.keyClicks(box, "checked")  # a scanner's pace
        qtbot.keyClick(box, Qt.Key.Key_Return)
        seen.append((dialog.isVisible(), dialog.textValue()))
        qtbot.keyClicks(box, "ok, ", delay=80)  # a person's
        qtbot.keyClicks(box, "DEMO0003")
        qtbot.keyClick(box, Qt.Key.Key_Return)
        seen.append((dialog.isVisible(), dialog.textValue()))
        qtbot.keyClicks(box, "by ID", delay=80)
        qtbot.keyClick(box, Qt.Key.Key_Return, delay=80)

    on_next_dialog(act)
    assert window.flow._ask_reason("t", "l", OVERRIDE_REASONS) == "ok, by ID"
    assert seen == [(True, ""), (True, "ok, ")]
