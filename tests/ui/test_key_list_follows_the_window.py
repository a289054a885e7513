"""F1's key list is placed when F1 is pressed and again as the student moves, but it stayed where it was when the
station's window itself was narrowed or moved: over the code field, the student card and the messages, or far from
the window (Xvfb walk at 1600x1000, s33). Placed again by the same rule once the window is resized or moved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication

from tests.ui.test_key_list_beside_the_side_panel import SHOTS, on_screen, over_the_window, scene

SCREEN = QRect(0, 0, 1600, 1000)  # the walk's Xvfb screen: no room beside the window even at its narrowest
INSIDE = "KEY_LIST_FOLLOWS_THE_WINDOW_INSIDE"


def big_screen(tmp_path: Path) -> dict[str, str]:
    """The environment of a test run whose offscreen screen is SCREEN (Qt's offscreen plugin reads its screens from a
    JSON file): the test run's own screen is 800x800, narrower than the station's window."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "walk", "x": SCREEN.x(), "y": SCREEN.y(),
                                               "width": SCREEN.width(), "height": SCREEN.height(),
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    return {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", INSIDE: "1"}


def side_panel(window) -> tuple:
    return (window.code_input, window.card, window.message_area, window.check_board, window.shutter_button)


def test_the_key_list_follows_the_window(request, qtbot, tmp_path: Path) -> None:
    """The station filling the walk's screen: no room beside it, the list over the picture, right of a student
    standing left of centre. Narrowed to its narrowest, the list stood over the side panel; moved 200 px right and
    back, it stayed where it was, over the side panel again. Now over the picture beside the crop frame each time.
    Run again in a test run of its own on SCREEN (the window, the station and its models made only there)."""
    if QGuiApplication.primaryScreen().availableGeometry() != SCREEN:
        assert not os.environ.get(INSIDE), QGuiApplication.primaryScreen().availableGeometry()
        run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
                              f"{__file__}::{request.node.name}"], env=big_screen(tmp_path), capture_output=True,
                             text=True, timeout=280)
        assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
        return
    make_window = request.getfixturevalue("make_window")
    window = make_window(scene(tmp_path / "camera", "01_good.jpg", shift=150), live_checks=True)
    window.identify("DEMO0001")
    window.setGeometry(SCREEN)
    qtbot.waitUntil(lambda: window.preview.kept_clear() is not None, timeout=20_000)
    qtbot.wait(100)  # the picture drawn at the window's size
    window.show_keyboard_help()
    shown = window.help_window
    qtbot.waitUntil(shown.isVisible)
    assert shown.frameGeometry().left() > window.preview.kept_clear().right()  # on the side with more room
    placed_over_the_picture(window)
    window.resize(window.minimumSize().expandedTo(window.minimumSizeHint()).width(), SCREEN.height())
    assert window.width() < SCREEN.width() - 400
    qtbot.wait(300)  # laid out, the picture drawn again and the next live results
    over_the_window(window, shown).save(str(SHOTS / "help_narrowed.png"))
    placed_over_the_picture(window)
    window.move(window.x() + 200, window.y())
    assert window.frameGeometry().right() < SCREEN.right()
    qtbot.wait(300)
    over_the_window(window, shown).save(str(SHOTS / "help_moved.png"))
    placed_over_the_picture(window)
    # and back: the student's crop frame, moving away from the list, does not place it again (HelpWindow.follow)
    window.move(window.x() - 200, window.y())
    qtbot.wait(300)
    over_the_window(window, shown).save(str(SHOTS / "help_moved_back.png"))
    placed_over_the_picture(window)


def placed_over_the_picture(window) -> None:
    """No room beside the window: over its picture, beside the crop frame, clear of the side panel."""
    shown = window.help_window
    assert shown.isVisible()
    frame = shown.frameGeometry()
    assert on_screen(window.preview).contains(frame), (frame, on_screen(window.preview), window.frameGeometry())
    assert not frame.intersects(window.preview.kept_clear()), (frame, window.preview.kept_clear())
    for widget in side_panel(window):
        assert not frame.intersects(on_screen(widget)), (widget, frame, on_screen(widget))
