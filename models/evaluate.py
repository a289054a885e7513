"""Chooses the shipped blend and thresholds on "val" and measures the shipped models on "test", through the run-time code.

Every figure comes from station.compliance.learned.LearnedChecks on the cached face mesh points of the
dataset images, i.e. exactly what the station computes for a face. For each learned check it:
1. scores val and test with every model that has an output of that name;
2. averages the runs of one family (a training script at one crop size) with equal weights, picks the
   split between families (the face model and close-up models, in steps of 0.25) with the best val AUC
   on the check's reference labels (THRESHOLD_SOURCE), and on the blend the threshold with the best val
   balanced accuracy;
3. measures the blended score on test.
Writes models/blend.json, models/metrics.json, models/metrics.md (the tables the model cards quote)
and the thresholds in station/compliance/policy.toml.
Run: .venv/bin/python -m models.evaluate
"""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass

import cv2
import numpy as np

from models.cache_landmarks import load_landmarks
from models.datasets import FACES_DIR, load_labels, load_split
from models.train_face_attributes import CELEBA_COLUMNS, HEADS, mask_labels
from models.training import balanced_accuracy, best_threshold, error_rates, roc_auc
from station import MODELS_DIR
from station.compliance.learned import BLEND_FILE, Blend, LearnedChecks
from station.compliance.policy import DEFAULT_POLICY
from station.compliance.results import LEARNED_CHECK_IDS
from station.face import Face

# (check id, dataset, label name) pairs measured on test.
CELEBA_CHECKS = [(check, "celebahq", column) for check, column in CELEBA_COLUMNS.items() if check != "smile"]
MASK_CHECKS = [(check, "celebamaskhq", f"mask:{check}") for check in HEADS if check != "smile"]
# The labels on "val" that choose each check's blend and threshold. The CHSI rule is about the brows, and
# CelebA's Bangs marks any fringe, also one that ends above them: the masks, which show the brows, decide.
THRESHOLD_SOURCE = {**{c: ("celebahq", l) for c, _, l in CELEBA_CHECKS},
                    "teeth": ("celebamaskhq", "mask:teeth"), "ears_covered": ("celebamaskhq", "mask:ears_covered"),
                    "eyebrows_covered": ("celebamaskhq", "mask:eyebrows_covered"), "eyes_closed": ("eyes", "closed")}
WEIGHT_STEP = 0.25


@dataclass
class Scored:
    """Every model output ("model/output") on every image of one dataset part, with that image's labels."""

    outputs: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]
    seconds: list[float]
    files: list[str]


def score_part(checks: LearnedChecks, dataset: str, part: str) -> Scored:
    landmarks = load_landmarks(dataset)
    rows = load_labels(dataset) if dataset != "celebamaskhq" else {}
    outputs: dict[str, list[float]] = {}
    labels: dict[str, list[float]] = {}
    seconds, files = [], []
    for file in load_split(dataset)[part]:
        if file not in landmarks:
            continue
        files.append(file)
        bgr = cv2.imread(str(FACES_DIR / dataset / file), cv2.IMREAD_COLOR)
        face = Face(points=landmarks[file], image_size=(bgr.shape[1], bgr.shape[0]))
        start = time.perf_counter()
        got = checks.outputs(bgr, face)
        seconds.append(time.perf_counter() - start)
        for model, values in got.items():
            for output, value in values.items():
                outputs.setdefault(f"{model}/{output}", []).append(value)
        for name, value in _labels(dataset, file, bgr, face, rows).items():
            labels.setdefault(name, []).append(value)
    return Scored({k: np.array(v) for k, v in outputs.items()}, {k: np.array(v) for k, v in labels.items()}, seconds,
                  files)


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
    keys = parts["cew_closed"].outputs
    return Scored({k: np.concatenate([parts[n].outputs[k] for n in names]) for k in keys},
                  {"closed": np.concatenate([np.full(len(parts[n].seconds), float(n == "cew_closed"))
                                             for n in names])}, [], [])


def blended(scored: Scored, weights: dict[str, float]) -> np.ndarray:
    return sum(w * scored.outputs[k] for k, w in weights.items()) / sum(weights.values())


def family(key: str) -> str:
    """"face_attributes_2/glasses" -> "face_attributes": runs of one training script are one family."""
    model = key.split("/")[0]
    stem, _, suffix = model.rpartition("_")
    return stem if suffix.isdigit() else model


def shares(families: int, step: float = WEIGHT_STEP) -> list[tuple[float, ...]]:
    """Every split of 1 between `families` in `step`s (a grid over the simplex): 5 for two, 15 for three."""
    steps = round(1 / step)
    return [tuple(n * step for n in split) for split in itertools.product(range(steps + 1), repeat=families)
            if sum(split) == steps]


def choose_blend(val: Scored, check: str, label: str) -> dict[str, float]:
    """Each family's runs averaged with equal weights (a plain ensemble); between families, the split
    (in WEIGHT_STEP steps) with the best val AUC. Few choices, so val picks little noise."""
    keys = sorted(k for k in val.outputs if k.split("/")[1] == check)
    families = sorted({family(k) for k in keys})
    y = val.labels[label]

    def weights(share: tuple[float, ...]) -> dict[str, float]:
        out = {}
        for fam, part in zip(families, share):
            members = [k for k in keys if family(k) == fam]
            out.update({k: part / len(members) for k in members})
        return out

    best = max((weights(share) for share in shares(len(families))), key=lambda w: roc_auc(y, blended(val, w)))
    return {k: round(w, 4) for k, w in best.items() if w > 0}


