"""Trains a model on a close-up region of the face (ear lobes, whole ears, neck, brows, jaw): the shared body
of train_earrings, train_ear_box and train_brow_band (train_pretrained reuses its tasks and labels).

Labels are per face: CelebA attributes on celebahq and the matching parsing-mask labels on
celebamaskhq (training/train_face_attributes.mask_labels); a check CelebA does not label learns from the
masks alone. A region with a mirrored pair of crops
(the ears) is trained multiple-instance: the face's logit is the larger of the two, as the station
takes the larger score.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np

from training.datasets import load_labels
from training.nets import Probabilities, SmallNet
from training.kiosk_train import with_kiosk_scenes
from training.paste import COVERED, MASK_VALUES, Recipient, covered, load_donors, paste, recipients
from training.labels import HEADS, mask_labels
from training.training import Sample, Size, augmented_crop, export_onnx, fit, load_samples, training_args
from station.compliance.learned import REGIONS


@dataclass(frozen=True)
class RegionTask:
    checks: tuple[str, ...]  # check ids, also the model's outputs
    region: str  # a key of station.compliance.learned.REGIONS
    size: Size
    celeba_columns: tuple[str, ...]  # one per check; none at all: only the parsing masks label it
    widths: tuple[int, ...] = ()  # SmallNet's channels per stage; unused by train_pretrained
    strength: float = 0.7  # geometric augmentation: close-ups move more per degree than the whole face


def load_part(task: RegionTask, part: str) -> list[Sample]:
    rows = load_labels("celebahq")
    n = len(task.checks)

    def celeba(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
        labels[:] = [float(rows[file][column]) for column in task.celeba_columns]

    def masked(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
        every = np.full(len(HEADS), np.nan, np.float32)
        mask_labels(file, image, points, every)
        labels[:] = [every[HEADS.index(check)] for check in task.checks]

    celebahq = load_samples("celebahq", part, celeba, n)[0] if task.celeba_columns else []
    return celebahq + load_samples("celebamaskhq", part, masked, n)[0]


def _resolution_options(task: RegionTask):
    """--size and --widths, so a sister run can look at the region in finer detail than the task's default."""
    def add(parser) -> None:
        parser.add_argument("--size", type=int, nargs=2, metavar=("W", "H"), default=list(task.size),
                            help=f"crop size in pixels (default: {task.size[0]} {task.size[1]})")
        parser.add_argument("--widths", type=int, nargs="+", default=list(task.widths),
                            help=f"channels per stage (default: {' '.join(map(str, task.widths))})")
    return add


def run(task: RegionTask, doc: str, epochs: int, name: str) -> None:
    args = training_args(doc, epochs=epochs, name=name, options=_resolution_options(task))
    widths = tuple(args.widths)
    train_and_export(task, SmallNet(widths, len(task.checks)), args, tuple(args.size), args.name,
                     {"widths": list(widths)})


def train_and_export(task: RegionTask, net, args, size: Size, name: str, extra: dict, lr: float | None = None) -> None:
    """Fits `net` on the task's crops of `size` and exports its best val epoch as `name`.onnx with its sidecar
    (`extra` added to what every region model records); shared by this script and train_pretrained."""
    start = time.time()
    train, val = load_part(task, "train"), load_part(task, "val")
    kiosk, webcam = getattr(args, "kiosk", 0.0), getattr(args, "webcam", 0.0)
    if kiosk:  # before the paste targets are drawn: some pasted hats land on a kiosk head
        train = with_kiosk_scenes(train, kiosk, np.random.default_rng([args.seed, 29]))
    share = getattr(args, "paste", 0.0)
    pasted = next((c for c in task.checks if c in MASK_VALUES), None) if share else None
    donors = load_donors(pasted, task.region, size) if pasted else []
    if pasted:  # copy-paste: more train items, clean faces dressed with what celebamaskhq train masks show
        index, rng = task.checks.index(pasted), np.random.default_rng(args.seed)
        chosen = recipients(train, index, share, rng)
        if pasted in COVERED:  # pasted once, here, and labelled by what the paste covers
            chosen = [covered(r, donors, pasted, index, task.region, size, rng) for r in chosen]
        train = train + chosen
    print(f"train {len(train)} items, val {len(val)}; {len(donors)} donor faces", flush=True)
    transforms = REGIONS[task.region].transforms

    def crops(item: Sample | Recipient, rng: np.random.Generator | None) -> np.ndarray:
        sample = item
        if isinstance(item, Recipient):
            sample = paste(item.sample, donors[rng.integers(len(donors))], task.region, size, rng)
        return np.stack([augmented_crop(sample, matrix, size, rng, task.strength, args.backdrop, webcam)
                         for matrix in transforms(sample.points, size)])

    # a square crop is written as one side, as the older sidecars are
    shipped_size = size[0] if size[0] == size[1] else list(size)

    def export(report: dict) -> None:
        export_onnx(Probabilities(net), args.out / f"{name}.onnx", shipped_size, task.region, list(task.checks),
                    {"val": report, "epochs": args.epochs, **extra, "seed": args.seed, "backdrop": args.backdrop,
                     **({"paste": share, "pasted": pasted} if pasted else {}), **({"kiosk": kiosk} if kiosk else {}),
                     **({"webcam": webcam} if webcam else {})})

    options = {} if lr is None else {"lr": lr}
    report = fit(net, train, val, crops, lambda s: s.labels, list(task.checks), args.epochs, seed=args.seed,
                 on_best=export, **options)
    print(json.dumps(report, indent=1))
    print(f"done in {(time.time() - start) / 60:.1f} min", flush=True)
