"""Where the shared face datasets and the fixed splits live, for the training scripts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from station import PROJECT_ROOT

FACES_DIR = PROJECT_ROOT.parent / "shared" / "datasets" / "faces"
TRAINING_DIR = Path(__file__).resolve().parent
SPLITS_DIR = TRAINING_DIR / "splits"
DATASETS = ("celebahq", "celebamaskhq", "genki4k", "cew_closed")


def load_split(dataset: str) -> dict[str, list[str]]:
    """{"train": [...], "val": [...], "test": [...]} with files relative to the dataset folder."""
    doc = json.loads((SPLITS_DIR / f"{dataset}.json").read_text(encoding="utf-8"))
    return {part: doc[part] for part in ("train", "val", "test")}


def load_labels(dataset: str) -> dict[str, dict[str, str]]:
    """labels.csv rows keyed by their `file` column."""
    with open(FACES_DIR / dataset / "labels.csv", newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def load_mask(file: str) -> np.ndarray:
    """celebamaskhq parsing mask (H, W) uint8 class ids for an `images/NAME.jpg` file (palette PNG)."""
    name = Path(file).stem
    return np.asarray(Image.open(FACES_DIR / "celebamaskhq" / "masks" / f"{name}.png"))


CELEBA_SIDE, CELEBA_PAD = 178, 20  # CelebA's aligned faces: 178x218, about the framing of CelebA-HQ's 1024 px squares


def celeba_sized(images: list[Path], folder: Path) -> list[Path]:
    """Each image shrunk to CELEBA_SIDE px, its edges reflected CELEBA_PAD px above and below, saved as JPEG quality 85
    in `folder` (in the order given)."""
    copies = []
    for image in images:
        small = cv2.resize(cv2.imread(str(image)), (CELEBA_SIDE, CELEBA_SIDE), interpolation=cv2.INTER_AREA)
        copy = folder / f"{image.stem}.jpg"
        cv2.imwrite(str(copy), cv2.copyMakeBorder(small, CELEBA_PAD, CELEBA_PAD, 0, 0, cv2.BORDER_REFLECT),
                    [cv2.IMWRITE_JPEG_QUALITY, 85])
        copies.append(copy)
    return copies
