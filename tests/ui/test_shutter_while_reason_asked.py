"""While the override box asks why a failing frame is taken, the greyed shutter says the box is waiting for the
photographer, not that the station is busy: it read 正在处理照片… under the box (seen on Xvfb), as if the station
were slow rather than waiting for an answer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog

from tests.ui.conftest import on_next_dialog, shoot

OVERRIDE = "已目视确认，系统误报"  # the demo frame fails her smile


def test_the_shutter_says_the_reason_is_awaited(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    seen = []

    def answer(dialog: QInputDialog) -> None:
        seen.append((window.shutter_button.text(), window.shutter_button.isEnabled()))
        dialog.setTextValue(OVERRIDE)
        dialog.accept()

    on_next_dialog(answer)
    shoot(qtbot, window)
    assert seen == [("请在对话框中填写拍摄原因", False)]
    assert window.pages.currentWidget() is window.review
    assert window.shutter_button.text() == "请先确认或重拍左侧照片"


def test_the_shutter_is_free_again_once_the_box_is_closed_empty(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    on_next_dialog(lambda dialog: dialog.reject())
    shoot(qtbot, window)
    assert (window.shutter_button.text(), window.shutter_button.isEnabled()) == ("拍照（空格 / 回车）", True)
