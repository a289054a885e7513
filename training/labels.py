"""The labels the face models learn: CelebA attribute columns, and labels read off CelebAMask-HQ's parsing masks.

Kept free of torch so that evaluation and benchmarks (training/evaluate.py, scripts/) run in the station's own
environment, without the training extras.
"""

from __future__ import annotations

import cv2
import numpy as np

from training.datasets import load_mask
from station.compliance.learned import IRIS_IMAGE_LEFT, IRIS_IMAGE_RIGHT

HEADS = ["glasses", "hat", "earrings", "necklace", "ears_covered", "eyebrows_covered", "mouth_open", "teeth", "smile"]
CELEBA_COLUMNS = {"glasses": "Eyeglasses", "hat": "Wearing_Hat", "earrings": "Wearing_Earrings",
                  "necklace": "Wearing_Necklace", "mouth_open": "Mouth_Slightly_Open",
                  "eyebrows_covered": "Bangs", "smile": "Smiling"}
# Mask-derived labels: pixel counts in units of (distance between the irises)^2, about 16,000 px here.
MASK_PRESENT = {"glasses": (3, 0.01), "hat": (14, 0.02), "earrings": (15, 0.002), "necklace": (16, 0.005),
                "mouth_open": (10, 0.01)}
EAR_HIDDEN, BROW_HIDDEN, TEETH_SHOWN = 0.01, 0.025, 0.005


def iris_unit(points: np.ndarray) -> float:
    """The squared distance between the irises: the mask labels' unit of area, whatever the image's size."""
    return float(np.sum((points[IRIS_IMAGE_LEFT, :2] - points[IRIS_IMAGE_RIGHT, :2]) ** 2))


def brows_hidden(mask: np.ndarray, points: np.ndarray, cover: np.ndarray | None = None) -> bool:
    """Whether either brow shows less than BROW_HIDDEN in the parsing `mask` (the image's size); given `cover`, an
    opacity pasted over the image (training/paste.py's fringes), a brow pixel under more than half of it is hidden."""
    shown = np.ones(mask.shape, bool) if cover is None else cover < 0.5
    return min(np.count_nonzero((mask == brow) & shown) for brow in (6, 7)) / iris_unit(points) < BROW_HIDDEN


def mask_labels(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
    """Labels read off the parsing mask; 'teeth' = bright, unsaturated pixels of the mouth interior."""
    mask = load_mask(file)
    unit = iris_unit(points)
    area = lambda value: np.count_nonzero(mask == value) / unit  # noqa: E731
    for head, (value, minimum) in MASK_PRESENT.items():
        labels[HEADS.index(head)] = float(area(value) > minimum)
    labels[HEADS.index("ears_covered")] = float(min(area(8), area(9)) < EAR_HIDDEN)
    labels[HEADS.index("eyebrows_covered")] = float(brows_hidden(mask, points))
    hls = cv2.cvtColor(image, cv2.COLOR_BGR2HLS)
    teeth = np.count_nonzero((mask == 10) & (hls[..., 1] > 150) & (hls[..., 2] < 90)) / unit
    labels[HEADS.index("teeth")] = float(teeth > TEETH_SHOWN)
