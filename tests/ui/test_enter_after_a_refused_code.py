"""A mistyped code + Enter, then Enter again (a tired photographer's double Enter): the second Enter fired the shutter
for the student still on the card and replaced the refusal (first-run walk F13). Had that student not been
photographed yet, the face at the camera, the next student's, would have been filed under their name. Now Enter after
a refused code says the refusal again, with how to photograph the student on the card; Space, the shutter button and a
new identification are deliberate and end it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from station.capture.workflow import Step
from tests.ui.conftest import on_next_dialog
from tests.ui.reading import read
from ui.i18n import language, set_language, t
from ui.main_window import SHUTTER, SHUTTER_SPACE, MainWindow


def typed(qtbot, window: MainWindow, text: str) -> None:
    """A code typed (or scanned) into the code field, then Enter; '' is Enter alone."""
    qtbot.keyClicks(window.code_input, text)
    qtbot.keyClick(window.code_input, Qt.Key_Return)


def shot_or_asked(qtbot, window: MainWindow, asked: list[str]) -> bool:
    """The press went on (her open mouth fails a check: the override box asks, and is closed unanswered)."""
    qtbot.waitUntil(lambda: not window.session.pressing, timeout=30_000)
    return bool(asked) or window.session.step is Step.REVIEW


def test_enter_after_a_refused_code_does_not_shoot_the_student_on_the_card(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    asked: list[str] = []
    on_next_dialog(lambda box: (asked.append(box.labelText()), box.reject()))
    typed(qtbot, window, "DEMO0001")  # 林晓雯, not photographed yet
    typed(qtbot, window, "DEMO0099")
    assert "名单中没有“DEMO0099”" in window.message.text() and "当前学生仍是林晓雯" in read(window.message.text())
    for _ in range(2):
        typed(qtbot, window, "")  # the code's Enter pressed twice, and once more
        assert not shot_or_asked(qtbot, window, asked)
        assert window.message.property("level") == "bad"
        lines = read(window.message.text()).splitlines()
        assert "名单中没有“DEMO0099”" in lines[0]  # the refusal is said again, not replaced
        assert lines[-1] == "回车没有拍照：当前学生仍是林晓雯。确要给林晓雯拍照，请按空格键或“拍照”按钮"
    assert window.card.name.text() == "林晓雯"
    qtbot.keyClick(window.code_input, Qt.Key_Space)  # on purpose
    assert shot_or_asked(qtbot, window, asked)


def test_the_button_or_a_new_student_ends_it(qtbot, make_window, frames: Path) -> None:
    window = make_window(frames)
    asked: list[str] = []
    on_next_dialog(lambda box: (asked.append(box.labelText()), box.reject()))
    typed(qtbot, window, "DEMO0001")
    typed(qtbot, window, "DEMO0099")
    typed(qtbot, window, "DEMO0002")  # the right code this time: 陈浩然 on the card
    typed(qtbot, window, "")  # Enter is the shutter again
    assert shot_or_asked(qtbot, window, asked)
    asked.clear()
    on_next_dialog(lambda box: (asked.append(box.labelText()), box.reject()))
    typed(qtbot, window, "DEMO0099")
    window.shutter_button.click()
    assert shot_or_asked(qtbot, window, asked)
    asked.clear()
    on_next_dialog(lambda box: (asked.append(box.labelText()), box.reject()))
    typed(qtbot, window, "")  # after a deliberate press, Enter is the shutter again
    assert shot_or_asked(qtbot, window, asked)


def test_in_english(qtbot, make_window, frames: Path) -> None:
    before = language()
    set_language("en")
    try:
        window = make_window(frames)
        asked: list[str] = []
        on_next_dialog(lambda box: (asked.append(box.labelText()), box.reject()))
        typed(qtbot, window, "DEMO0001")
        typed(qtbot, window, "DEMO0099")
        typed(qtbot, window, "")
        assert not shot_or_asked(qtbot, window, asked)
        shown = read(window.message.text())
        assert shown.splitlines()[-1] == ("Enter took no photo: the current student is still 林晓雯. "
                                          "To photograph 林晓雯, press Space or the shutter button")
    finally:
        set_language(before)


def test_the_shutter_button_names_the_keys_that_shoot(qtbot, themed: str, make_window, frames: Path) -> None:
    """While Enter is held after a refused code, the button read 拍照（空格 / 回车）: it names Space alone, and both
    again once Enter shoots again (a new student on the card, or the shutter pressed on purpose)."""
    window = make_window(frames)
    asked: list[str] = []
    on_next_dialog(lambda box: (asked.append(box.labelText()), box.reject()))
    both, space = t(SHUTTER), t(SHUTTER_SPACE)
    typed(qtbot, window, "DEMO0001")
    assert window.shutter_button.text() == both
    typed(qtbot, window, "DEMO0099")
    assert window.shutter_button.text() == space and window.shutter_button.isEnabled()
    typed(qtbot, window, "")  # said again: still held
    assert window.shutter_button.text() == space
    typed(qtbot, window, "DEMO0002")
    assert window.shutter_button.text() == both
    typed(qtbot, window, "DEMO0099")
    assert window.shutter_button.text() == space
    qtbot.keyClick(window.code_input, Qt.Key_Space)  # on purpose
    assert shot_or_asked(qtbot, window, asked)
    window.flow.escape()  # in review: the photo dropped, the picture live again
    qtbot.waitUntil(lambda: window.shutter_button.isEnabled(), timeout=10_000)
    assert window.shutter_button.text() == both
