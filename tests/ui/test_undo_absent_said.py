"""Shift+F3 with no absent mark to take back says so. Seen on the walk: after a restart 陈浩然 was still 缺席 on the
queue screen, Shift+F3 (which takes back only this run's marks) did nothing at all, and the photographer could not
tell whether the key had been heard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import close_anyway
from tests.ui.test_main_window import station_absent


def test_shift_f3_after_a_restart_says_there_is_nothing_to_take_back(qtbot, make_window, frames: Path) -> None:
    first = make_window(frames)
    qtbot.keyClick(first.code_input, Qt.Key_F3)  # 林晓雯 has not come
    assert station_absent(first, "2021010101")
    close_anyway(first)
    window = make_window(frames)  # the station started again: its marks to take back are this run's
    qtbot.keyClick(window.code_input, Qt.Key_F3, Qt.ShiftModifier)
    assert station_absent(window, "2021010101")  # a restart does not take it back
    said = window.message.text()
    assert "没有可撤销的缺席标记" in said and "只能撤销本次启动后" in said and "扫码即可拍摄" in said
    assert window.message.isVisible()


def test_shift_f3_once_this_runs_marks_are_taken_back_does_not_say_none_were_made(qtbot, make_window,
                                                                                 frames: Path) -> None:
    """The same line after this run's own mark was taken back: it may not claim nothing was marked since the start."""
    window = make_window(frames)
    qtbot.keyClick(window.code_input, Qt.Key_F3)
    qtbot.keyClick(window.code_input, Qt.Key_F3, Qt.ShiftModifier)  # taken back
    assert not station_absent(window, "2021010101")
    qtbot.keyClick(window.code_input, Qt.Key_F3, Qt.ShiftModifier)  # nothing left to take back
    said = window.message.text()
    assert "没有可撤销的缺席标记" in said and "没有标记过" not in said
