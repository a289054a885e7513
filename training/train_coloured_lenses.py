"""Fits models/coloured_lenses/coloured_lenses.json: the logistic regression of station/compliance/irises.py.

No labelled set of lens wearers exists: every face of celebahq and celebamaskhq in a split part is measured clean
(label 0) and with a random lens painted by training/paint_lenses.py (label 1), on its cached face mesh points.
Real light-eyed faces are among the clean ones (paint_lenses.light_eyed finds them; the benchmark reports them
apart). Fitted on "train", the regularisation strength chosen by val AUC (training/linear_head.fit_head).
Two networks were tried first and dropped: a small CNN on 48 px eye crops (one epoch in 31 min on the shared
machine, val AUC 0.58) and a logistic head on the eye_state trunk's pooled features (test AUC 0.67).
Run: .venv/bin/python -m training.train_coloured_lenses   (a few minutes)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import cv2
import numpy as np

from station.compliance.irises import LENS_FILE, features
from models import MODELS_DIR
from training.cache_landmarks import load_landmarks
from training.datasets import FACES_DIR, load_split
from training.linear_head import fit_head
from training.paint_lenses import paint, random_lens

DATASETS = ("celebahq", "celebamaskhq")


def measured(part: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of irises.features for every face of `part`, clean then painted, and their labels."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for dataset in DATASETS:
        landmarks = load_landmarks(dataset)
        for file in [f for f in load_split(dataset)[part] if f in landmarks]:
            image, points = cv2.imread(str(FACES_DIR / dataset / file)), landmarks[file]
            rows += [features(image, points), features(paint(image, points, random_lens(rng)), points)]
            labels += [0.0, 1.0]
    return np.array(rows), np.array(labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=MODELS_DIR / LENS_FILE)
    args = parser.parse_args()
    start = time.time()
    x_train, y_train = measured("train", 1)
    x_val, y_val = measured("val", 2)
    weights, bias, strength, auc = fit_head(x_train, y_train, x_val, y_val)
    doc = {"about": "logistic regression over station.compliance.irises.features; training/train_coloured_lenses.py",
           "weights": [round(float(w), 8) for w in weights], "bias": round(bias, 8), "l2": strength,
           "val": {"auc": round(auc, 4), "faces": int(len(y_val) // 2)}, "train_faces": int(len(y_train) // 2)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}; val AUC {auc:.4f}; {(time.time() - start) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