def measure(scored: Scored, weights: dict[str, float], label: str, threshold: float) -> dict:
    y, s = scored.labels[label], blended(scored, weights)
    false_alarms, misses = error_rates(y, s, threshold)
    return {"auc": round(roc_auc(y, s), 4), "balanced_accuracy": round(balanced_accuracy(y, s, threshold), 4),
            "false_alarm_rate": round(false_alarms, 4), "miss_rate": round(misses, 4),
            "n": int(len(y)), "positives": int(y.sum())}


def write_policy_thresholds(thresholds: dict[str, float]) -> None:
    """Sets `threshold = ...` in each learned check's section of the shipped policy file."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    for check, value in thresholds.items():
        text, count = re.subn(rf"(\[{check}\]\nenforced = \w+\nthreshold = )[0-9.]+", rf"\g<1>{value:.3f}", text)
        if count != 1:
            raise SystemExit(f"policy.toml: no threshold line for [{check}]")
    DEFAULT_POLICY.write_text(text, encoding="utf-8")


def main() -> None:
    every = {check: {} for check in LEARNED_CHECK_IDS}
    for path in sorted(MODELS_DIR.glob("*.onnx")):
        outputs = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["outputs"]
        for output in outputs:
            if output in every:
                every[output][f"{path.stem}/{output}"] = 1.0
    checks = LearnedChecks(MODELS_DIR, Blend(every))
    datasets = ("celebahq", "celebamaskhq", "genki4k", "cew_closed")
    val = {d: score_part(checks, d, "val") for d in datasets}
    test = {d: score_part(checks, d, "test") for d in datasets}
    val["eyes"], test["eyes"] = eyes_set(val), eyes_set(test)
    blend, thresholds = {}, {}
    for check, (dataset, label) in THRESHOLD_SOURCE.items():
        blend[check] = choose_blend(val[dataset], check, label)
        thresholds[check] = best_threshold(val[dataset].labels[label], blended(val[dataset], blend[check]))
    pairs = [*CELEBA_CHECKS, *MASK_CHECKS, ("eyes_closed", "eyes", "closed"),
             ("teeth", "genki4k", "smile"), ("mouth_open", "genki4k", "smile"),
             ("teeth", "celebahq", "Smiling")]
    results = [{"check": c, "dataset": d, "label": l, "split": "test", "threshold": thresholds[c],
                **measure(test[d], blend[c], l, thresholds[c])} for c, d, l in pairs]
    singles = [{"output": k, "dataset": d, "label": l, "auc": round(roc_auc(test[d].labels[l], test[d].outputs[k]), 4)}
               for c, d, l in pairs for k in every[c]]
    seconds = np.array(sum((test[d].seconds for d in datasets), []))
    timing = {"median_ms": round(float(np.median(seconds)) * 1000, 2),
              "p95_ms": round(float(np.percentile(seconds, 95)) * 1000, 2), "faces": int(len(seconds))}
    (MODELS_DIR / BLEND_FILE).write_text(json.dumps({"chosen_on": "val", "checks": blend}, indent=1) + "\n",
                                         encoding="utf-8")
    write_policy_thresholds(thresholds)
    doc = {"thresholds": thresholds, "blend": blend, "test": results, "test_single_models": singles,
           "time_per_face_all_models": timing}
    (MODELS_DIR / "metrics.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    text = report(doc)
    (MODELS_DIR / "metrics.md").write_text(text, encoding="utf-8")
    print(text)


def report(doc: dict) -> str:
    """metrics.md: the tables the model cards and the README quote."""
    lines = ["# Learned checks: measured on the test parts (written by `python -m models.evaluate`)", "",
             "Blends and thresholds were chosen on the val parts; nothing here was used to choose anything.", "",
             "| check | blend (model/output: weight) | measured against | test n (positives) | AUC "
             "| balanced accuracy @ threshold | false alarms (of negatives) | misses (of positives) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in doc["test"]:
        blend = ", ".join(f"{k}: {w:g}" for k, w in doc["blend"][r["check"]].items())
        lines.append(f"| `{r['check']}` | {blend} | {r['dataset']} `{r['label']}` | {r['n']} ({r['positives']}) "
                     f"| {r['auc']:.3f} | {r['balanced_accuracy']:.3f} @ {r['threshold']:.3f} "
                     f"| {r['false_alarm_rate']:.1%} | {r['miss_rate']:.1%} |")
    lines += ["", "Each model output alone (test AUC):", "", "| model/output | measured against | AUC |",
              "| --- | --- | --- |"]
    lines += [f"| {r['output']} | {r['dataset']} `{r['label']}` | {r['auc']:.3f} |" for r in doc["test_single_models"]]
    t = doc["time_per_face_all_models"]
    lines += ["", f"Time per face for every model in models/ together (onnxruntime, 1 thread each, crops and "
              f"mirrored views included), {t['faces']} test faces: median {t['median_ms']:.2f} ms, "
              f"95th percentile {t['p95_ms']:.2f} ms.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
