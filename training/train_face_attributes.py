"""Trains face_attributes.onnx: one small multi-head CNN on the aligned face crop.

Labels: CelebA attributes on celebahq; labels derived from the parsing masks on celebamaskhq
(glasses, hat, earring, necklace pixels; ears or brows hidden; mouth interior and bright teeth
pixels); GENKI smiles. A missing label is simply not trained on. Thresholds are chosen on "val".
Run: .venv/bin/python -m training.train_face_attributes [--epochs N]   (about 25 min on 2 CPU cores)
"""

from __future__ import annotations

import json
import time

import numpy as np
from training.datasets import load_labels
from training.labels import CELEBA_COLUMNS, HEADS, mask_labels
from training.nets import Probabilities, SmallNet
from training.training import Sample, augmented_crop, export_onnx, fit, load_samples, training_args
from station.compliance.learned import FACE_SIZE, face_transform

WIDTHS = (16, 32, 64, 128)


def celebahq_labels(rows: dict):
    def fill(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
        for head, column in CELEBA_COLUMNS.items():
            labels[HEADS.index(head)] = float(rows[file][column])
    return fill


def genki_labels(rows: dict):
    def fill(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
        labels[HEADS.index("smile")] = float(rows[file]["smile"])
    return fill


def load_part(part: str) -> tuple[list[Sample], dict[str, int]]:
    """All labelled samples of one split part, and how many images had no face."""
    sources = {"celebahq": celebahq_labels(load_labels("celebahq")), "celebamaskhq": mask_labels,
               "genki4k": genki_labels(load_labels("genki4k"))}
    samples, skipped = [], {}
    for dataset, fill in sources.items():
        got, skipped[dataset] = load_samples(dataset, part, fill, len(HEADS))
        samples += got
    return samples, skipped


def main() -> None:
    args = training_args(__doc__, epochs=24, name="face_attributes")
    start = time.time()
    train, skipped_train = load_part("train")
    val, skipped_val = load_part("val")
    # The mask-labelled faces are few but carry the only ears/teeth labels: show them twice an epoch.
    train += [s for s in train if s.dataset == "celebamaskhq"]
    print(f"train {len(train)} val {len(val)}; no face found: train {skipped_train} val {skipped_val}", flush=True)
    net = SmallNet(WIDTHS, len(HEADS))

    def face_crop(sample: Sample, rng: np.random.Generator | None) -> np.ndarray:
        return augmented_crop(sample, face_transform(sample.points, FACE_SIZE), FACE_SIZE, rng, backdrop=args.backdrop)

    def export(report: dict) -> None:
        export_onnx(Probabilities(net), args.out / f"{args.name}.onnx", FACE_SIZE, "face", HEADS,
                    {"val": report, "epochs": args.epochs, "widths": list(WIDTHS), "seed": args.seed,
                     "backdrop": args.backdrop})

    print(json.dumps(fit(net, train, val, face_crop, lambda s: s.labels, HEADS, args.epochs, seed=args.seed,
                         on_best=export), indent=1))
    print(f"done in {(time.time() - start) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
