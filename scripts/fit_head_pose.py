"""Fits station.face.pose.CALIBRATION on the genki4k "train" split and prints it.

Run: .venv/bin/python scripts/fit_head_pose.py   (paste the printed dict into station/face/pose.py)
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.datasets import SPLITS_DIR  # noqa: E402
from station.face import FaceMesher  # noqa: E402
from station.face.pose import raw_angles  # noqa: E402

GENKI = ROOT.parent / "shared" / "datasets" / "faces" / "genki4k"


def main() -> None:
    train = json.loads((SPLITS_DIR / "genki4k.json").read_text(encoding="utf-8"))["train"]
    with open(GENKI / "labels.csv", newline="", encoding="utf-8") as fh:
        labels = {r["file"]: r for r in csv.DictReader(fh)}
    raw, truth = [], []
    with FaceMesher(max_faces=1) as mesher:
        for file in train:
            image = cv2.imread(str(GENKI / file))
            faces = [] if image is None else mesher.detect(image)
            if faces:
                raw.append(raw_angles(faces[0].points))
                truth.append([math.degrees(float(labels[file][k])) for k in ("yaw_rad", "pitch_rad", "roll_rad")])
    raw_a, truth_a = np.array(raw), np.array(truth)
    fitted = {}
    for i, name in enumerate(("yaw", "pitch", "roll")):
        slope, offset = np.polyfit(raw_a[:, i], truth_a[:, i], 1)
        err = np.abs(slope * raw_a[:, i] + offset - truth_a[:, i]).mean()
        fitted[name] = (round(float(slope), 3), round(float(offset), 3))
        print(f"{name}: mean error on train {err:.2f} deg", file=sys.stderr)
    print(f"{len(raw)} of {len(train)} train faces", file=sys.stderr)
    print(f"CALIBRATION = {fitted}")


if __name__ == "__main__":
    main()
