"""Which photos `check` and the shutter measure turned upright (station/compliance/standing.py), and at what cost.

The face mesh fits a face lying on its side or standing on its head as if it stood; a sideways face fails the pose
check, but an upside-down one often passes it, and was then measured upside down (its mouth, ears and brows read
where they are not). Each CelebA-HQ test (or val) face of ../shared (every 10th file from --offset) is a 512x512 portrait and a
1280x720 kiosk frame (the face 420 px on a plain blue backdrop), as it is and turned by 1, 2 and 3 quarter turns;
each goes through the compliance engine and `standing` as `check` runs them, once as shipped and once with the
upside-down look switched off (the rule before it: turn only a face whose pose fails or no face). Prints, per turn and
kind: stood upright, left as it lay, turned wrong; and the CPU time of the upside-down look on upright photos.

With --leaning, instead: the first --faces faces of the split, each shrunk to 178 px (CelebA's in-the-wild size) in a
356 px grey photo, the head leaning 0, 10, 20 and 30 degrees (the side drawn at random, seed 1), saved as JPEG 90 and
turned by 0-3 quarter turns; through the engine and `standing` as shipped (session 36: an upright photo of a leaning
head was taken for one on its side). Prints, per lean and turn: stood upright, left as it lay, turned wrong.

    nice -n 10 .venv/bin/python scripts/benchmark_standing.py [--faces 200] [--offset 3] [--split val|test]
    nice -n 10 .venv/bin/python scripts/benchmark_standing.py --leaning [--faces 150] [--split val|test]
"""

from __future__ import annotations

import argparse
import random
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

    def upright_turns(self, bgr: np.ndarray, seen: float | None = None) -> int:
        return self.finder.upright_turns(bgr, seen)

    def turns_around(self, bgr: np.ndarray, face: tuple[float, float, float, float]) -> int:
        return self.finder.turns_around(bgr, face) if self.looks else -1  # before: no second opinion

    def upside_down(self, bgr: np.ndarray, face: tuple[float, float, float, float], seen: float | None = None) -> bool:
        if not self.looks:
            return False
        start = time.process_time()
        found = self.finder.upside_down(bgr, face, seen)
        if self.timing:
            self.times.append(time.process_time() - start)
        return found


def scenes(image: np.ndarray) -> dict[str, np.ndarray]:
    kiosk = np.full((720, 1280, 3), BACKDROP_BGR, np.uint8)
    kiosk[150:570, 430:850] = cv2.resize(image, (420, 420), interpolation=cv2.INTER_AREA)
    return {"portrait": cv2.resize(image, (512, 512), interpolation=cv2.INTER_AREA), "kiosk": kiosk}


def read_face(file: str) -> np.ndarray:
    image = cv2.imread(str(FACES_DIR / "celebahq" / file))
    if image is None:
        raise SystemExit(f"cannot read {FACES_DIR / 'celebahq' / file}")
    return image


def outcome(found: int, lying: int) -> str:
    """What `standing` made of a photo lying `lying` quarter turns round, having turned it `found` quarter turns."""
    return "upright" if (found + lying) % 4 == 0 else "as it lay" if found == 0 else "turned wrong"


LEANS = (0, 10, 20, 30)  # degrees a head leans in an upright photo (--leaning)
GREY = (128, 128, 128)


def leaning_photos(image: np.ndarray, draw: random.Random) -> dict[int, np.ndarray]:
    """The face at 178 px in a 356 px grey photo, leaning each of LEANS (to a side drawn), as JPEG 90 reads back."""
    small = cv2.resize(image, (178, 178), interpolation=cv2.INTER_AREA)
    photo = cv2.copyMakeBorder(small, 89, 89, 89, 89, cv2.BORDER_CONSTANT, value=GREY)
    photos = {}
    for lean in LEANS:
        turn = cv2.getRotationMatrix2D((178, 178), lean * draw.choice((-1, 1)), 1.0)
        leant = cv2.warpAffine(photo, turn, (356, 356), flags=cv2.INTER_LINEAR, borderValue=GREY)
        photos[lean] = cv2.imdecode(cv2.imencode(".jpg", leant, [cv2.IMWRITE_JPEG_QUALITY, 90])[1], cv2.IMREAD_COLOR)
    return photos


def leaning(files: list[str]) -> int:
    engine, finder = ComplianceEngine.load(), UprightFinder()
    said: dict[tuple[int, int], Counter] = {}
    draw = random.Random(1)
    for file in files:
        for lean, photo in leaning_photos(read_face(file), draw).items():
            for turns in range(4):
                lying = np.ascontiguousarray(np.rot90(photo, turns))
                found = standing(engine, finder, lying, engine.analyze(lying))
                said.setdefault((lean, turns), Counter())[outcome(found.turns, turns)] += 1
    print(f"{len(files)} CelebA-HQ faces at 178 px in a 356 px photo, leaning, as shipped")
    for (lean, turns), counts in sorted(said.items()):
        print(f"leaning {lean:2d} turned {90 * turns:3d}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    upright = sum(counts["upright"] for (_, turns), counts in said.items() if turns == 0)
    wrong = sum(counts["turned wrong"] for counts in said.values())
    print(f"upright photos left upright {upright} of {len(files) * len(LEANS)}; turned wrong {wrong} of "
          f"{len(files) * len(LEANS) * 4}; stood upright {sum(c['upright'] for c in said.values())}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=int, default=None, help="200, or 150 with --leaning")
    parser.add_argument("--offset", type=int, default=3)
    parser.add_argument("--split", default="test", choices=("val", "test"))
    parser.add_argument("--leaning", action="store_true", help="upright and turned photos of leaning heads")
    args = parser.parse_args()
    if args.leaning:
        return leaning(load_split("celebahq")[args.split][: args.faces or 150])
    engine, finder = ComplianceEngine.load(), UprightFinder()
    rules = {"shipped": _Timed(finder, True), "before": _Timed(finder, False)}
    said: dict[tuple[str, str, int], Counter] = {}
    files = load_split("celebahq")[args.split][args.offset::10][: args.faces or 200]
    for file in files:
        for kind, scene in scenes(read_face(file)).items():
            for turns in range(4):
                lying = np.ascontiguousarray(np.rot90(scene, turns))
                analysis = engine.analyze(lying)
                for rule, upright in rules.items():
                    upright.timing = turns == 0
                    found = standing(engine, upright, lying, analysis)
                    said.setdefault((rule, kind, turns), Counter())[outcome(found.turns, turns)] += 1
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
