"""How sure the output check's orientation vote is, with both face detectors or the short-range one alone.

A finished CHSI photo is refused when its face is not upright (station/chsi/verify.py asks
UprightFinder.upright_turns). Each CelebA-HQ face (every 10th file from --offset) is scaled to 480x480 and set in a
480x640 canvas (a CHSI photo's size), turned by 0, 1, 2 and 3 quarter turns; the vote over the four turns should
say "upright" for the unturned face only. Prints, per variant, how often it said upright for each turn and its
time per photo.

    .venv/bin/python scripts/benchmark_upright.py [--faces 400] [--offset 5]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.chsi.orientation import UprightFinder  # noqa: E402
from training.datasets import FACES_DIR  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=int, default=400)
    parser.add_argument("--offset", type=int, default=5)
    args = parser.parse_args()
    folder = FACES_DIR / "celebahq"
    with open(folder / "labels.csv", newline="", encoding="utf-8") as fh:
        files = [row["file"] for row in csv.DictReader(fh)][args.offset::10][: args.faces]
    finder = UprightFinder()
    said = {1: [0, 0, 0, 0], 2: [0, 0, 0, 0]}
    took = {1: 0.0, 2: 0.0}
    for file in files:
        face = cv2.resize(cv2.imread(str(folder / file)), (480, 480))
        for turns in range(4):
            photo = cv2.copyMakeBorder(np.ascontiguousarray(np.rot90(face, turns)), 80, 80, 0, 0, cv2.BORDER_REPLICATE)
            for detectors in (1, 2):
                start = time.perf_counter()
                said[detectors][turns] += finder.orient(photo, detectors).turns == 0
                took[detectors] += time.perf_counter() - start
    print(f"{len(files)} CelebA-HQ faces (every 10th from {args.offset}) in a 480x640 canvas, each at 4 quarter turns")
    for detectors, name in ((2, "both detectors"), (1, "short-range alone")):
        upright, turned = said[detectors][0], sum(said[detectors][1:])
        print(f"{name:18s} upright said upright {upright}/{len(files)}, turned said upright {turned}/{3 * len(files)}"
              f" (by turn {said[detectors][1:]}), {took[detectors] / len(files) / 4 * 1000:.1f} ms per photo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
