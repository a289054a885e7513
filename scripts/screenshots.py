"""Renders the station's windows offscreen with the demo and saves PNGs (for the README and for review).

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR] [--lang zh|en] [--size 1366x700]
(the README's are 1400x860; a laptop's maximised window is about 1366x700 or 1280x680)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QTimer  # noqa: E402
from PySide6.QtGui import QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget  # noqa: E402

from station.camera import open_camera  # noqa: E402
from station.capture.session import CaptureSession  # noqa: E402
from station.adapters.startup import PassphraseNeed, open_station  # noqa: E402
from station.storage.captures import CaptureStore  # noqa: E402
from station.adapters.cli import parse_args  # noqa: E402
from station.adapters.demo import DEMO_DIR, import_demo_references  # noqa: E402
from station.i18n import Text  # noqa: E402
from station.identify.frames import SeenCode  # noqa: E402
from station.fees.ledger import Method  # noqa: E402
from station.storage import outbox  # noqa: E402
from ui import tasks  # noqa: E402
from ui.i18n import install_qt_translations, set_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.payment_dialog import PaymentDialog  # noqa: E402
from ui.roster_dialogs import ScheduleDialog  # noqa: E402
from ui.start_dialog import StartDialog  # noqa: E402
from ui.theme import apply_theme  # noqa: E402
from ui.upload_dialog import FailedUploadsDialog  # noqa: E402


def pump(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def over_the_window(window: QWidget, dialog: QWidget) -> QPixmap:
    """The window with the dialog drawn where it stands over it, as the photographer sees them."""
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(dialog.mapToGlobal(QPoint(0, 0))), dialog.grab())
    painter.end()
    return picture


def shoot_and_grab(app: QApplication, window: QWidget, path: Path) -> None:
    """Press the shutter (a box it opens is answered by a timer set before), wait for the press's work, and save
    the window as it then stands."""
    window.flow.shutter()
    while window.session.pressing:
        pump(app, 0.1)
    pump(app, 0.3)
    window.grab().save(str(path))


def grab_and_pick_first_reason(path: Path, window: QWidget) -> None:
    """Saves the override dialog once it is open (alone, and where it stands over the window), then overrides with
    its first offered reason, as a photographer would (the shutter's work runs off the UI thread first)."""
    dialog = QApplication.activeModalWidget()
    if dialog is None:
        QTimer.singleShot(200, lambda: grab_and_pick_first_reason(path, window))
        return
    dialog.grab().save(str(path))
    over_the_window(window, dialog).save(str(path.with_name(path.stem + "_window.png")))
    dialog.setTextValue(dialog.comboBoxItems()[0])
    dialog.accept()


def grab_and_close(path: Path, window: QWidget, before: Callable[[QDialog], None] = lambda _: None) -> None:
    """Saves the next modal dialog where it stands over the window (after `before` did something in it), then closes
    it unanswered."""
    dialog = QApplication.activeModalWidget()
    if dialog is None:
        QTimer.singleShot(200, lambda: grab_and_close(path, window, before))
        return
    before(dialog)
    QApplication.processEvents()
    over_the_window(window, dialog).save(str(path))
    dialog.reject()


def refuse_a_code_as_the_reason(dialog: PaymentDialog) -> None:
    dialog.choose(Method.FREE)
    dialog.reason.setText("2021010102")  # a student's number as a free set's reason: refused, said in the dialog
    dialog.submit()


def grab_and_close_anyway(path: Path) -> None:
    box = QApplication.activeModalWidget()
    box.grab().save(str(path))
    next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole).click()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="assets/screenshots", type=Path)
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--size", default="1400x860", help="the station window's width x height")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    set_language(options.lang)
    app = QApplication(sys.argv[:1])
    tasks.install()
    install_qt_translations(app)
    apply_theme(app)
    for need in (PassphraseNeed.SET, PassphraseNeed.UNLOCK):  # a laptop without an OS keyring
        dialog = StartDialog("王摄影", need)
        dialog.show()
        pump(app, 0.2)
        dialog.grab().save(str(options.out / f"start_{need.value}_{options.lang}.png"))
        dialog.close()
    with tempfile.TemporaryDirectory() as home:
        frames = Path(home) / "frames"
        frames.mkdir()
        shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", frames)
        argv = ["--demo", "--home", home, "--lang", options.lang, "--camera", str(frames)]
        args = parse_args(argv)
        opened = open_station(args)
        station = opened.station
        import_demo_references(station, opened.key)  # as the demo does: review shows each verdict beside them
        # no uploader: the photo stays queued, so the screens can show a waiting and a failed upload
        session = CaptureSession(station, CaptureStore(station, key=opened.key), "王摄影",
                                 open_camera(opened.camera).start(), post=tasks.to_main, live_identity=True)
        window = MainWindow(session, demo=True)
        window.resize(*(int(n) for n in options.size.split("x")))
        window.show()
        slots = ScheduleDialog(session.desk.class_slots(), session.desk.save_slots, window)
        slots.show()
        pump(app, 0.2)
        slots.grab().save(str(options.out / f"slots_{options.lang}.png"))
        slots.close()
        window.identify("DEMO0001")
        pump(app, 4.0)
        window.grab().save(str(options.out / f"main_{options.lang}.png"))
        QTimer.singleShot(500, lambda: grab_and_pick_first_reason(options.out / f"override_{options.lang}.png", window))
        window.flow.shutter()  # her smile fails the checks: the override dialog opens
        while window.session.pressing:
            pump(app, 0.1)
        if session.workflow.shot is not None:
            pump(app, 0.3)
            window.grab().save(str(options.out / f"review_{options.lang}.png"))
            window.flow.accept()
            failed = outbox.claim(station.db)  # the server refused it: the status bar turns red
            outbox.fail(station.db, failed, Text("服务器拒绝：令牌无效", "server refused: bad token"))
            window._tick()
            pump(app, 0.2)
            window.grab().save(str(options.out / f"upload_failed_{options.lang}.png"))
            dialog = FailedUploadsDialog(outbox.queue_health(station.db), window)
            dialog.show()
            pump(app, 0.2)
            dialog.grab().save(str(options.out / f"failed_uploads_{options.lang}.png"))
            dialog.close()
            window.identify("DEMO0001")  # photographed: F2 asks why, below what the side panel says of her
            pump(app, 1.5)
            QTimer.singleShot(300, lambda: grab_and_close(options.out / f"retake_{options.lang}.png", window))
            window.flow.ask_retake()
            QTimer.singleShot(300, lambda: grab_and_close(options.out / f"payment_refused_{options.lang}.png", window,
                                                          refuse_a_code_as_the_reason))
            window.record_payment()
            session.desk.record_payment("2021010101", Method.WECHAT, "20")  # F6 again: she has paid, 关闭 the default
            QTimer.singleShot(300, lambda: grab_and_close(options.out / f"paid_notice_{options.lang}.png", window))
            window.record_payment()
            # her code held up while she is on the card again: the F4 question and 已拍过… in the side panel
            session.camera_code(SeenCode("DEMO0002", 0.13, (40, 60, 166, 166)))
            pump(app, 0.5)
            window.grab().save(str(options.out / f"two_messages_{options.lang}.png"))
            window.identify("DEMO0001")  # the question put away: her retake, judged beside both earlier photos
            window.flow.start_retake("学生要求重拍", "2021010101")
            QTimer.singleShot(500, lambda: grab_and_pick_first_reason(options.out / f"override_retake_{options.lang}.png",
                                                                        window))
            shoot_and_grab(app, window, options.out / f"retake_review_{options.lang}.png")
            window.flow.escape()
        window.identify("DEMO0004")  # 赵雨桐, photographed with 林晓雯's face: the swap the demo shows on purpose
        pump(app, 0.5)
        QTimer.singleShot(500, lambda: grab_and_pick_first_reason(options.out / f"override_swap_{options.lang}.png",
                                                                    window))
        shoot_and_grab(app, window, options.out / f"review_swap_{options.lang}.png")
        window.flow.escape()  # not saved: photographed again
        pump(app, 0.3)
        window.identify("DEMO0003")
        QTimer.singleShot(500, lambda: grab_and_close(options.out / f"override_box_{options.lang}.png", window))
        # his smile fails too: the box closed with no reason, nothing saved, said
        shoot_and_grab(app, window, options.out / f"override_empty_{options.lang}.png")
        session.camera_code(SeenCode("DEMO0002", 0.13, (40, 60, 166, 166)))  # the next student's phone held up: asks
        pump(app, 0.5)
        window.grab().save(str(options.out / f"switch_offer_{options.lang}.png"))
        window.flow.shutter()  # refused: 陈浩然's code waits, "press F4 to switch to 陈浩然"
        pump(app, 0.2)
        window.grab().save(str(options.out / f"offer_refused_{options.lang}.png"))
        session.camera_code(SeenCode("DEMO0004", 0.13, (40, 60, 166, 166)))  # another phone: that line no longer holds
        pump(app, 0.3)
        window.grab().save(str(options.out / f"offer_refusal_gone_{options.lang}.png"))
        window.identify("DEMO0099")  # a mistyped code, then its Enter pressed twice: the refusal again, no photo
        window.flow.enter()
        pump(app, 0.3)
        window.grab().save(str(options.out / f"enter_after_refused_{options.lang}.png"))
        for key, name in ((window.accept_offer, "switch_nothing"), (window._retake_key, "retake_nothing")):
            key()  # F4 with no code held up, F2 on a student not photographed yet: each says why nothing happened
            pump(app, 0.2)
            window.grab().save(str(options.out / f"{name}_{options.lang}.png"))
        window.show_keyboard_help()
        pump(app, 0.3)
        window.help_window.grab().save(str(options.out / f"help_{options.lang}.png"))
        over_the_window(window, window.help_window).save(str(options.out / f"help_window_{options.lang}.png"))
        window.help_window.close()
        for index, entry in enumerate(a for a in window.menuBar().actions() if a.menu()):  # each with its letters
            entry.menu().popup(window.mapToGlobal(window.menuBar().actionGeometry(entry).bottomLeft()))
            pump(app, 0.2)
            entry.menu().grab().save(str(options.out / f"menu{index}_{options.lang}.png"))
            entry.menu().close()
        window.identify("DEMO0002")
        window.queue_window.resize(900, 640)
        window.queue_window.show()
        pump(app, 0.5)
        window.queue_window.grab().save(str(options.out / f"queue_{options.lang}.png"))
        window.mark_next_absent()  # F3: the undo button appears beside the absent button
        pump(app, 0.3)
        window.grab().save(str(options.out / f"absent_{options.lang}.png"))
        QTimer.singleShot(300, lambda: grab_and_close_anyway(options.out / f"closing_{options.lang}.png"))
        window.close()  # photos still waiting for the server: the station asks first
        session.close()
        opened.close()
    print(f"screenshots written to {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
