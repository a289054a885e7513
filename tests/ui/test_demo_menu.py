"""The demo window's 演示 menu says how to open the registrar's page of the demo's own server, and what it says
opens it (first-run walk s24, finding 11: the walker found the port with `ss -ltnp` and made a password by hand)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu

from station.adapters.cli import parse_args
from station.adapters.demo import DEMO_DIR, DemoServer
from station.camera import open_camera
from station.capture.session import CaptureSession
from station.pinning import pinned_context
from station.storage.captures import CaptureStore
from station.storage.server_link import load_link
from tests.ui.conftest import on_next_dialog, station_look
from tests.ui.test_menu_entries_whole import drawn_whole, ink_width
from ui import tasks
from ui.app import run_app
from ui.demo_menu import RegistrarPageDialog
from ui.main_window import MainWindow


def _menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


@pytest.fixture
def demo_window(qtbot, demo_station, tmp_path: Path) -> Iterator[MainWindow]:
    """The demo's window, with the demo's server running, as `photo-station --demo` opens it."""
    tasks.install()
    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", frames)
    server = DemoServer(demo_station).start()
    session = CaptureSession(demo_station, CaptureStore(demo_station, demo_station.demo_key), "演示摄影师",
                             open_camera(str(frames)).start(), post=tasks.to_main, live_checks=False,
                             scan_codes=False)
    window = MainWindow(session, demo=True)
    window.show()
    yield window
    window.close()
    session.close()
    server.stop()


def test_the_demo_menu_says_the_registrar_page_and_its_password(qtbot, demo_window: MainWindow) -> None:
    assert _menu_titles(demo_window)[-1] == "演示(&D)"
    menu = demo_window.menuBar().actions()[-1].menu()
    assert isinstance(menu, QMenu) and [a.text() for a in menu.actions()] == ["教务处登记页面(&R)…"]
    seen: list[str] = []

    def read(dialog: RegistrarPageDialog) -> None:
        seen.append(dialog.said.text())
        dialog.reject()

    on_next_dialog(read, kind=RegistrarPageDialog)
    menu.actions()[0].trigger()
    link = load_link(demo_window.session.station.db)
    said = seen[0]
    assert f"{link.url}/" in said and "用户名 registrar，密码 demo" in said and "证书 SHA-256 指纹" in said
    # what it says opens the page: the address, user and password as shown
    url = next(word for word in said.split() if word.startswith("演示服务器")).split("：", 1)[1]
    with httpx.Client(verify=pinned_context(link.cert_sha256), timeout=10) as web:
        for _ in range(50):  # the server's thread may take a moment to listen
            try:
                page = web.get(url, auth=("registrar", "demo"))
                break
            except httpx.TransportError:
                qtbot.wait(100)
    assert page.status_code == 200 and "演示2101" in page.text


def test_the_english_demo_says_the_registrar_page_is_in_chinese(qtbot, english, demo_window: MainWindow) -> None:
    """The registrar's pages speak Chinese alone: the English box says so before the photographer opens one (s33
    English walk)."""
    seen: list[str] = []

    def read(dialog: RegistrarPageDialog) -> None:
        seen.append(dialog.said.text())
        dialog.reject()

    on_next_dialog(read, kind=RegistrarPageDialog)
    demo_window.menuBar().actions()[-1].menu().actions()[0].trigger()
    link = load_link(demo_window.session.station.db)
    assert f"registrar page (in Chinese, as a registrar's office reads it):\n{link.url}/\n" in seen[0]  # its own line:
    # after the longer words the address wrapped at its slashes, https:// / 127.0.0.1:39595/ (s33 walk)


def test_the_menu_bars_own_menus_are_drawn_whole(qtbot, demo_station, tmp_path: Path) -> None:
    """Seen on Xvfb (s24): 演示 → "教务处登记…(R)…" and 帮助 → "键盘操…K)…  F1" again. The menu bar's style, which keeps
    the keyboard off it (ui.focus_return), passes to its menus, and it was the platform's, without the theme's room
    for the keyboard letter (ui.theme.MenuRoom). tests/ui/test_menu_entries_whole.py draws each entry in a menu of
    its own, outside the bar, so it did not see this: here the window's own 演示 menu (one entry, no shortcut: its
    ink is the entry's) is drawn."""
    with station_look():
        frames = tmp_path / "camera"
        frames.mkdir()
        shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", frames)
        tasks.install()
        session = CaptureSession(demo_station, CaptureStore(demo_station, demo_station.demo_key), "演示摄影师",
                                 open_camera(str(frames)).start(), post=tasks.to_main, live_checks=False,
                                 scan_codes=False)
        window = MainWindow(session, demo=True)
        try:
            window.show()
            menu = window.menuBar().actions()[-1].menu()
            menu.popup(window.mapToGlobal(window.rect().center()))
            qtbot.waitUntil(menu.isVisible)
            shown, whole = ink_width(menu.grab().toImage()), drawn_whole(menu, menu.actions()[0].text())
            menu.hide()
        finally:
            window.close()
            session.close()
    assert shown >= whole - 1, (shown, whole)


def test_a_real_stations_window_has_no_demo_menu(fresh_window: MainWindow) -> None:
    assert "演示(&D)" not in _menu_titles(fresh_window) and _menu_titles(fresh_window)[-1] == "帮助(&H)"


def test_the_demo_says_its_registrar_page_on_the_console(app_as_started, tmp_path: Path,  # noqa: F811
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """`bash scripts/run.sh --demo` runs in a terminal: the page's address and password are said there at start."""
    def close_once_up() -> None:
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)
        if window is None:
            QTimer.singleShot(50, close_once_up)
            return
        window.close()

    QTimer.singleShot(50, close_once_up)
    assert run_app(parse_args(["--demo", "--home", str(tmp_path / "demo")])) == 0
    said = capsys.readouterr().out
    assert "演示服务器的教务处登记页面：https://127.0.0.1:" in said and "用户名 registrar，密码 demo" in said
