"""Runs the station's own face mesh once over every shared dataset image and caches the landmarks.

Training crops must come from the same landmarks the station sees at run time, so every model is
trained on crops aligned by station.compliance.learned from these points. The cache lives outside the
repo (it is derived from research data). Images where no face is found are recorded and excluded.
Run: .venv/bin/python -m training.cache_landmarks
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import cv2
import numpy as np

from training.datasets import DATASETS, FACES_DIR, load_split
from station.face import FaceMesher

CACHE_DIR = Path(os.environ.get("PHOTO_STATION_TRAIN_CACHE", Path.home() / ".cache" / "photo-station-train"))
DETECT_BORDER = 0.3  # tight crops (cew_closed) need a margin for mediapipe's detector to fire


def cache_path(dataset: str) -> Path:
    return CACHE_DIR / "landmarks" / f"{dataset}.npz"


def load_landmarks(dataset: str) -> dict[str, np.ndarray]:
    """file -> (478, 3) points in the original image's pixels; files without a face are absent."""
    data = np.load(cache_path(dataset))
    return {str(f): p for f, p, ok in zip(data["files"], data["points"], data["found"]) if ok}


def _detect(mesher: FaceMesher, bgr: np.ndarray) -> np.ndarray | None:
    faces = mesher.detect(bgr)
    if faces:
        return faces[0].points
    pad = int(max(bgr.shape[:2]) * DETECT_BORDER)
    padded = cv2.copyMakeBorder(bgr, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    faces = mesher.detect(padded)
    if not faces:
        return None
    points = faces[0].points.copy()
    points[:, :2] -= pad
    return points


def cache_dataset(dataset: str, mesher: FaceMesher) -> None:
    split = load_split(dataset)
    files = sorted(split["train"] + split["val"] + split["test"])
    points = np.zeros((len(files), 478, 3), np.float32)
    found = np.zeros(len(files), bool)
    for i, file in enumerate(files):
        bgr = cv2.imread(str(FACES_DIR / dataset / file), cv2.IMREAD_COLOR)
        got = None if bgr is None else _detect(mesher, bgr)
        if got is not None:
            points[i], found[i] = got, True
    out = cache_path(dataset)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, files=np.array(files), points=points, found=found)
    print(f"{dataset}: {found.sum()}/{len(files)} faces found, {len(files) - found.sum()} excluded", flush=True)


def main() -> None:
    with FaceMesher(max_faces=1) as mesher:
        for dataset in sys.argv[1:] or DATASETS:
            cache_dataset(dataset, mesher)


if __name__ == "__main__":
    main()
