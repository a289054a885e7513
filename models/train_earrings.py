"""Trains earrings.onnx: P(earring) from a crop beside each ear lobe; a face wears earrings if either crop does.

The whole-face crop leaves an earring a few pixels wide; these crops see it at about four times that.
Labels are per face (CelebA Wearing_Earrings on celebahq; earring pixels in the celebamaskhq masks), so
training takes the maximum over the two crops of a face (multiple-instance), as the station does.
Run: .venv/bin/python -m models.train_earrings [--epochs N]   (about 15 min on 2 CPU cores)
"""

from __future__ import annotations

import json
import time

import numpy as np
from models.datasets import load_labels
from models.nets import Probabilities, SmallNet
from models.train_face_attributes import HEADS, mask_labels
from models.training import Sample, augmented_crop, export_onnx, fit, load_samples, training_args
from station.compliance.learned import EAR_MODEL, EAR_SIZE, ear_transforms

WIDTHS = (16, 32, 64, 96)


def load_part(part: str) -> list[Sample]:
    rows = load_labels("celebahq")

    def celeba(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
        labels[0] = float(rows[file]["Wearing_Earrings"])

    def masked(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
        every = np.full(len(HEADS), np.nan, np.float32)
        mask_labels(file, image, points, every)
        labels[0] = every[HEADS.index("earrings")]

    return load_samples("celebahq", part, celeba, 1)[0] + load_samples("celebamaskhq", part, masked, 1)[0]


def ear_crops(sample: Sample, rng: np.random.Generator | None) -> np.ndarray:
    return np.stack([augmented_crop(sample.image, matrix, EAR_SIZE, rng, strength=0.7)
                     for matrix in ear_transforms(sample.points, EAR_SIZE)])


def main() -> None:
    args = training_args(__doc__, epochs=40)
    start = time.time()
    train, val = load_part("train"), load_part("val")
    print(f"train {len(train)} faces, val {len(val)}", flush=True)
    net = SmallNet(WIDTHS, 1)

    def export(report: dict) -> None:
        export_onnx(Probabilities(net), args.out / EAR_MODEL, EAR_SIZE, ["earrings"],
                    {"val": report, "epochs": args.epochs, "widths": list(WIDTHS)})

    print(json.dumps(fit(net, train, val, ear_crops, lambda s: s.labels, ["earrings"], args.epochs, on_best=export),
                     indent=1))
    print(f"done in {(time.time() - start) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
