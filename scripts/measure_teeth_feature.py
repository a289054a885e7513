"""Would a measured mouth-interior feature help the learned teeth check? (issue 20, session 16: it does not ship)

The feature needs no model: on a lower-face crop cut at a fixed face scale from the mesh (as the learned crops are),
the share of the pixels inside the face mesh's inner-lip contour that look like teeth (L* at least the cheeks' L*
plus DL, chroma at most K times the cheeks', so lighting and skin tone set the bar), per (iris distance)^2, with
the inner-lip opening per iris distance beside it. The rule for it was written before any val figure:
- (DL, K) on a small grid, chosen on the TRAIN parts only (best mean AUC over celebamaskhq's teeth masks,
  celebahq's Smiling and genki4k's smile; no model was fitted on it, so train is unseen by it);
- a logistic (log share, opening) fitted on celebamaskhq TRAIN's teeth masks turns it into a probability;
- that probability joins the shipped teeth blend as one more family, its weight (steps of 0.25) chosen on
  celebamaskhq val masks as training/evaluate.py chooses every family's;
- ships iff that val AUC rises by >= 0.01 on the celebamaskhq val masks and falls by <= 0.003 on celebahq val
  Smiling and genki4k val smile.
Prints the val figures and the verdict; the test parts are never read. Reads ../shared in place.
Run: .venv/bin/python scripts/measure_teeth_feature.py   (about 20 s with training/evaluate.py's outputs cache)
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models import MODELS_DIR, model_path, read_manifest  # noqa: E402
from station.compliance.irises import LensModel  # noqa: E402
from station.compliance.learned import (  # noqa: E402
    IRIS_IMAGE_LEFT, IRIS_IMAGE_RIGHT, LIP_INNER_BOTTOM, LIP_INNER_TOP, Blend, LearnedChecks, face_transform,
    region_transform, warp,
)
from station.compliance.photometry import LEFT_CHEEK, RIGHT_CHEEK  # noqa: E402
from station.compliance.policy import Policy  # noqa: E402
from training.cache_landmarks import load_landmarks  # noqa: E402
from training.datasets import FACES_DIR, load_labels, load_split  # noqa: E402
from training.evaluate import LENS, Scorers, blended, score_part  # noqa: E402
from training.labels import HEADS, mask_labels  # noqa: E402
from training.training import roc_auc  # noqa: E402

INNER_LIPS = (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 415, 310, 311, 312, 13, 82, 81, 80, 191)
# The crop, in face-crop units (learned.FACE_TEMPLATE puts the mouth at (0.5, 0.75)): cheeks to chin.
CROP_CENTRE, CROP_WIDTH, CROP_SIZE = (0.5, 0.70), 0.56, (128, 82)
CHEEK_RADIUS = 4  # px of the crop, about a fourteenth of the iris distance
GRID = {"dl": (-15.0, -10.0, -5.0, 0.0), "k": (0.9, 1.1, 1.3, 1.5, 2.0)}
# Each set: (dataset, label); the rule's reference set first.
SETS = (("celebamaskhq", "mask:teeth"), ("celebahq", "Smiling"), ("genki4k", "smile"))
RISE, LOSS = 0.01, 0.003


@dataclass(frozen=True)
class MouthPixels:
    """The inner-lip pixels of one face, against its cheeks; `share(dl, k)` is the feature."""

    lightness: np.ndarray  # L* minus the cheeks' median L*
    chroma: np.ndarray  # chroma over the cheeks' median chroma
    iris_distance: float  # px of the crop
    opening: float  # inner-lip opening per iris distance

    @classmethod
    def of(cls, bgr: np.ndarray, points: np.ndarray) -> "MouthPixels":
        to_crop = region_transform(face_transform(points, 1), CROP_CENTRE, CROP_WIDTH, CROP_SIZE)
        xy = points[:, :2] @ to_crop[:, :2].T + to_crop[:, 2]
        lab = cv2.cvtColor(warp(bgr, to_crop, CROP_SIZE), cv2.COLOR_BGR2Lab).astype(np.float32)
        lightness, chroma = lab[..., 0] * (100 / 255), np.hypot(lab[..., 1] - 128, lab[..., 2] - 128)
        lips, cheeks = np.zeros(lab.shape[:2], np.uint8), np.zeros(lab.shape[:2], np.uint8)
        cv2.fillPoly(lips, [np.round(xy[list(INNER_LIPS)]).astype(np.int32)], 1)
        for point in (*RIGHT_CHEEK, *LEFT_CHEEK):
            cv2.circle(cheeks, tuple(int(v) for v in np.round(xy[point])), CHEEK_RADIUS, 1, -1)
        lips, cheeks = lips.astype(bool), cheeks.astype(bool)
        unit = float(np.linalg.norm(xy[IRIS_IMAGE_LEFT] - xy[IRIS_IMAGE_RIGHT])) or 1.0
        return cls(lightness[lips] - np.median(lightness[cheeks]), chroma[lips] / max(np.median(chroma[cheeks]), 1.0),
                   unit, float(np.linalg.norm(xy[LIP_INNER_TOP] - xy[LIP_INNER_BOTTOM])) / unit)

    def share(self, dl: float, k: float) -> float:
        return np.count_nonzero((self.lightness >= dl) & (self.chroma <= k)) / self.iris_distance**2


def measured(dataset: str, files: list[str]) -> list[MouthPixels]:
    landmarks = load_landmarks(dataset)
    return [MouthPixels.of(cv2.imread(str(FACES_DIR / dataset / f), cv2.IMREAD_COLOR), landmarks[f]) for f in files]


def train_part(dataset: str, label: str) -> tuple[list[MouthPixels], np.ndarray]:
    """The train faces with a mesh, measured, and their labels (training/evaluate.py's, for the masks)."""
    landmarks = load_landmarks(dataset)
    files = [f for f in load_split(dataset)["train"] if f in landmarks]
    if dataset != "celebamaskhq":
        rows = load_labels(dataset)
        return measured(dataset, files), np.array([float(rows[f][label]) for f in files])
    labels = []
    for f in files:
        values = np.full(len(HEADS), np.nan, np.float32)
        mask_labels(f, cv2.imread(str(FACES_DIR / dataset / f), cv2.IMREAD_COLOR), landmarks[f], values)
        labels.append(values[HEADS.index("teeth")])
    return measured(dataset, files), np.array(labels)


def features(faces: list[MouthPixels], dl: float, k: float) -> np.ndarray:
    """The logistic's inputs: 1, log share, opening."""
    return np.array([[1.0, np.log(f.share(dl, k) + 1e-3), f.opening] for f in faces])


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = 1e-3) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(50):  # Newton steps
        p = 1 / (1 + np.exp(-x @ w))
        w -= np.linalg.solve((x * (p * (1 - p))[:, None]).T @ x + ridge * np.eye(len(w)), x.T @ (p - y) + ridge * w)
    return w


