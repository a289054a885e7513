"""工作站 → 语言 / Language. The window's language was chosen only at start-up (--lang en): a photographer who starts
the station from its shortcut had no way to switch (s28 walk). The menu switches it now, builds the window again on
the same session (the student on the card and a retake under way said again), keeps the choice in the data folder
for the next start, where --lang still wins, and refuses, saying why, while a photo is in review or being taken."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from station.adapters.cli import parse_args
from station.adapters.startup import Opened
from station.capture.workflow import Step
from station.compliance import calibration
from station.chosen_language import LANG_FILE, chosen_lang
from station.context import Station
from tests.ui.conftest import answer_next_dialog, on_next_dialog, shoot
from tests.ui.menus import menu_action, words
from tests.ui.reading import read
from tests.ui.test_qt_language import _ok_cancel
from tests.ui.test_retake_line_stays import REASON, her_retake_begun
from tests.ui.test_shutter_while_offered import HELD_UP
from ui.app import run_app
from ui.i18n import language, set_language
from ui.main_window import MainWindow
from ui.opening import speak_as_chosen
from ui.start_dialog import StartDialog
from ui.tasks import run_task
from ui.theme import say
from ui.window_language import use_language


@pytest.fixture(autouse=True)
def the_runs_language() -> Iterator[None]:
    """The test run's language back after each test, and no Qt translation left installed by a switch (the run has
    none: a later test reads Qt's OK and Cancel)."""
    before = language()
    yield
    use_language(QApplication.instance(), "en")  # takes out the Chinese one a switch to 中文 installed
    set_language(before)


def on_screen() -> MainWindow:
    """The station's window the photographer sees."""
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())


def choose(window: MainWindow, name: str) -> MainWindow:
    """工作站 → 语言 / Language → `name`, as a photographer clicks it; the window on the session afterwards."""
    entry = next(a for a in window.menuBar().actions() if a.menu() and words(a.text()) in ("工作站", "Station"))
    languages = next(a.menu() for a in entry.menu().actions() if a.menu() and "Language" in a.text())
    action: QAction = next(a for a in languages.actions() if words(a.text()) == name)
    action.trigger()
    return on_screen()


def test_the_menu_switches_the_window_and_the_next_start(qtbot, make_window, frames: Path, station: Station) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    told = list(window.session.source._frame_listeners)  # the preview's
    english = choose(window, "English")
    assert english is not window and language() == "en"
    assert english.isVisible() and not window.isVisible()
    assert [words(m.text()) for m in english.menuBar().actions()] == ["Roster", "Upload", "Reports", "Station", "Help"]
    assert english.shutter_button.text() == "Shutter (Space / Enter)"
    # the student at the camera is still on the card: the shutter photographs them
    assert english.card.name.text() == "林晓雯" and english.session.student.student_no == "2021010101"
    assert read(english.message.text()).split("\n") == ["The window is now in English, and will be at the next start",
                                                         "林晓雯, please take your place"]
    assert (station.home / LANG_FILE).read_text("utf-8") == "en" and station.lang == "en"  # reports, print sheets
    shown = english.preview.shown_frame  # the camera's frames reach the new window's picture
    qtbot.waitUntil(lambda: english.preview.shown_frame is not shown, timeout=10_000)
    assert words(menu_action(english, "Keyboard…").text()) == "Keyboard…"
    assert _ok_cancel() == ("OK", "Cancel")  # Qt's own words too
    chinese = choose(english, "中文")  # and back, from the English menu
    assert language() == "zh" and chinese.shutter_button.text() == "拍照（空格 / 回车）"
    assert _ok_cancel() == ("确定", "取消")
    assert (station.home / LANG_FILE).read_text("utf-8") == "zh"
    choose(chinese, "English")
    assert _ok_cancel() == ("OK", "Cancel")  # Qt's Chinese taken out again
    # the camera tells one picture of its frames, not one more for each window built before (each kept, with the
    # frame it showed, while the camera ran)
    assert len(window.session.source._frame_listeners) == len(told)


def test_a_retake_under_way_is_said_in_the_new_language(qtbot, make_window, frames: Path) -> None:
    """Its reason too, one of those offered (picked in 中文, said in English: s30 review saw 重拍模式：the student asked
    after a switch to 中文); the reason recorded stays the one given."""
    window = her_retake_begun(qtbot, make_window, frames)
    english = choose(window, "English")
    assert read(english.message.text()).split("\n") == ["The window is now in English, and will be at the next start",
                                                         "Retake: the student asked"]
    assert english.session.workflow.retake_reason == REASON and english.card.name.text() == "林晓雯"


