"""face_count and the CHSI pipeline with someone else in view: the queue at a wide webcam's edge, a neighbour beside
the student, a friend behind them inside the photo.

Each celebamaskhq portrait of the split (../shared) is composed as a kiosk scene on the blue backdrop
(training.kiosk_scenes), with the next portrait of the split pasted in first as someone else, behind the student:
- "queued at the edge": its person 0.55 or 0.7 times the student's size, its face at 10 % or 90 % of the width;
- "beside, as near": the student's own size, one portrait's width to the side (shoulder to shoulder);
- "behind, in the photo": 0.55 times the size, a third of a portrait's width beside the student's face.
Prints, per placement, the still engine's face_count levels (pass: the other face was not seen) and how often the
CHSI pipeline (`crop`, the shutter without a plan) made the photo. A frame without a measured student is left out.

    nice -n 10 .venv/bin/python scripts/benchmark_queue.py [--split val|test] [--faces 40] [--no-pipeline]
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
from station.chsi.pipeline import ChsiPipeline  # noqa: E402
from station.compliance.engine import ComplianceEngine  # noqa: E402
from training.datasets import FACES_DIR, load_mask, load_split  # noqa: E402

SIDE = scenes.PORTRAIT_SIDE
PLACEMENTS = {  # name: (scale of the other person, where their portrait's centre is, as x in the 1280 px frame)
    "queued at the edge, 0.55, left": (0.55, 128),
    "queued at the edge, 0.55, right": (0.55, 1152),
    "queued at the edge, 0.7, left": (0.7, 128),
    "queued at the edge, 0.7, right": (0.7, 1152),
    "beside, as near": (1.0, 640 + SIDE),
    "behind, in the photo": (0.55, 640 + SIDE // 3),
}


def someone_behind(portrait: np.ndarray, mask: np.ndarray, ground: np.ndarray, scale: float,
                   centre_x: int) -> np.ndarray:
    """`ground` with `portrait`'s person pasted `scale` times the student's size, centred at `centre_x`, their eyes
    about level with the student's (a person further back stands level with the camera's view of them)."""
    side = round(SIDE * scale)
    face = cv2.resize(portrait, (side, side), interpolation=cv2.INTER_AREA).astype(np.float32)
    alpha = cv2.resize((mask > 0).astype(np.float32), (side, side), interpolation=cv2.INTER_NEAREST)
    alpha = cv2.GaussianBlur(alpha, (5, 5), 0)[:, :, None]
    top = scenes.PORTRAIT_TOP + round(SIDE * 0.5 * (1 - scale))  # the portraits' eyes are about half way down
    frame = ground.astype(np.float32)
    x0, height, width = centre_x - side // 2, *frame.shape[:2]
    left, right = max(0, x0), min(width, x0 + side)
    rows = min(side, height - top)
    part = (slice(top, top + rows), slice(left, right))
    cut = (slice(0, rows), slice(left - x0, right - x0))
    frame[part] = alpha[cut] * face[cut] + (1 - alpha[cut]) * frame[part]
    return frame.astype(np.uint8)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--faces", type=int, default=40)
    parser.add_argument("--no-pipeline", action="store_true", help="the checks only (the pipeline costs 0.3 s a frame)")
    args = parser.parse_args()
    engine, rng = ComplianceEngine.load(), np.random.default_rng(11)
    pipeline = None if args.no_pipeline else ChsiPipeline()
    files = load_split("celebamaskhq")[args.split][: args.faces]
    counts: dict[str, dict[str, int]] = {}
    for i, file in enumerate(files):
        image, mask = cv2.imread(str(FACES_DIR / "celebamaskhq" / file)), load_mask(file)
        other_file = files[(i + 1) % len(files)]
        other, other_mask = cv2.imread(str(FACES_DIR / "celebamaskhq" / other_file)), load_mask(other_file)
        ground = scenes.backdrop("blue", rng)
        for name, (scale, centre_x) in {"alone": (0.0, 0), **PLACEMENTS}.items():
            behind = ground if not scale else someone_behind(other, other_mask, ground, scale, centre_x)
            frame = scenes.compose(image, mask, behind, seed=i)
            analysis = engine.analyze(frame)
            if analysis.face is None:
                continue
            row = counts.setdefault(name, {"n": 0, "pass": 0, "look": 0, "fail": 0, "photo made": 0})
            row["n"] += 1
            row[analysis.checks["face_count"].level] += 1
            if pipeline is not None:
                row["photo made"] += pipeline.process(frame).ok
    print(f"celebamaskhq {args.split}, {len(files)} students; face_count levels (the still engine)"
          + ("" if pipeline is None else "; CHSI pipeline photos made"))
    for name, row in counts.items():
        print(f"{name:34s} " + "  ".join(f"{key} {value}" for key, value in row.items()
                                         if pipeline is not None or key != "photo made"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