def main() -> None:
    train = {d: train_part(d, label) for d, label in SETS}
    grid = list(itertools.product(GRID["dl"], GRID["k"]))
    train_auc = {(dl, k): [roc_auc(y, np.array([f.share(dl, k) for f in faces])) for faces, y in train.values()]
                 for dl, k in grid}
    dl, k = max(grid, key=lambda g: np.mean(train_auc[g]))
    print(f"pixel rule chosen on train: L* >= cheeks {dl:+g}, chroma <= {k:g} x cheeks; train AUC (share alone) "
          + ", ".join(f"{d} {a:.4f}" for (d, _), a in zip(SETS, train_auc[dl, k])))
    w = fit_logistic(features(train["celebamaskhq"][0], dl, k), train["celebamaskhq"][1])
    print(f"logistic on celebamaskhq train masks: {w[0]:.3f} + {w[1]:.3f} log(share + 0.001) + {w[2]:.3f} opening")
    manifest = read_manifest()["checks"]
    shipped = {c: manifest[c] for c in ("teeth", "mouth_open")}
    scorers = Scorers(LearnedChecks(MODELS_DIR, Blend(shipped)), LensModel(model_path(LENS)))
    val = {}
    for dataset, label in SETS:
        scored = score_part(scorers, dataset, "val")
        feature = 1 / (1 + np.exp(-features(measured(dataset, scored.files), dl, k) @ w))
        val[dataset] = (scored.labels[label], blended(scored, shipped["teeth"]), feature,
                        blended(scored, shipped["mouth_open"]))
    y, blend, feature, _ = val["celebamaskhq"]
    weight = max((0.0, 0.25, 0.5, 0.75, 1.0), key=lambda a: roc_auc(y, (1 - a) * blend + a * feature))
    print(f"\nval AUC (the feature's weight chosen on celebamaskhq val masks: {weight:g})")
    print("| set | n (positives) | shipped blend | feature alone | max of the two | blend + feature at that weight |")
    print("| --- | --- | --- | --- | --- | --- |")
    change = {}
    for dataset, label in SETS:
        y, blend, feature, _ = val[dataset]
        combined = (1 - weight) * blend + weight * feature
        change[dataset] = roc_auc(y, combined) - roc_auc(y, blend)
        print(f"| {dataset} `{label}` | {len(y)} ({int(y.sum())}) | {roc_auc(y, blend):.4f} "
              f"| {roc_auc(y, feature):.4f} | {roc_auc(y, np.maximum(blend, feature)):.4f} "
              f"| {roc_auc(y, combined):.4f} ({change[dataset]:+.4f}) |")
    ships = change["celebamaskhq"] >= RISE and all(change[d] >= -LOSS for d, _ in SETS[1:])
    print(f"\nships: {ships} (rule: +{RISE} on the masks, at most -{LOSS} on the others)")
    policy = Policy.load()
    print("\nval faces breaking the rule that neither the teeth nor the mouth_open check answers (shipped levels):")
    for dataset, label in SETS:
        y, blend, _, mouth = val[dataset]
        y = y.astype(bool)
        silent = (blend < policy["teeth"].look) & (mouth < policy["mouth_open"].look)
        print(f"  {dataset} `{label}`: teeth alone misses {(blend[y] < policy['teeth'].look).mean():.1%}, "
              f"both silent {silent[y].mean():.1%}")


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # --help: the usage, nothing run
    main()
