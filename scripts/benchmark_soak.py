"""A capture day's length in the real window: does memory, threads, open files, Python objects, Qt objects or the data
folder grow with the hours?

The station window is built in this process as `photo-station --demo` builds it (ui.opening: open_station,
the demo's sign-in, start_session with the demo's own receiving server on loopback, its uploader, the live checks,
the live identity line and the code scanner), on a demo data folder of its own in a temporary folder, never the
user's. The camera is the demo's file camera (assets/demo: kiosk, qr and students pictures, each held --hold s; the
demo's own is 2 s). Every --every s a photographer's whole capture cycle goes through the window's own keys in its
code field: the next roster student's code typed and Enter; F2 with a reason when they were photographed already (a
retake, as the window offers it); F6 and its payment box (登记) for a student not yet paid; Space once the shutter
can be pressed, a refused press's override box answered with its first offered reason (a press refused outright,
e.g. a black picture, is pressed again a moment later); Enter on the review (the face check's reason box answered
the same way). Every reason box is the real dialog, answered on screen as a person would. The photos are saved
encrypted, queued and uploaded to the demo's server as on any station. The turns go round the demo roster's 12
students: from the 13th turn on each is a retake of a student who has paid (a real day's new students each pay, so
its payment boxes do not stop after the warm-up as here).

Every --sample s it samples the process's resident memory (VmRSS of /proc/self/status; "not measured" where there is
none, e.g. Windows), its threads (the operating system's where /proc says, and Python's), its open file descriptors
(/proc/self/fd), Python's objects the collector tracks (gc.get_objects(): start-up's, frozen by the station, are not
among them), the application's live widgets (QApplication.allWidgets()), its top-level windows and the QObjects
under the main window, and the data folder's size in bytes (photos, database, logs, the server's). It prints a line
per sample; at the end, per measure, its growth per hour by least squares over the samples after the warm-up (the
first --warmup minutes, at most a third of the run), and the captures done. With --tracemalloc N it also traces Python's
allocations from the warm-up's end and prints the N places (allocating line <- its callers) whose memory grew most.

    .venv/bin/python scripts/benchmark_soak.py [--minutes 30] [--every 20] [--sample 30] [--hold 2] [--warmup 5]
        [--tracemalloc N]

Offscreen by default (QT_QPA_PLATFORM=offscreen); QT_QPA_PLATFORM=xcb DISPLAY=:88 runs it on a real display.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox  # noqa: E402

from station.adapters.cli import parse_args  # noqa: E402
from station.adapters.demo import DEMO_FRAMES, DEMO_ROSTER  # noqa: E402
from station.adapters.startup import open_station, start_session  # noqa: E402
from station.camera import open_camera  # noqa: E402
from station.capture.session import SessionListener  # noqa: E402
from station.capture.workflow import Blocked, Step  # noqa: E402
from ui import tasks  # noqa: E402
from ui.i18n import install_qt_translations, set_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.opening import freeze_startup_objects, sign_in  # noqa: E402
from ui.payment_dialog import PaymentDialog  # noqa: E402
from ui.theme import apply_theme  # noqa: E402

MEASURES = ("rss_mb", "os_threads", "py_threads", "fds", "gc_objects", "widgets", "top_levels", "window_qobjects",
            "data_mb")
UNITS = {"rss_mb": "MB", "data_mb": "MB"}


def proc_status(field: str) -> int | None:
    """A number of /proc/self/status (Linux); None where there is none."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def open_fds() -> int | None:
    try:
        return len(os.listdir("/proc/self/fd")) - 1  # the listing's own descriptor
    except OSError:
        return None


def folder_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file():
                total += path.stat().st_size
        except OSError:  # a file replaced while walked (an atomic write, the log rotating)
            pass
    return total


def sample(app: QApplication, window: MainWindow, home: Path) -> dict[str, float | None]:
    rss = proc_status("VmRSS")
    return {"rss_mb": rss / 1024 if rss is not None else None, "os_threads": proc_status("Threads"),
            "py_threads": threading.active_count(), "fds": open_fds(), "gc_objects": len(gc.get_objects()),
            "widgets": len(app.allWidgets()), "top_levels": len(app.topLevelWidgets()),
            "window_qobjects": len(window.findChildren(QObject)), "data_mb": folder_bytes(home) / 1e6}


