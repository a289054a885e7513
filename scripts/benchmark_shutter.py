"""Shutter to review, and the preview's longest pause while the shutter works, in the real window (offscreen).

Two ways of working the same press, in this tree:
- "before": the shutter's work as it was until session 12: on the UI thread, the frame analysed, refused for
  the demo student's smile, analysed again for the override, then the CHSI pipeline measuring the face and
  planning the crop once more;
- "after": what the window does now: the press measured once, off the UI thread (ui.tasks.run_task), the CHSI
  photo made from the analysis's own crop plan after the checks, on the same thread, the override taking the
  same measurement.
The demo student (assets/demo/kiosk/01_good.jpg) is in front of a 30 fps file camera; the override box is
answered at once, so the figures are the station's own time. Prints median and p95 of shutter-to-review (until
the review is on screen) and of the longest gap between two painted preview frames from the press to the review,
with the machine's load average before and after (other work on the cores lengthens both).

    .venv/bin/python scripts/benchmark_shutter.py [--presses 12]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from station.camera import open_camera  # noqa: E402
from station.capture.session import CaptureSession  # noqa: E402
from station.capture.workflow import Shot, Step, encode_original  # noqa: E402
from station.storage.captures import CaptureStore  # noqa: E402
from station.context import Station  # noqa: E402
from station.adapters.demo import DEMO_DIR, prepare_demo  # noqa: E402
from ui import tasks  # noqa: E402
from ui.opening import freeze_startup_objects  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

REASON = "已目视确认，系统误报"


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


class PaintClock:
    """The times the preview painted a new camera frame (a repaint of the same frame, for new findings, is no
    frame to the eye and is not counted)."""

    def __init__(self, window: MainWindow) -> None:
        self.times: list[float] = []
        original = window.preview.paintEvent
        last: list[object] = [None]

        def painted(event: object) -> None:
            original(event)
            if window.preview.shown_frame is not last[0]:
                last[0] = window.preview.shown_frame
                self.times.append(time.perf_counter())

        window.preview.paintEvent = painted

    def longest_gap(self, start: float, end: float) -> float:
        inside = [start] + [t for t in self.times if start < t < end] + [end]
        return max(b - a for a, b in zip(inside, inside[1:]))


def before(window: MainWindow) -> None:
    """The old shutter: all on the UI thread, the frame measured three times over (see the module's text)."""
    workflow = window.session.workflow
    image = window.preview.shown_frame.image
    workflow.engine.analyze(image)  # refused: her smile
    analysis = workflow.engine.analyze(image)  # the override shot analysed it again
    chsi = workflow.pipeline.process(image)  # and the pipeline measured and planned the face once more
    workflow.shot = Shot(workflow.student, 0, chsi.jpeg, encode_original(image), analysis, REASON, "")
    workflow.step = Step.REVIEW
    window.review.show_shot(workflow.shot)
    window._show_step()


def after(window: MainWindow) -> float:
    """The press as the running window meets it: Qt's own event loop, which sleeps until an event comes (a loop
    polling processEvents every millisecond would take the interpreter from the shutter's thread a thousand times
    a second, which the station never does). Returns when the review was on screen."""
    loop = QEventLoop()
    shown: list[float] = []
    take = window.flow._take

    def measured(result: object) -> None:  # the window's own handler, then the time it finished
        take(result)
        shown.append(time.perf_counter())
        loop.quit()

    window.flow._take = measured
    try:
        window.flow.shutter()
        if window.session.pressing:
            loop.exec()
    finally:
        del window.flow._take
    return shown[0] if shown else time.perf_counter()  # refused: no review, said by the caller


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=12)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    app = QApplication.instance() or QApplication([])
    tasks.install()
    with tempfile.TemporaryDirectory() as tmp:
        frames = Path(tmp) / "camera"
        frames.mkdir()
        shutil.copy(DEMO_DIR / "kiosk" / "01_good.jpg", frames)
        station = Station.open(Path(tmp) / "home", "zh")
        key = prepare_demo(station)
        store = CaptureStore(station, key=key)
        session = CaptureSession(station, store, "benchmark", open_camera(str(frames), fps=30).start(),
                                 post=tasks.to_main, live_checks=True)
        freeze_startup_objects()  # as the station does before it builds its window
        window = MainWindow(session)
        window.flow._ask_override = lambda refused: REASON
        window.resize(1400, 860)
        window.show()
        clock = PaintClock(window)
        window.identify("DEMO0001")
        settle = time.perf_counter() + 8  # the live checks' engine loads; the models' first runs
        while time.perf_counter() < settle:
            app.processEvents()
            time.sleep(0.005)
        results: dict[str, tuple[list[float], list[float]]] = {"before": ([], []), "after": ([], [])}
        for press in range(args.presses * 2 + 2):
            name = "before" if press % 2 == 0 else "after"
            start = time.perf_counter()
            if name == "before":
                before(window)
                end = time.perf_counter()
            else:
                end = after(window)
            assert window.pages.currentWidget() is window.review, "no review"
            shown = time.perf_counter() + 0.4  # the preview runs on while the review is looked at
            while time.perf_counter() < shown:
                app.processEvents()
                time.sleep(0.002)
            if press >= 2:  # the first of each: warm-up
                results[name][0].append(end - start)
                results[name][1].append(clock.longest_gap(start, end))
            window.flow.escape()
            back = time.perf_counter() + 0.4
            while time.perf_counter() < back:
                app.processEvents()
                time.sleep(0.002)
        window.close()
        session.close()
        station.close()
    print(f"{args.presses} presses each, demo student, 1280x720, live checks running, {os.cpu_count()} cores, "
          f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    for name, (took, gaps) in results.items():
        print(f"{name:6s}  shutter to review: median {statistics.median(took) * 1000:6.1f} ms, p95 {p95(took) * 1000:6.1f} ms"
              f"   longest preview gap: median {statistics.median(gaps) * 1000:6.1f} ms, max {max(gaps) * 1000:6.1f} ms"
              f" (presses with a gap over 50 ms: {sum(g > 0.05 for g in gaps)} of {len(gaps)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
