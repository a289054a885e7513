"""The background check on kiosk scenes, per backdrop: the blue cloth, the broken ones, and the room beside a cloth
narrower than the camera's view (which is not in the CHSI photo).

Each celebamaskhq portrait of the split (../shared) is composed on a 1280x720 backdrop (training.kiosk_scenes: blue,
grey, white, pattern, a shadow beside the person, light falling off 2.9:1 across the frame) and on the blue one with
the room's wall (beige, a door frame) beyond a centred cloth 60 % and 45 % of the frame's width, then analysed by the
compliance engine; a frame without a measured face is left out. Prints pass / look / fail per backdrop.

    nice -n 10 .venv/bin/python scripts/benchmark_backdrop.py [--split val|test] [--faces 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import training.kiosk_scenes as scenes  # noqa: E402
from station.compliance.engine import ComplianceEngine  # noqa: E402
from training.datasets import FACES_DIR, load_mask, load_split  # noqa: E402

WALL_BGR = (150, 175, 195)
ROOMS = {"room beside a 60 % cloth": 0.6, "room beside a 45 % cloth": 0.45}


def in_a_room(ground: np.ndarray, cloth: float, rng: np.random.Generator) -> np.ndarray:
    """`ground` with the wall beyond a centred cloth `cloth` of its width."""
    frame = ground.copy()
    width = frame.shape[1]
    edge = int(width * (1 - cloth) / 2)
    wall = np.empty_like(frame)
    wall[:] = WALL_BGR
    wall += rng.integers(0, 6, wall.shape, dtype=np.uint8)
    wall[:, edge // 3:edge // 3 + 25] = (70, 80, 90)
    frame[:, :edge], frame[:, width - edge:] = wall[:, :edge], wall[:, width - edge:]
    return frame


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--faces", type=int, default=40)
    args = parser.parse_args()
    engine, rng = ComplianceEngine.load(), np.random.default_rng(7)
    counts: dict[str, dict[str, int]] = {}
    for i, file in enumerate(load_split("celebamaskhq")[args.split][: args.faces]):
        image, mask = cv2.imread(str(FACES_DIR / "celebamaskhq" / file)), load_mask(file)
        grounds = {kind: scenes.backdrop(kind, rng) for kind in scenes.BACKDROPS}
        grounds.update({name: in_a_room(grounds["blue"], cloth, rng) for name, cloth in ROOMS.items()})
        for kind, ground in grounds.items():
            analysis = engine.analyze(scenes.compose(image, mask, ground, seed=i))
            if analysis.face is not None:
                level = analysis.checks["background"].level
                counts.setdefault(kind, {"pass": 0, "look": 0, "fail": 0})[level] += 1
    print(f"celebamaskhq {args.split}, {args.faces} portraits")
    for kind, levels in counts.items():
        print(f"{kind:26s} " + "  ".join(f"{level} {n}" for level, n in levels.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
