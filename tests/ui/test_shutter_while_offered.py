"""While another student's code held up asks to switch (F4), the press is refused (station/capture/session.py, since
f2ff82a), and the shutter button says so, greyed, as in its other blocked states: it looked ready and a click said
only afterwards why nothing was taken (identity-attacks-2, UI proposals)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from station.identify.frames import SeenCode
from tests.ui.reading import read
from ui.i18n import t
from ui.shutter_flow import OFFER_PRESS_GONE

HELD_UP = SeenCode("DEMO0002", 0.13, (40, 60, 166, 166))  # 陈浩然's phone, held up close
READY = {"zh": "拍照（空格 / 回车）", "en": "Shutter (Space / Enter)"}
WAITING = {"zh": "等待切换：请按 F4，或收起采集码/身份证", "en": "Press F4, or put the code or card away"}


def test_the_shutter_is_greyed_with_its_reason_while_a_switch_is_asked(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    assert (window.shutter_button.text(), window.shutter_button.isEnabled()) == (READY["zh"], True)
    window.session.camera_code(HELD_UP)
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    assert (window.shutter_button.text(), window.shutter_button.isEnabled()) == (WAITING["zh"], False)
    qtbot.keyClick(window.code_input, Qt.Key_Space)  # the key still presses, and is refused with the question's why
    assert "没有拍照" in read(window.message.text()) and window.session.workflow.shot is None
    window.session.code_gone(HELD_UP.text)  # the phone put away: the question withdrawn, the shutter ready again
    assert window.offer.text() == ""
    assert (window.shutter_button.text(), window.shutter_button.isEnabled()) == (READY["zh"], True)


def test_f4_frees_the_shutter_for_the_student_switched_to_in_english(qtbot, english, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    window.session.camera_code(HELD_UP)
    qtbot.waitUntil(lambda: window.offer.text() != "")
    assert (window.shutter_button.text(), window.shutter_button.isEnabled()) == (WAITING["en"], False)
    button = window.shutter_button
    assert button.fontMetrics().horizontalAdvance(button.text()) <= button.contentsRect().width()
    qtbot.keyClick(window.code_input, Qt.Key_F4)
    assert window.session.student.name == "陈浩然"
    assert (window.shutter_button.text(), window.shutter_button.isEnabled()) == (READY["en"], True)


def test_an_f4_said_too_late_goes_when_a_code_asks_again(qtbot, make_window, frames: Path) -> None:
    """F4 pressed after the phone had gone says no one asks to switch; the next code held up asked "press F4" above
    that line, still saying F4 does nothing (s25 layout walk, shots/23_offer.png)."""
    window = make_window(frames)
    window.identify("DEMO0001")
    qtbot.keyClick(window.code_input, Qt.Key_F4)
    assert window.message.text().startswith("没有待切换的学生")
    window.session.camera_code(HELD_UP)
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    assert window.message.text() == "" and window.message.isHidden()
    qtbot.keyClick(window.code_input, Qt.Key_F4)
    assert window.session.student.name == "陈浩然"


def test_a_refusal_naming_a_waiting_code_goes_when_that_code_changes_or_goes(qtbot, make_window, frames: Path) -> None:
    """A press refused for 陈浩然's waiting code said to press F4 to switch to 陈浩然; when 王思远's code asked next, the
    line stayed under the question naming 王思远, and F4 switched to 王思远 (s25 layout walk, 05_after_space.png). The
    session says the line no longer holds; the window lets it go. Once the phone is put away, too."""
    window = make_window(frames)
    window.identify("DEMO0001")
    window.session.camera_code(HELD_UP)
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    qtbot.keyClick(window.code_input, Qt.Key_Space)
    assert "陈浩然" in read(window.message.text()) and "F4" in read(window.message.text())
    window.session.camera_code(SeenCode("DEMO0003", 0.13, (40, 60, 166, 166)))  # 王思远's phone next
    qtbot.waitUntil(lambda: "王思远" in read(window.offer.text()))
    assert "陈浩然" not in read(window.message.text())
    assert window.message.text() == t(OFFER_PRESS_GONE)  # the press still said: it took no photo, naming nobody
    qtbot.keyClick(window.code_input, Qt.Key_Space)  # refused again, now naming 王思远: true, so it stays
    assert "王思远" in read(window.message.text())
    window.session.camera_code(SeenCode("DEMO0003", 0.13, (40, 60, 166, 166)))  # seen again: still true
    assert "王思远" in read(window.message.text())
    window.session.code_gone("DEMO0003")  # put away: F4 does nothing now
    assert window.offer.text() == ""
    # the press is not forgotten as if never made (s28 walk: a press in the question's last moment showed red for a
    # blink, then nothing): it took no photo, and the line names nobody
    assert window.message.text() == t(OFFER_PRESS_GONE) and window.message.property("level") == "warn"


def test_other_refusals_stay_when_a_code_asks(qtbot, make_window, frames: Path) -> None:
    """Only a line about a waiting code goes with it: an Enter refused after a code typed and refused is not."""
    window = make_window(frames)
    window.identify("DEMO0001")
    window.identify("DEMO0099")
    qtbot.keyClick(window.code_input, Qt.Key_Return)
    said = window.message.text()
    assert "回车没有拍照" in said
    window.session.camera_code(HELD_UP)
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    window.session.code_gone(HELD_UP.text)
    assert window.message.text() == said
