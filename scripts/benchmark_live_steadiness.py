"""Does the live picture's verdict blink? How often each check's level changes from one analysis to the next while
nothing in front of the camera changes: a still scene, fed to the live analyser frame after frame with a webcam's
sensor noise (Gaussian, sigma 3 grey levels) and up to 2 px of jitter, as the raw levels (each analysis on its own)
and as the preview shows them (station.compliance.live.SteadyLevels, HOLD analyses in a row).

Then arrivals: the same scenes one after another through one analyser (a file camera's next picture, a student
stepping in where another stood), each ARRIVAL analyses long; a word said at an arrival that is not the level the check
settles to (its level at the end) is a false word a photographer saw: counted per check, as fault or question.

Scenes: the demo's student frames, and kiosk scenes (training.kiosk_scenes.write_test_scenes) of the first N
celebamaskhq and N celebahq test portraits on the blue backdrop at 1280x720, written to a temporary folder outside the
project and deleted after the run. The first WARM_UP analyses of each scene are left out (every model's first turn).
Run: .venv/bin/python scripts/benchmark_live_steadiness.py [--limit N] [--frames F]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station import ASSETS_DIR  # noqa: E402
from station.compliance import ComplianceEngine, LiveAnalyzer  # noqa: E402
from station.compliance.live import HOLD  # noqa: E402
from training import kiosk_scenes as scenes  # noqa: E402
from training.datasets import FACES_DIR  # noqa: E402

WARM_UP = 25  # a full round of the learned models' turns is about 22 analyses
ARRIVAL = 15  # analyses of each scene in the arrivals run


def webcam_frames(still: np.ndarray, count: int, rng: np.random.Generator):
    """`still` as a webcam would send it `count` times: a pixel or two of jitter and sensor noise on each frame."""
    height, width = still.shape[:2]
    for _ in range(count):
        dx, dy = rng.integers(-2, 3, 2)
        moved = cv2.warpAffine(still, np.float32([[1, 0, dx], [0, 1, dy]]), (width, height),
                               borderMode=cv2.BORDER_REPLICATE)
        yield np.clip(moved + rng.normal(0, 3, moved.shape), 0, 255).astype(np.uint8)


def level_changes(engine: ComplianceEngine, still: np.ndarray, frames: int, hold: int, seed: int) -> Counter:
    """How often each check's level changed between consecutive analyses after the warm-up."""
    live = LiveAnalyzer(engine, hold=hold)
    changes: Counter = Counter()
    before = None
    for i, frame in enumerate(webcam_frames(still, WARM_UP + frames, np.random.default_rng(seed))):
        levels = {check: result.level for check, result in live.analyze(frame).checks.items()}
        if before is not None and i > WARM_UP:
            changes.update(check for check in levels if levels[check] != before[check])
        before = levels
    return changes


def false_words_at_arrival(engine: ComplianceEngine, stills: list[np.ndarray], hold: int) -> Counter:
    """What the screen said during a scene's first analyses (Analysis.on_screen: faults and questions, a face that
    cannot be measured said once) that is not the check's level at the scene's last analysis: one count per check,
    level and scene."""
    live = LiveAnalyzer(engine, hold=hold)
    false: Counter = Counter()
    for k, still in enumerate(stills):
        said = [live.analyze(frame, scene=k) for frame in webcam_frames(still, ARRIVAL, np.random.default_rng(k))]
        settled = said[-1].checks
        words = {(check, result.level) for analysis in said[:ARRIVAL // 2] for check, result in analysis.on_screen}
        false.update(f"{check}:{level}" for check, level in words if settled[check].level != level)
    return false


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=20, help="test portraits per set (default 20)")
    parser.add_argument("--frames", type=int, default=60, help="analyses counted per scene (default 60)")
    args = parser.parse_args()
    stills = sorted((ASSETS_DIR / "demo" / "students").glob("*_good*.jpg")) + sorted(
        (ASSETS_DIR / "demo" / "kiosk").glob("0[12]_good*.jpg"))
    with tempfile.TemporaryDirectory() as tmp:
        if FACES_DIR.is_dir() and args.limit:
            stills += scenes.write_test_scenes(Path(tmp), args.limit, np.random.default_rng(20261205))
        with ComplianceEngine.load(video=True) as engine:
            totals = {hold: Counter() for hold in (1, HOLD)}
            blinking = {hold: 0 for hold in (1, HOLD)}
            for k, path in enumerate(stills):
                still = cv2.imread(str(path))
                for hold in totals:
                    changes = level_changes(engine, still, args.frames, hold, seed=k)
                    totals[hold].update(changes)
                    blinking[hold] += bool(changes)
            arrivals = {hold: false_words_at_arrival(engine, [cv2.imread(str(p)) for p in stills], hold)
                        for hold in (1, HOLD)}
    counted = len(stills) * args.frames
    for hold, total in totals.items():
        name = "raw levels (each analysis alone)" if hold == 1 else f"as shown (a level holds {hold} analyses)"
        per = ", ".join(f"{check} {n / counted * 100:.2f}" for check, n in total.most_common()) or "none"
        print(f"{name}: scenes with any change {blinking[hold]} of {len(stills)}; "
              f"changes per 100 analyses: {sum(total.values()) / counted * 100:.2f} ({per})", flush=True)
    for hold, false in arrivals.items():
        name = "raw levels" if hold == 1 else "as shown"
        per = ", ".join(f"{word} {n}" for word, n in false.most_common()) or "none"
        print(f"arrivals, {name}: false words in {len(stills)} arrivals: {sum(false.values())} ({per})", flush=True)


if __name__ == "__main__":
    main()
