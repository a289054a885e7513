"""Preview frame rate and frame-to-screen delay at 1280x720 with the compliance checks running.

A file-backed camera (the demo frames, 1280x720, 30 fps) feeds a FrameSource; a "screen"
loop polls it at 60 Hz like the UI's timer, makes the preview (shrink, colour, QImage) and
records the delay from the frame's arrival to its preview being ready; a checker thread runs
station.compliance's live analyser on the newest frame as fast as it can (the throttled copy).
Prints the figures; the goal is 25 fps or more with no growing lag.

    .venv/bin/python scripts/benchmark_camera.py [--seconds 15] [--camera assets/demo/kiosk|0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from station.camera import open_camera  # noqa: E402
from station.camera.preview import preview_bgrx  # noqa: E402

PREVIEW_BOX = (960, 540)
SCREEN_HZ = 60


def make_checker():
    """The live compliance analyser if that package is present, else a face mesh as a stand-in load."""
    try:
        from station.compliance.engine import ComplianceEngine
        from station.compliance.live import LiveAnalyzer
    except ImportError as exc:
        print(f"station.compliance not importable ({exc}); using the face mesh alone as the check load")
        from station.face.landmarks import FaceMesher

        mesher = FaceMesher(video=True)
        return "face mesh only", mesher.detect, mesher.close
    engine = ComplianceEngine.load(video=True)
    live = LiveAnalyzer(engine)
    return "station.compliance LiveAnalyzer", live.analyze, engine.close


def to_qimage(pixels):
    try:
        from PySide6.QtGui import QImage
    except ImportError:
        return pixels
    h, w = pixels.shape[:2]
    return QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_RGB32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--camera", default=str(ROOT / "assets" / "demo" / "kiosk"))
    parser.add_argument("--fps", type=float, default=30.0, help="rate of the file-backed camera")
    parser.add_argument("--no-checks", action="store_true")
    args = parser.parse_args()

    stop = threading.Event()
    checks_done: list[float] = []
    name = "none"
    if not args.no_checks:
        name, analyse, close = make_checker()

    with open_camera(args.camera, fps=args.fps) as source:
        first = source.wait_newer(0, 10.0)
        if first is None:
            raise SystemExit(f"no frame from {args.camera}: {source.state.value}")
        size = first.image.shape[1], first.image.shape[0]

        def check_loop() -> None:
            seen = 0
            while not stop.is_set():
                frame = source.wait_newer(seen, 0.5)
                if frame is None:
                    continue
                seen = frame.frame_id
                t0 = time.perf_counter()
                analyse(frame.image)
                checks_done.append(time.perf_counter() - t0)

        checker = None
        if not args.no_checks:
            checker = threading.Thread(target=check_loop, name="checks", daemon=True)
            checker.start()
            time.sleep(2.0)  # let the models load before measuring

        delays: list[float] = []
        shown_at: list[float] = []
        last_id = first_measured = source.latest().frame_id
        start = time.perf_counter()
        next_tick = time.monotonic()
        checks_before = len(checks_done)
        while time.perf_counter() - start < args.seconds:
            next_tick += 1.0 / SCREEN_HZ
            frame = source.latest()
            if frame is not None and frame.frame_id != last_id:
                last_id = frame.frame_id
                to_qimage(preview_bgrx(frame.image, *PREVIEW_BOX))
                now = time.monotonic()
                delays.append(now - frame.timestamp)
                shown_at.append(now)
            time.sleep(max(0.0, next_tick - time.monotonic()))
        elapsed = time.perf_counter() - start
        stop.set()
        if checker is not None:
            checker.join(5)
        produced = source.latest().frame_id - first_measured
    if not args.no_checks:
        close()

    ms = [d * 1000 for d in delays]
    half = len(ms) // 2
    checks = checks_done[checks_before:]
    print(f"camera: {args.camera} at {size[0]}x{size[1]}, asked {args.fps:.0f} fps; checks: {name}; "
          f"{os.cpu_count()} CPU cores")
    print(f"camera delivered {produced / elapsed:.1f} fps over {elapsed:.1f} s")
    print(f"preview shown: {len(ms) / elapsed:.1f} fps (goal >= 25)")
    print(f"frame-to-screen delay ms: mean {statistics.mean(ms):.1f}, median {statistics.median(ms):.1f}, "
          f"p95 {sorted(ms)[int(0.95 * len(ms))]:.1f}, max {max(ms):.1f}")
    print(f"lag trend: first half mean {statistics.mean(ms[:half]):.1f} ms, second half "
          f"{statistics.mean(ms[half:]):.1f} ms (no growth = no queue)")
    if checks:
        print(f"checks: {len(checks) / elapsed:.1f} per s, {statistics.mean(checks) * 1000:.0f} ms each (mean)")


if __name__ == "__main__":
    main()