def test_no_switch_while_a_photo_is_in_review(qtbot, make_window, frames: Path, station: Station) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    answer_next_dialog("测试")
    shoot(qtbot, window)
    assert window.session.step is Step.REVIEW
    window.queue_window.toggle_in_front()  # F9: the queue screen over the station window
    assert choose(window, "English") is window and language() == "zh"
    assert read(window.message.text()) == "没有切换语言：照片正在确认中，请先确认（回车）或放弃（Esc），再切换语言"
    assert not (station.home / LANG_FILE).exists() and window.review.isVisible()
    assert not window.queue_window.in_front  # put back: the line saying why is in sight (it was said behind it)


def test_a_switch_refused_for_a_code_held_up_gives_way_once_the_code_is_put_away(qtbot, make_window,
                                                                                  frames: Path) -> None:
    """s30 review (Xvfb, the demo): refused while a code waited for F4, the switch's reason stood in red in place of
    林晓雯，请就位, and stayed there, still saying a code waited, once the phone was put away and the shutter ready."""
    window = make_window(frames)
    window.identify("DEMO0001")
    assert read(window.message.text()) == "林晓雯，请就位"
    window.session.camera_code(HELD_UP)
    qtbot.waitUntil(lambda: "陈浩然" in read(window.offer.text()))
    assert choose(window, "English") is window and language() == "zh"
    assert read(window.message.text()) == "没有切换语言：有采集码或身份证在等待切换，请先按 F4 或收起，再切换语言"
    assert window.message.property("level") == "info"  # nothing went wrong: what to do first
    choose(window, "English")  # asked again: the same line, once
    window.session.code_gone(HELD_UP.text)  # the phone put away: the question withdrawn
    assert (read(window.message.text()), window.message.property("level")) == ("林晓雯，请就位", "ok")
    assert choose(window, "English") is not window and language() == "en"  # and the switch goes ahead now


def test_a_start_speaks_the_language_chosen_unless_lang_says_otherwise(qtbot, home: Path) -> None:
    station = Station.open(home, None)
    opened = Opened(station, "", False)
    notice = QLabel()
    qtbot.addWidget(notice)
    try:
        speak_as_chosen(QApplication.instance(), None, opened, notice)  # never chosen: the default
        assert language() == "zh" and station.lang == "zh"
        station.choose_lang("en")
        station.lang = "zh"
        speak_as_chosen(QApplication.instance(), None, opened, notice)
        assert language() == "en" and station.lang == "en" and notice.text() == "Starting the station…"
        speak_as_chosen(QApplication.instance(), "zh", opened, notice)  # --lang zh for this run
        assert language() == "zh" and station.lang == "zh"
        (home / LANG_FILE).write_text("fr", "utf-8")  # not a language the station speaks
        assert chosen_lang(home) is None
    finally:
        station.close()


def test_work_given_before_a_switch_tells_its_result_to_the_window_before(qtbot, make_window, frames: Path) -> None:
    """A backdrop being measured off the UI thread when the language switched says its result to the window that
    asked: that window was deleted by then, and its message line raised a program error."""
    window = make_window(frames)
    measuring, heard = threading.Event(), []
    run_task(measuring.wait, lambda _: heard.append(say(window.message, "测量完成", "ok")))
    choose(window, "English")
    qtbot.wait(200)  # what was posted to the window before has run
    measuring.set()
    qtbot.waitUntil(lambda: bool(heard), timeout=5_000)
    assert on_screen() is not window


def deleted_and_collected(qtbot, before: list[weakref.ref[MainWindow]]) -> list[bool]:
    """Once the deletions a switch defers have run (after the worker's tasks, MainWindow.retire) and the garbage
    collector has run, which of the windows `before` are still there."""
    drained: list[None] = []
    run_task(lambda: None, drained.append)
    qtbot.waitUntil(lambda: bool(drained), timeout=30_000)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    return [ref() is not None for ref in before]


