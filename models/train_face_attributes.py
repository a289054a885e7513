"""Trains face_attributes.onnx: one small multi-head CNN on the aligned face crop.

Labels: CelebA attributes on celebahq; labels derived from the parsing masks on celebamaskhq
(glasses, hat, earring, necklace pixels; ears or brows hidden; mouth interior and bright teeth
pixels); GENKI smiles. A missing label is simply not trained on. Thresholds are chosen on "val".
Run: .venv/bin/python -m models.train_face_attributes [--epochs N]   (about 25 min on 2 CPU cores)
"""

from __future__ import annotations

import json
import time

import cv2
import numpy as np
from models.datasets import load_labels, load_mask
from models.nets import Probabilities, SmallNet
from models.training import Sample, augmented_crop, export_onnx, fit, load_samples, training_args
from station.compliance.learned import FACE_SIZE, IRIS_IMAGE_LEFT, IRIS_IMAGE_RIGHT, face_transform

HEADS = ["glasses", "hat", "earrings", "necklace", "ears_covered", "eyebrows_covered", "mouth_open", "teeth", "smile"]
WIDTHS = (16, 32, 64, 128)
CELEBA_COLUMNS = {"glasses": "Eyeglasses", "hat": "Wearing_Hat", "earrings": "Wearing_Earrings",
                  "necklace": "Wearing_Necklace", "mouth_open": "Mouth_Slightly_Open",
                  "eyebrows_covered": "Bangs", "smile": "Smiling"}
# Mask-derived labels: pixel counts in units of (distance between the irises)^2, about 16,000 px here.
MASK_PRESENT = {"glasses": (3, 0.01), "hat": (14, 0.02), "earrings": (15, 0.002), "necklace": (16, 0.005),
                "mouth_open": (10, 0.01)}
EAR_HIDDEN, BROW_HIDDEN, TEETH_SHOWN = 0.01, 0.025, 0.005


def celebahq_labels(rows: dict):
    def fill(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
        for head, column in CELEBA_COLUMNS.items():
            labels[HEADS.index(head)] = float(rows[file][column])
    return fill


def mask_labels(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
    """Labels read off the parsing mask; 'teeth' = bright, unsaturated pixels of the mouth interior."""
    mask = load_mask(file)
    unit = float(np.sum((points[IRIS_IMAGE_LEFT, :2] - points[IRIS_IMAGE_RIGHT, :2]) ** 2))
    area = lambda value: np.count_nonzero(mask == value) / unit  # noqa: E731
    for head, (value, minimum) in MASK_PRESENT.items():
        labels[HEADS.index(head)] = float(area(value) > minimum)
    labels[HEADS.index("ears_covered")] = float(min(area(8), area(9)) < EAR_HIDDEN)
    labels[HEADS.index("eyebrows_covered")] = float(min(area(6), area(7)) < BROW_HIDDEN)
    hls = cv2.cvtColor(image, cv2.COLOR_BGR2HLS)
    teeth = np.count_nonzero((mask == 10) & (hls[..., 1] > 150) & (hls[..., 2] < 90)) / unit
    labels[HEADS.index("teeth")] = float(teeth > TEETH_SHOWN)


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
