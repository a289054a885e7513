"""The demo under a window manager (openbox on Xvfb, as on a light Linux kiosk), seen through the X server.

With one monitor, a dialog opened behind the queue screen is a reason box nobody can see. A first-day walk under
openbox saw every dialog black in `xwd` screenshots; the server's own pixels showed them painted and on top (xwd
reads the area from the windows underneath when frames and Qt's windows use different colormaps). So this test
reads the stacking and the focus from the window manager's properties and the pixels with GetImage on the root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.cli import SCRIPT
from tests.ui.test_first_run_xcb import MAIN_TITLE, QUEUE_TITLE, _close, _press, _screenshot, _wait_for
from tests.ui.test_first_run_xcb import x_display  # noqa: F401 (the Xvfb fixture)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("Xvfb") is None
                                or shutil.which("openbox") is None, reason="needs Linux, Xvfb and openbox")
from Xlib import X, display as xdisplay  # noqa: E402
from Xlib.error import XError  # noqa: E402

ENGLISH_MAIN, ENGLISH_QUEUE = "Graduation photo station", "Photo queue"


def _clients(conn) -> list[tuple[str, object]]:
    """The window manager's client windows, bottom first, as (title, window)."""
    root = conn.screen().root
    stacking = root.get_full_property(conn.intern_atom("_NET_CLIENT_LIST_STACKING"), X.AnyPropertyType)
    found = []
    for wid in stacking.value if stacking else []:
        window = conn.create_resource_object("window", wid)
        try:
            name = window.get_full_property(conn.intern_atom("_NET_WM_NAME"), conn.intern_atom("UTF8_STRING"))
        except XError:  # closed while being looked at
            continue
        found.append((name.value.decode("utf-8") if name else "", window))
    return found


def _active(conn) -> int | None:
    active = conn.screen().root.get_full_property(conn.intern_atom("_NET_ACTIVE_WINDOW"), X.AnyPropertyType)
    return active.value[0] if active and len(active.value) else None


def _colours_on_screen(conn, window) -> int:
    """Distinct colours the screen shows where the window is (a black, unpainted box has one)."""
    geometry = window.get_geometry()
    origin = window.translate_coords(conn.screen().root, 0, 0)
    x, y = -origin.x, -origin.y
    area = _screenshot(conn)[y:y + geometry.height, x:x + geometry.width]
    return len(np.unique(area.reshape(-1, 3), axis=0))


def test_dialog_opens_on_top_painted_and_keyed_under_openbox(x_display: str, tmp_path: Path) -> None:  # noqa: F811
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(DISPLAY=x_display, PHOTO_STATION_LANG="zh")
    manager = subprocess.Popen(["openbox", "--sm-disable"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    conn = xdisplay.Display(x_display)
    station = None
    try:
        wm_check = conn.intern_atom("_NET_SUPPORTING_WM_CHECK")
        assert _wait_for(lambda: conn.screen().root.get_full_property(wm_check, X.AnyPropertyType), 10)
        station = subprocess.Popen([str(SCRIPT), "--demo", "--home", str(tmp_path / "demo")], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def main_window():
            return next((w for title, w in _clients(conn) if MAIN_TITLE in title), None)

        assert _wait_for(lambda: main_window() is not None and any(t == QUEUE_TITLE for t, _ in _clients(conn)), 60)
        main = main_window()
        assert _wait_for(lambda: _active(conn) == main.id), "the station window does not have the keyboard"

        before = {w.id for _, w in _clients(conn)}
        _press(conn, "Control_L", "p")  # the print dialog
        assert _wait_for(lambda: {w.id for _, w in _clients(conn)} - before), "Ctrl+P opened no dialog"
        title, dialog = next((t, w) for t, w in _clients(conn) if w.id not in before)
        assert _clients(conn)[-1][1].id == dialog.id, f"{title} opened under {[t for t, _ in _clients(conn)]}"
        assert _wait_for(lambda: _active(conn) == dialog.id), "the dialog does not have the keyboard"
        assert _wait_for(lambda: _colours_on_screen(conn, dialog) > 100), "the dialog shows a blank box on screen"

        _press(conn, "Escape")
        assert _wait_for(lambda: {w.id for _, w in _clients(conn)} == before), "Esc did not close the dialog"
        assert _wait_for(lambda: _active(conn) == main.id), "the keyboard did not come back to the station window"

        # On one screen the queue stands behind the station window: F9 brings it in front, the keyboard stays
        def top() -> str:
            return next(t for t, _ in reversed(_clients(conn)) if t in (QUEUE_TITLE,) or MAIN_TITLE in t)

        assert top() != QUEUE_TITLE
        _press(conn, "F9")
        assert _wait_for(lambda: top() == QUEUE_TITLE), f"F9 did not bring the queue forward: {_clients(conn)}"
        assert _active(conn) == main.id, "the queue took the keyboard from the station window"
        _press(conn, "F9")
        assert _wait_for(lambda: top() != QUEUE_TITLE), "F9 again did not put the queue back behind"
        assert _active(conn) == main.id

        # In front, it stays in front of the window built again in English (工作站 → 语言 → English): the window
        # manager raised the new window it activated over it. A switch waits while a phone's code waits for F4.
        _press(conn, "F9")
        assert _wait_for(lambda: top() == QUEUE_TITLE)
        for _ in range(10):
            _press(conn, "Alt_L", "s")
            time.sleep(0.3)
            _press(conn, "l")
            time.sleep(0.3)
            _press(conn, "e")
            if _wait_for(lambda: any(t == ENGLISH_QUEUE for t, _ in _clients(conn)), 2):
                break
        english = next(w for t, w in _clients(conn) if t.startswith(ENGLISH_MAIN))
        assert _wait_for(lambda: _active(conn) == english.id), "the new window does not have the keyboard"
        time.sleep(1)  # the window manager's raising of the window it activated is in
        assert [t for t, _ in _clients(conn)][-1] == ENGLISH_QUEUE, f"the queue went behind: {_clients(conn)}"
        _close(conn, english)
        assert station.wait(30) == 0
    finally:
        if station is not None:
            station.terminate()
            station.wait(20)
        conn.close()
        manager.terminate()
        manager.wait(10)