def test_a_backdrop_measured_across_a_switch_is_said_in_the_window_on_screen(
        qtbot, make_window, frames: Path, engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A calibration still being measured when the language switched said how it went to the window it was asked
    in, hidden by then: the photographer never saw whether it was saved."""
    monkeypatch.setattr(calibration, "BACKDROP_FILE", tmp_path / "none.toml")  # whatever this checkout holds
    window = make_window(frames)
    before, busy = engine.policy, threading.Event()  # the engine is shared by the test run: given back as it was
    run_task(busy.wait, lambda _: None)  # the worker busy: the backdrop is measured after the switch
    try:
        on_next_dialog(lambda box: box.button(QMessageBox.StandardButton.Ok).click(), kind=QMessageBox)
        window.calibrate_backdrop()
        assert read(window.message.text()) == "正在测量背景颜色…"
        english = choose(window, "English")
        busy.set()
        qtbot.waitUntil(lambda: english.message.text().startswith("Backdrop colour calibrated and saved ("),
                        timeout=20_000)
        assert words(english.calibrate_action.text()).startswith("Calibrate the backdrop colour (last ")
    finally:
        busy.set()
        engine.policy = before


def test_the_windows_a_switch_replaced_are_let_go(qtbot, make_window, frames: Path) -> None:
    """Each window replaced at a switch was held by the one before it (MainWindow.taken_over_by), so the first held
    every one built since the start, with what each last showed (the photo reviewed, a refused press's findings).
    Switched four times from the menu, as a photographer clicks it, each is gone, and the day goes on in the last."""
    make_window(frames)
    before = []
    for name in ("English", "中文", "English", "中文"):
        window = on_screen()
        before.append(weakref.ref(window))
        choose(window, name)  # the menu's own action: the window is replaced inside it
    del window
    assert deleted_and_collected(qtbot, before) == [False] * 4
    window = on_screen()
    window.identify("DEMO0001")
    assert window.card.name.text() == "林晓雯" and window.shutter_button.text() == "拍照（空格 / 回车）"
    answer_next_dialog("测试")
    shoot(qtbot, window)
    assert window.session.step is Step.REVIEW and window.review.isVisible()


def test_a_started_station_lets_go_of_the_window_a_switch_replaced(
        app_as_started, qtbot, home: Path, frames: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The station as started (run_app): it holds the window for the day (ui.opening) and freezes start-up's objects
    out of the garbage collector's reach (freeze_startup_objects). Frozen with them, the first window was kept after
    a switch whatever held it."""
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", "工作站的口令 2026")  # a laptop without a keyring, unattended
    first: list[weakref.ref[MainWindow]] = []
    alive: list[bool] = []

    def switch_once_up() -> None:
        if not any(isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets()):
            QTimer.singleShot(50, switch_once_up)
            return
        first.append(weakref.ref(on_screen()))
        choose(on_screen(), "English" if language() == "zh" else "中文")
        QTimer.singleShot(0, close_once_gone)

    def close_once_gone() -> None:
        try:
            alive.extend(deleted_and_collected(qtbot, first))
        finally:
            on_screen().close()

    gc.unfreeze()
    QTimer.singleShot(50, switch_once_up)
    on_next_dialog(lambda dialog: dialog.reject(), kind=StartDialog)  # a sign-in dialog fails the test, never hangs
    try:
        code = run_app(parse_args(["--home", str(home), "--operator", "王老师", "--camera", str(frames)]))
    finally:
        gc.unfreeze()
    assert (code, alive) == (0, [False])


def test_a_queue_window_closed_stays_closed_after_a_switch(qtbot, make_window, frames: Path) -> None:
    """The queue window closed with its title bar's button came back with the window built in the other language."""
    window = make_window(frames)
    window.show_with_queue()
    assert window.queue_window.isVisible()
    window.queue_window.close()
    english = choose(window, "English")
    assert english is not window and english.isVisible() and not english.queue_window.isVisible()
    english.toggle_queue_screen()  # F9 still brings it back
    assert english.queue_window.isVisible()


def test_a_queue_window_in_front_stays_in_front_after_a_switch(qtbot, make_window, frames: Path) -> None:
    """The queue window brought in front with F9 went back behind the window built in the other language."""
    window = make_window(frames)
    window.show_with_queue()
    qtbot.keyClick(window.code_input, Qt.Key.Key_F9)
    english = choose(window, "English")
    assert english.queue_window.isVisible() and english.queue_window.in_front
    qtbot.waitUntil(lambda: QApplication.activeWindow() is english)  # the window's keys are its own once it is active
    qtbot.keyClick(english.code_input, Qt.Key.Key_F9)  # and F9 puts it back behind
    assert english.queue_window.isVisible() and not english.queue_window.in_front
    choose(english, "中文")  # behind, it stays behind
    assert on_screen().queue_window.isVisible() and not on_screen().queue_window.in_front
