"""Chooses the shipped thresholds on "val" and measures the shipped models on "test", through the run-time code.

Every figure comes from station.compliance.learned.LearnedChecks.scores on the cached face mesh points
of the dataset images, i.e. exactly what the station computes for a face. Writes models/metrics.json
and prints the tables that the model cards carry.
Run: .venv/bin/python -m models.evaluate
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import cv2
import numpy as np

from models.cache_landmarks import load_landmarks
from models.datasets import FACES_DIR, load_labels, load_split
from models.train_face_attributes import CELEBA_COLUMNS, HEADS, mask_labels
from models.training import balanced_accuracy, best_threshold, roc_auc
from station import MODELS_DIR
from station.compliance.learned import LearnedChecks
from station.face import Face

# (check id, dataset, label name) pairs measured; the first pair of each check chooses its threshold on val.
CELEBA_CHECKS = [(check, "celebahq", column) for check, column in CELEBA_COLUMNS.items() if check != "smile"]
MASK_CHECKS = [(check, "celebamaskhq", f"mask:{check}") for check in HEADS if check != "smile"]
THRESHOLD_SOURCE = {**{c: ("celebahq", l) for c, _, l in CELEBA_CHECKS},
                    "teeth": ("celebamaskhq", "mask:teeth"), "ears_covered": ("celebamaskhq", "mask:ears_covered"),
                    "eyes_closed": ("eyes", "closed")}


@dataclass
class Scored:
    """Scores of every image of one dataset part, with that image's labels."""

    scores: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]
    seconds: list[float]


def score_part(checks: LearnedChecks, dataset: str, part: str) -> Scored:
    landmarks = load_landmarks(dataset)
    rows = load_labels(dataset) if dataset != "celebamaskhq" else {}
    scores: dict[str, list[float]] = {c: [] for c in checks.check_ids}
    labels: dict[str, list[float]] = {}
    seconds = []
    for file in load_split(dataset)[part]:
        if file not in landmarks:
            continue
        bgr = cv2.imread(str(FACES_DIR / dataset / file), cv2.IMREAD_COLOR)
        face = Face(points=landmarks[file], image_size=(bgr.shape[1], bgr.shape[0]))
        start = time.perf_counter()
        got = checks.scores(bgr, face)
        seconds.append(time.perf_counter() - start)
        for check, value in got.items():
            scores[check].append(value)
        for name, value in _labels(dataset, file, bgr, face, rows).items():
            labels.setdefault(name, []).append(value)
    return Scored({k: np.array(v) for k, v in scores.items()}, {k: np.array(v) for k, v in labels.items()}, seconds)


def _labels(dataset: str, file: str, bgr: np.ndarray, face: Face, rows: dict) -> dict[str, float]:
    if dataset == "celebamaskhq":
        values = np.full(len(HEADS), np.nan, np.float32)
        mask_labels(file, bgr, face.points, values)
        return {f"mask:{head}": float(v) for head, v in zip(HEADS, values)}
    if dataset == "genki4k":
        return {"smile": float(rows[file]["smile"])}
    return {column: float(rows[file][column]) for column in rows[file] if column != "file"}


def eyes_set(parts: dict[str, Scored]) -> Scored:
    """Closed-eye faces (cew_closed) against the open-eye faces of the other three datasets."""
    names = ("cew_closed", "celebahq", "celebamaskhq", "genki4k")
    return Scored({"eyes_closed": np.concatenate([parts[n].scores["eyes_closed"] for n in names])},
                  {"closed": np.concatenate([np.full(len(parts[n].scores["eyes_closed"]), float(n == "cew_closed"))
                                             for n in names])}, [])


def measure(scored: Scored, check: str, label: str, threshold: float) -> dict:
    y, s = scored.labels[label], scored.scores[check]
    return {"auc": round(roc_auc(y, s), 4), "balanced_accuracy": round(balanced_accuracy(y, s, threshold), 4),
            "n": int(len(y)), "positives": int(y.sum())}


def main() -> None:
    checks = LearnedChecks.load(MODELS_DIR)
    datasets = ("celebahq", "celebamaskhq", "genki4k", "cew_closed")
    val = {d: score_part(checks, d, "val") for d in datasets}
    test = {d: score_part(checks, d, "test") for d in datasets}
    val["eyes"], test["eyes"] = eyes_set(val), eyes_set(test)
    thresholds = {}
    for check, (dataset, label) in THRESHOLD_SOURCE.items():
        thresholds[check] = best_threshold(val[dataset].labels[label], val[dataset].scores[check])
    pairs = [*CELEBA_CHECKS, *MASK_CHECKS, ("eyes_closed", "eyes", "closed"),
             ("teeth", "genki4k", "smile"), ("mouth_open", "genki4k", "smile"),
             ("teeth", "celebahq", "Smiling")]
    results = [{"check": c, "dataset": d, "label": l, "split": "test", "threshold": thresholds[c],
                **measure(test[d], c, l, thresholds[c])} for c, d, l in pairs]
    seconds = np.array(sum((test[d].seconds for d in datasets), []))
    timing = {"median_ms": round(float(np.median(seconds)) * 1000, 2),
              "p95_ms": round(float(np.percentile(seconds, 95)) * 1000, 2), "faces": int(len(seconds))}
    doc = {"thresholds": thresholds, "test": results, "time_per_face": timing}
    (MODELS_DIR / "metrics.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print("| check | measured against | test n (positives) | AUC | balanced acc. @ threshold |")
    print("| --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| {r['check']} | {r['dataset']} {r['label']} | {r['n']} ({r['positives']}) | {r['auc']:.3f} "
              f"| {r['balanced_accuracy']:.3f} @ {r['threshold']:.3f} |")
    print("thresholds (val):", json.dumps(thresholds))
    print("time per face (all learned models, 1 thread each):", timing)


if __name__ == "__main__":
    main()
