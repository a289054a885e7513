"""Trains makeup.onnx: P(heavy makeup), a new output head on the shipped face_attributes trunk.

CelebA-HQ's `Heavy_Makeup` labels 4,193 train faces: too few to train a face network of its own on a shared CPU
in reasonable time, and the face_attributes trunk (models/face_attributes/) already describes the face crop.
So its convolutions stay as they are (training/linear_head.py): a logistic regression on its pooled features (the
last stage, 128 channels, and the one before, 64) of the train faces, each as cut (with its mirror averaged in)
and in AUGMENTED jittered, relit copies, and a copy of the trunk's ONNX graph whose output is that head.
Run: .venv/bin/python -m training.train_makeup   (19 min on the shared 2-core machine; the features are cached)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import onnx

from station.compliance.learned import FACE_SIZE, face_transform, to_input
from models import model_path
from training.cache_landmarks import CACHE_DIR
from training.datasets import load_labels
from training.model_cost import record as record_macs
from training.linear_head import feature_graph, fit_head, with_head
from training.training import Sample, augmented_crop, load_samples

TRUNK = "face_attributes"
# The trunk's last two stages' activations (see its ONNX graph), each averaged over the crop.
STAGES = ("/net/features/features.7/features.7.2/Relu_output_0", "/net/features/features.5/features.5.2/Relu_output_0")
AUGMENTED = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=model_path("makeup").parent)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    import onnxruntime as ort

    start = time.time()
    rows = load_labels("celebahq")
    label = lambda file, image, points, labels: labels.__setitem__(0, float(rows[file]["Heavy_Makeup"]))  # noqa: E731
    parts = {part: load_samples("celebahq", part, label, 1, with_person=False)[0] for part in ("train", "val")}
    trunk_path = model_path(TRUNK)
    session = ort.InferenceSession(feature_graph(onnx.load(trunk_path), STAGES).SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(args.seed)

    def features(samples: list[Sample], copies: int) -> tuple[np.ndarray, np.ndarray]:
        """Per sample: the crop and its mirror (averaged, as the station averages its two scores on the face region)
        then `copies` jittered, relit crops, each a row."""
        xs, ys = [], []
        for sample in samples:
            matrix = face_transform(sample.points, FACE_SIZE)
            crops = [augmented_crop(sample, matrix, FACE_SIZE, None)]
            crops += [augmented_crop(sample, matrix, FACE_SIZE, rng) for _ in range(copies)]
            got = session.run(None, {"crop": to_input(crops + [c[:, ::-1] for c in crops])})[0]
            n = len(crops)
            xs.append((got[:n] + got[n:]) / 2)
            ys += [sample.labels[0]] * n
        return np.concatenate(xs), np.array(ys)

    cache = CACHE_DIR / "makeup_features.npz"  # outside the repo: derived from research data
    if cache.is_file():
        x_train, y_train, x_val, y_val = (np.load(cache)[k] for k in ("x_train", "y_train", "x_val", "y_val"))
    else:
        x_train, y_train = features(parts["train"], AUGMENTED)
        x_val, y_val = features(parts["val"], 0)
        np.savez_compressed(cache, x_train=x_train, y_train=y_train, x_val=x_val, y_val=y_val)
    print(f"features: train {x_train.shape} val {x_val.shape} in {(time.time() - start) / 60:.1f} min", flush=True)
    weights, bias, best, auc = fit_head(x_train, y_train, x_val, y_val)
    out = args.out / "makeup.onnx"
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(with_head(feature_graph(onnx.load(trunk_path), STAGES), weights, bias), out)
    sidecar = {"outputs": ["makeup"], "size": FACE_SIZE, "region": "face", "trunk": f"{TRUNK}.onnx, frozen",
               "stages": list(STAGES), "augmented": AUGMENTED, "l2": best,
               "val": {"makeup": {"auc": round(auc, 4), "n": int(len(y_val)), "positives": int(y_val.sum())}}}
    out.with_suffix(".json").write_text(json.dumps(sidecar, indent=1) + "\n", encoding="utf-8")
    record_macs(out)
    print(f"wrote {out}; done in {(time.time() - start) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
