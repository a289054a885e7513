"""Which photos `check` and the shutter measure turned upright (station/compliance/standing.py), and at what cost.

The face mesh fits a face lying on its side or standing on its head as if it stood; a sideways face fails the pose
check, but an upside-down one often passes it, and was then measured upside down (its mouth, ears and brows read
where they are not). Each CelebA-HQ test (or val) face of ../shared (every 10th file from --offset) is a 512x512 portrait and a
1280x720 kiosk frame (the face 420 px on a plain blue backdrop), as it is and turned by 1, 2 and 3 quarter turns;
each goes through the compliance engine and `standing` as `check` runs them, once as shipped and once with the
upside-down look switched off (the rule before it: turn only a face whose pose fails or no face). Prints, per turn and
kind: stood upright, left as it lay, turned wrong; and the CPU time of the upside-down look on upright photos.

    nice -n 10 .venv/bin/python scripts/benchmark_standing.py [--faces 200] [--offset 3] [--split val|test]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.chsi.orientation import UprightFinder  # noqa: E402
from station.compliance.engine import ComplianceEngine  # noqa: E402
from station.compliance.standing import standing  # noqa: E402
from training.datasets import FACES_DIR, load_split  # noqa: E402

BACKDROP_BGR = (160, 90, 20)


class _Timed:
    """The finder as `standing` asks it, timing the upside-down look; `looks=False` is the rule before it."""

    def __init__(self, finder: UprightFinder, looks: bool) -> None:
        self.finder, self.looks, self.timing, self.times = finder, looks, False, []

    def upright_turns(self, bgr: np.ndarray) -> int:
        return self.finder.upright_turns(bgr)

    def turns_around(self, bgr: np.ndarray, face: tuple[float, float, float, float]) -> int:
        return self.finder.turns_around(bgr, face) if self.looks else -1  # before: no second opinion

    def upside_down(self, bgr: np.ndarray, face: tuple[float, float, float, float]) -> bool:
        if not self.looks:
            return False
        start = time.process_time()
        found = self.finder.upside_down(bgr, face)
        if self.timing:
            self.times.append(time.process_time() - start)
        return found


def scenes(image: np.ndarray) -> dict[str, np.ndarray]:
    kiosk = np.full((720, 1280, 3), BACKDROP_BGR, np.uint8)
    kiosk[150:570, 430:850] = cv2.resize(image, (420, 420), interpolation=cv2.INTER_AREA)
    return {"portrait": cv2.resize(image, (512, 512), interpolation=cv2.INTER_AREA), "kiosk": kiosk}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=int, default=200)
    parser.add_argument("--offset", type=int, default=3)
    parser.add_argument("--split", default="test", choices=("val", "test"))
    args = parser.parse_args()
    engine, finder = ComplianceEngine.load(), UprightFinder()
    rules = {"shipped": _Timed(finder, True), "before": _Timed(finder, False)}
    said: dict[tuple[str, str, int], Counter] = {}
    files = load_split("celebahq")[args.split][args.offset::10][: args.faces]
    for file in files:
        image = cv2.imread(str(FACES_DIR / "celebahq" / file))
        if image is None:
            raise SystemExit(f"cannot read {FACES_DIR / 'celebahq' / file}")
        for kind, scene in scenes(image).items():
            for turns in range(4):
                lying = np.ascontiguousarray(np.rot90(scene, turns))
                analysis = engine.analyze(lying)
                for rule, upright in rules.items():
                    upright.timing = turns == 0
                    found = standing(engine, upright, lying, analysis)
                    answer = ("upright" if (found.turns + turns) % 4 == 0 else "as it lay" if found.turns == 0
                              else "turned wrong")
                    said.setdefault((rule, kind, turns), Counter())[answer] += 1
    print(f"{len(files)} CelebA-HQ {args.split} faces, each a portrait and a kiosk frame")
    for (rule, kind, turns), counts in sorted(said.items()):
        print(f"{rule:8s} {kind:8s} turned {90 * turns:3d}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    times = rules["shipped"].times
    if times:
        print(f"upside-down look on upright photos: median {1000 * float(np.median(times)):.1f} CPU-ms, "
              f"p95 {1000 * float(np.percentile(times, 95)):.1f} ({len(times)} looks)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