def per_hour(points: list[tuple[float, float]]) -> float | None:
    """The least-squares slope of (seconds, value), per hour; None with fewer than two points."""
    if len(points) < 2:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return None
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / spread * 3600


def pump(seconds: float) -> None:
    """Qt's own event loop for `seconds`: it sleeps until an event comes, as the running window does (a loop polling
    processEvents would take the interpreter from the camera's and the checks' threads)."""
    loop = QEventLoop()
    QTimer.singleShot(max(1, int(seconds * 1000)), loop.quit)
    loop.exec()


def wait_until(done: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            return False
        pump(step)
    return True


class Photographer:
    """Answers the boxes the window opens, as a person at the station does: a reason box with its first offered
    reason (typed in, then OK), the payment box as preset (登记), a message box closed. Looks every 100 ms."""

    def __init__(self) -> None:
        self.answered: dict[str, int] = {}
        self._timer = QTimer()
        self._timer.timeout.connect(self._look)
        self._timer.start(100)

    def _look(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            return
        if isinstance(dialog, QInputDialog):
            items = dialog.comboBoxItems()
            dialog.setTextValue(items[0] if items else "照片已核对")
            dialog.accept()
        elif isinstance(dialog, PaymentDialog):
            dialog.submit()
        elif isinstance(dialog, QMessageBox):
            dialog.reject()
        else:
            return
        kind = type(dialog).__name__
        self.answered[kind] = self.answered.get(kind, 0) + 1

    def stop(self) -> None:
        self._timer.stop()


def key(window: MainWindow, which: Qt.Key) -> None:
    QTest.keyClick(window.code_input, which)


def capture(window: MainWindow, code: str, tally: dict[str, int]) -> bool:
    """One student's whole turn through the code field's keys; True when their photo was saved."""
    session = window.session
    QTest.keyClicks(window.code_input, code)
    key(window, Qt.Key.Key_Return)
    if session.student is None or session.student.capture_code != code:
        tally["not identified"] += 1
        return False
    if session.shutter_blocked() is Blocked.NEEDS_RETAKE:
        key(window, Qt.Key.Key_F2)  # the retake box: answered by the Photographer
        tally["retakes"] += 1
    if not session.desk.fee_status(session.student.student_no).paid:
        key(window, Qt.Key.Key_F6)  # the payment box, as preset
        tally["payments"] += 1
    end = time.monotonic() + 30
    while session.step is not Step.REVIEW and time.monotonic() < end:
        # the shutter once it can be pressed: the picture live, no code held up asking to switch, not measuring
        if not wait_until(lambda: session.shutter_blocked() is None, end - time.monotonic()):
            break
        key(window, Qt.Key.Key_Space)
        tally["presses"] += 1
        wait_until(lambda: not session.pressing, 30)
        if session.step is not Step.REVIEW:
            pump(0.5)  # refused outright (a black picture, nobody in it): the next picture is pressed
    if session.step is not Step.REVIEW:
        tally["no review"] += 1
        return False
    wait_until(session.review_settled, 5)
    key(window, Qt.Key.Key_Return)  # accept; another person's face: its reason box, answered
    saved = wait_until(lambda: session.step is not Step.REVIEW and session.student is None, 10)
    if not saved:
        tally["not saved"] += 1
        if session.step is Step.REVIEW:
            key(window, Qt.Key.Key_Escape)
    return saved


def roster_codes() -> list[str]:
    lines = DEMO_ROSTER.read_text(encoding="utf-8-sig").splitlines()
    column = lines[0].split(",").index("采集码")
    return [line.split(",")[column] for line in lines[1:] if line.strip()]


def fmt(value: float | None, name: str) -> str:
    if value is None:
        return "not measured"
    return f"{value:.1f}" if name in UNITS else f"{value:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="the run's length")
    parser.add_argument("--every", type=float, default=20.0, help="seconds between one student's turn and the next")
    parser.add_argument("--sample", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--hold", type=float, default=None,
                        help="seconds the file camera holds each picture (default: the demo's own, 2 s)")
    parser.add_argument("--warmup", type=float, default=5.0,
                        help="minutes left out of the growth figures (at most a third of the run)")
    parser.add_argument("--tracemalloc", type=int, default=0, metavar="N",
                        help="trace Python's allocations from the warm-up's end and print the N source lines whose "
                             "memory grew most by the run's end (slows the run)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tasks.install()
    set_language("zh")
    install_qt_translations(app)
    apply_theme(app)
    codes = roster_codes()
    tally = {name: 0 for name in ("captures", "presses", "retakes", "payments", "not identified", "no review",
                                  "not saved")}
    samples: list[tuple[float, dict[str, float | None]]] = []
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        home = Path(tmp) / "demo-home"
        opened = open_station(parse_args(["--demo", "--home", str(home), "--lang", "zh"]))
        signed = sign_in(opened, None)  # the demo's photographer and key: no dialog
        session = start_session(opened, signed, SessionListener(), tasks.to_main)
        freeze_startup_objects()
        window = MainWindow(session, demo=True).holder.window
        window.show_with_queue()
        if args.hold is not None:  # the same pictures, played faster
            window.use_camera(open_camera(str(DEMO_FRAMES), hold=args.hold).start())
        print(f"QPA {app.platformName()}, demo camera {DEMO_FRAMES.name}/ holding each picture "
              f"{args.hold if args.hold is not None else 2.0:g} s, {len(codes)} roster students, a turn every "
              f"{args.every:g} s for {args.minutes:g} min, a sample every {args.sample:g} s, {os.cpu_count()} cores",
              flush=True)
        wait_until(lambda: window.preview.shown_frame is not None, 60)
        photographer = Photographer()
        start = time.monotonic()
        length = args.minutes * 60
        next_sample, next_turn, turn = start, start, 0

        def take_sample() -> None:
            at = time.monotonic() - start
            values = sample(app, window, home)
            samples.append((at, values))
            print(f"t {at:7.0f} s  captures {tally['captures']:4d}  "
                  + "  ".join(f"{name} {fmt(values[name], name)}" for name in MEASURES), flush=True)

        warmup = min(args.warmup * 60, length / 3)
        traced: list[tracemalloc.Snapshot] = []
        while True:
            now = time.monotonic()
            if args.tracemalloc and not traced and now - start >= warmup:
                tracemalloc.start(4)
                traced.append(tracemalloc.take_snapshot())
            if now >= next_sample:
                take_sample()
                next_sample += args.sample
            if now - start >= length:
                break
            if now >= next_turn:
                if capture(window, codes[turn % len(codes)], tally):
                    tally["captures"] += 1
                turn += 1
                next_turn += args.every
                continue
            pump(max(0.01, min(next_sample, next_turn, start + length) - time.monotonic()))
        if samples[-1][0] < time.monotonic() - start - 1:
            take_sample()
        photographer.stop()
        if traced:
            traced.append(tracemalloc.take_snapshot())
            tracemalloc.stop()
        health = session.desk.queue_health()
        window.hide()
        window.queue_window.hide()
        session.close()
        opened.close()
    after = [(at, values) for at, values in samples if at >= warmup]
    print(f"captures {tally['captures']} in {turn} turns ({tally['presses']} presses, {tally['retakes']} retakes, "
          f"{tally['payments']} payments; not identified {tally['not identified']}, no review {tally['no review']}, "
          f"not saved {tally['not saved']}); boxes answered {dict(sorted(photographer.answered.items()))}; "
          f"upload queue: {health.done} sent, {health.waiting} waiting, {len(health.failed)} failed")
    print(f"growth per hour, least squares over {len(after)} samples after {warmup / 60:g} min of warm-up:")
    for name in MEASURES:
        points = [(at, values[name]) for at, values in after if values[name] is not None]
        first = next((values[name] for _, values in samples if values[name] is not None), None)
        last = next((values[name] for _, values in reversed(samples) if values[name] is not None), None)
        slope = per_hour(points)
        unit = UNITS.get(name, "")
        said = "not measured" if slope is None else f"{slope:+.1f}{(' ' + unit) if unit else ''}/h"
        print(f"  {name:16s} {said:>18s}   (first {fmt(first, name)}, last {fmt(last, name)})")
    if len(traced) == 2:
        grown = traced[1].compare_to(traced[0], "traceback")
        print(f"Python's allocations from the warm-up's end to the run's end: "
              f"{sum(d.size_diff for d in grown) / 1e6:+.1f} MB; the {args.tracemalloc} that grew most:")
        for diff in grown[:args.tracemalloc]:
            where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(diff.traceback))
            print(f"  {diff.size_diff / 1e3:+9.1f} kB {diff.count_diff:+6d} blocks  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
