"""Trains one single-check model on a close-up region of the face (ears, neck): the shared body of
train_earrings and train_necklace.

Labels are per face: a CelebA attribute on celebahq and the matching parsing-mask label on
celebamaskhq (models/train_face_attributes.mask_labels). A region with a mirrored pair of crops
(the ears) is trained multiple-instance: the face's logit is the larger of the two, as the station
takes the larger score.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np

from models.datasets import load_labels
from models.nets import Probabilities, SmallNet
from models.train_face_attributes import HEADS, mask_labels
from models.training import Sample, Size, augmented_crop, export_onnx, fit, load_samples, training_args
from station.compliance.learned import REGIONS


@dataclass(frozen=True)
class RegionTask:
    check: str  # check id, also the model's single output
    region: str  # a key of station.compliance.learned.REGIONS
    size: Size
    celeba_column: str
    widths: tuple[int, ...]
    strength: float = 0.7  # geometric augmentation: close-ups move more per degree than the whole face


def load_part(task: RegionTask, part: str) -> list[Sample]:
    rows = load_labels("celebahq")

    def celeba(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
        labels[0] = float(rows[file][task.celeba_column])

    def masked(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
        every = np.full(len(HEADS), np.nan, np.float32)
        mask_labels(file, image, points, every)
        labels[0] = every[HEADS.index(task.check)]

    return load_samples("celebahq", part, celeba, 1)[0] + load_samples("celebamaskhq", part, masked, 1)[0]


def run(task: RegionTask, doc: str, epochs: int, name: str) -> None:
    args = training_args(doc, epochs=epochs, name=name)
    start = time.time()
    train, val = load_part(task, "train"), load_part(task, "val")
    print(f"train {len(train)} faces, val {len(val)}", flush=True)
    transforms = REGIONS[task.region].transforms

    def crops(sample: Sample, rng: np.random.Generator | None) -> np.ndarray:
        return np.stack([augmented_crop(sample, matrix, task.size, rng, task.strength, args.backdrop)
                         for matrix in transforms(sample.points, task.size)])

    net = SmallNet(task.widths, 1)

    def export(report: dict) -> None:
        export_onnx(Probabilities(net), args.out / f"{args.name}.onnx", task.size, task.region, [task.check],
                    {"val": report, "epochs": args.epochs, "widths": list(task.widths), "seed": args.seed,
                     "backdrop": args.backdrop})

    report = fit(net, train, val, crops, lambda s: s.labels, [task.check], args.epochs, seed=args.seed,
                 on_best=export)
    print(json.dumps(report, indent=1))
    print(f"done in {(time.time() - start) / 60:.1f} min", flush=True)
