"""Shared pieces of the training scripts: samples with cached landmarks, augmentation, metrics, export.

Crops are always cut by station.compliance.learned (the run-time code); augmentation only perturbs
the alignment transform and the pixels, so what the models learn is what the station will show them.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from training.cache_landmarks import load_landmarks
from training.datasets import FACES_DIR, load_mask, load_split
from training.fold_pads import fold_file as fold_pads
from training.model_cost import record as record_macs
from models import model_path

Size = tuple[int, int]  # width, height


@dataclass
class Sample:
    """One dataset image in memory with its face mesh points, its person mask and its labels (NaN = unknown)."""

    dataset: str
    file: str
    image: np.ndarray
    points: np.ndarray
    labels: np.ndarray
    person: np.ndarray | None  # uint8 0..255, 255 = the person (not the backdrop), the image's size


def person_mask(dataset: str, file: str, image: np.ndarray, segmenter) -> np.ndarray:
    """Who is the person: the parsing mask where there is one, else mediapipe's selfie segmentation."""
    if dataset == "celebamaskhq":
        mask = (load_mask(file) > 0).astype(np.uint8) * 255
        return cv2.resize(mask, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_NEAREST)
    return (segmenter.mask(image) * 255).astype(np.uint8)


def load_samples(dataset: str, part: str, label_fn, n_labels: int,
                 with_person: bool = True) -> tuple[list[Sample], int]:
    """Samples of one split part; images without a cached face are skipped and counted. `with_person`:
    find the person in each image, for the backdrop augmentation (a model that never uses it skips this)."""
    from station.face.segmentation import PersonSegmenter

    landmarks = load_landmarks(dataset)
    samples, skipped = [], 0
    with PersonSegmenter(portrait=True) as segmenter:
        for file in load_split(dataset)[part]:
            if file not in landmarks:
                skipped += 1
                continue
            image = cv2.imread(str(FACES_DIR / dataset / file), cv2.IMREAD_COLOR)
            labels = np.full(n_labels, np.nan, np.float32)
            label_fn(file, image, landmarks[file], labels)
            person = person_mask(dataset, file, image, segmenter) if with_person else None
            samples.append(Sample(dataset, file, image, landmarks[file], labels, person))
    return samples, skipped


def jitter(matrix: np.ndarray, size: Size, rng: np.random.Generator, strength: float = 1.0) -> np.ndarray:
    """The crop transform followed by a small random rotation, scale, shift and (half the time) a mirror."""
    width, height = size
    angle = rng.uniform(-10, 10) * strength
    scale = np.exp(rng.uniform(-0.08, 0.08) * strength)
    shift = rng.uniform(-0.04, 0.04, size=2) * width * strength
    m = cv2.getRotationMatrix2D((width / 2, height / 2), angle, scale)
    m[:, 2] += shift
    if rng.random() < 0.5:
        m = np.array([[-1, 0, width], [0, 1, 0]], np.float64) @ np.vstack([m, [0, 0, 1]])
    return (np.vstack([m, [0, 0, 1]]) @ np.vstack([matrix, [0, 0, 1]]))[:2].astype(np.float32)


def blue_backdrop(size: Size, rng: np.random.Generator) -> np.ndarray:
    """A kiosk's blue backdrop: a random shade of certificate blue, unevenly lit, with sensor noise."""
    width, height = size
    hsv = np.uint8([[[rng.uniform(96, 114), rng.uniform(110, 255), rng.uniform(120, 250)]]])
    colour = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    tilt = rng.uniform(-0.15, 0.15, 2)
    light = 1 + tilt[0] * (xx / width - 0.5) + tilt[1] * (yy / height - 0.5)
    frame = colour[None, None, :] * light[:, :, None] + rng.normal(0, rng.uniform(1, 4), (height, width, 3))
    return np.clip(frame, 0, 255).astype(np.uint8)


def augmented_crop(sample: Sample, matrix: np.ndarray, size: int | Size, rng: np.random.Generator | None,
                   strength: float = 1.0, backdrop: float = 0.0, webcam: float = 0.0) -> np.ndarray:
    """The run-time crop when `rng` is None, else a jittered, photometrically augmented one, put on a
    blue kiosk backdrop for a `backdrop` share of the crops (the training portraits have none) and seen
    through a poor webcam (`webcam_view`) for a `webcam` share."""
    from station.compliance.learned import warp

    size = (size, size) if isinstance(size, int) else size
    if rng is None:
        return warp(sample.image, matrix, size)
    matrix = jitter(matrix, size, rng, strength)
    crop = warp(sample.image, matrix, size)
    if rng.random() < backdrop:
        alpha = warp(cv2.cvtColor(sample.person, cv2.COLOR_GRAY2BGR), matrix, size).astype(np.float32) / 255
        crop = (alpha * crop + (1 - alpha) * blue_backdrop(size, rng)).astype(np.uint8)
    crop = photometric(crop, rng)
    return webcam_view(crop, rng) if webcam and rng.random() < webcam else crop  # no draw: other runs repeat


def training_args(doc: str, epochs: int, name: str, backdrop: float = 0.5,
                  options: Callable[[argparse.ArgumentParser], None] | None = None) -> argparse.Namespace:
    """The options every training script takes, plus a script's own `options`; sets torch's thread count."""
    import torch

    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (the machine is shared)")
    parser.add_argument("--out", type=Path, help="folder for the ONNX file (default: its family's in models/)")
    parser.add_argument("--name", default=name, help=f"model file name without .onnx (default: {name})")
    parser.add_argument("--seed", type=int, default=0, help="weights and augmentation seed (the split is fixed)")
    parser.add_argument("--backdrop", type=float, default=backdrop,
                        help=f"share of training crops put on a blue kiosk backdrop (default: {backdrop})")
    if options:
        options(parser)
    args = parser.parse_args()
    args.out = args.out or model_path(args.name).parent
    torch.set_num_threads(args.threads)
    return args


def photometric(crop: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Lighting, colour, sharpness and resolution changes a kiosk camera can produce."""
    img = crop.astype(np.float32)
    img = (img - img.mean()) * rng.uniform(0.7, 1.3) + img.mean() * rng.uniform(0.7, 1.3)
    img *= rng.uniform(0.9, 1.1, size=3)  # white balance
    if rng.random() < 0.15:
        img[:] = img.mean(axis=2, keepdims=True)
    img = np.clip(img, 0, 255).astype(np.uint8)
    height, width = crop.shape[:2]
    if rng.random() < 0.3:
        shrink = rng.uniform(0.35, 0.8)
        small = (max(8, int(width * shrink)), max(8, int(height * shrink)))
        img = cv2.resize(cv2.resize(img, small, interpolation=cv2.INTER_AREA), (width, height))
    if rng.random() < 0.2:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.5))
    if rng.random() < 0.3:
        noise = rng.normal(0, rng.uniform(2, 8), img.shape)
        img = np.clip(img + noise, 0, 255).astype(np.uint8)
    return img


def webcam_view(crop: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The crop as a low-resolution webcam gives it: a colour cast, then the region seen at 0.2-0.7 of the crop's
    pixels (a 112 px mouth crop at 22-78 px: lips 15-52 px wide, as on GENKI-4K's webcam faces and a kiosk's far
    students), sensor noise and blur there, JPEG at quality 30-80, and the station's upscaling back. photometric's
    milder changes are what a good camera adds; the CelebA-HQ training faces are all sharp, clean and large."""
    height, width = crop.shape[:2]
    img = crop.astype(np.float32) * rng.uniform(0.8, 1.2, size=3) + rng.uniform(-15, 15, size=3)
    factor = rng.uniform(0.2, 0.7)
    small = (max(8, round(width * factor)), max(8, round(height * factor)))
    img = cv2.resize(np.clip(img, 0, 255).astype(np.uint8), small, interpolation=cv2.INTER_AREA).astype(np.float32)
    img = np.clip(img + rng.normal(0, rng.uniform(1, 8), img.shape), 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.0))
    _, jpeg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(30, 81))])
    return cv2.resize(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), (width, height), interpolation=cv2.INTER_LINEAR)


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half)."""
    labels = labels.astype(bool)
    pos, neg = scores[labels], scores[~labels]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    values = np.concatenate([pos, neg])[order]
    i = 0
    while i < len(values):  # average ranks over ties
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def error_rates(labels: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[float, float]:
    """(false alarms, misses): how often a compliant student is told to fix something (flagged among the
    label's negatives) and how often a broken rule passes (not flagged among its positives)."""
    labels = labels.astype(bool)
    flagged = scores >= threshold
    return float(flagged[~labels].mean()), float((~flagged[labels]).mean())


def balanced_accuracy(labels: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    false_alarms, misses = error_rates(labels, scores, threshold)
    return 1 - (false_alarms + misses) / 2


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The threshold with the highest balanced accuracy (chosen on val, never on test)."""
    candidates = np.unique(np.round(scores, 3))
    accs = [balanced_accuracy(labels, scores, t) for t in candidates]
    return float(candidates[int(np.argmax(accs))])


def export_onnx(model, path: Path, size: int | Size, region: str, outputs: list[str], extra: dict) -> None:
    """ONNX file with input "crop" (N,3,height,width float BGR in [0,1]) and output "probs", plus the JSON
    sidecar station.compliance.learned.ModelInfo reads (outputs, size, region, macs)."""
    import torch

    model.eval()
    width, height = (size, size) if isinstance(size, int) else size
    dummy = torch.zeros(1, 3, height, width)
    torch.onnx.export(
        model, dummy, str(path), input_names=["crop"], output_names=["probs"],
        dynamic_axes={"crop": {0: "n"}, "probs": {0: "n"}}, opset_version=17, dynamo=False,
    )
    fold_pads(path)  # the pretrained trunk's Keras padding, folded into its convolutions: same outputs, faster
    sidecar = {"outputs": outputs, "size": size, "region": region, **extra}
    path.with_suffix(".json").write_text(json.dumps(sidecar, indent=1) + "\n", encoding="utf-8")
    record_macs(path)


def forward(net, crops: list[np.ndarray]):
    """Logits per item. An item may be several crops (K, H, W, 3): its logit is their maximum
    (multiple-instance: a face wears earrings if either ear crop shows one)."""
    import torch

    batch = np.stack(crops)
    per_item = batch.shape[1] if batch.ndim == 5 else 1
    x = batch.reshape(-1, *batch.shape[-3:]).astype(np.float32).transpose(0, 3, 1, 2) / 255.0
    logits = net(torch.from_numpy(x))
    return logits.reshape(len(crops), per_item, -1).amax(dim=1)


def predict(net, items: list, crop_fn, batch: int = 128) -> np.ndarray:
    """Probabilities of the net on un-augmented crops, (len(items), n_heads)."""
    import torch

    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(items), batch):
            crops = [crop_fn(item, None) for item in items[i : i + batch]]
            out.append(torch.sigmoid(forward(net, crops)).numpy())
    return np.concatenate(out)


def head_report(names: list[str], labels: np.ndarray, probs: np.ndarray, thresholds: dict | None = None) -> dict:
    """Per head: AUC, and balanced accuracy at the given threshold (or the best one on these labels)."""
    report = {}
    for k, name in enumerate(names):
        known = ~np.isnan(labels[:, k])
        y, s = labels[known, k], probs[known, k]
        if len(np.unique(y)) < 2:
            continue
        t = thresholds[name] if thresholds else best_threshold(y, s)
        report[name] = {"auc": roc_auc(y, s), "balanced_accuracy": balanced_accuracy(y, s, t),
                        "threshold": t, "n": int(known.sum()), "positives": int(y.sum())}
    return report


def fit(net, train_items: list, val_items: list, crop_fn, label_fn, names: list[str], epochs: int,
        batch: int = 64, lr: float = 2e-3, seed: int = 0, log=print, on_best=None) -> dict:
    """Trains with masked BCE (unknown labels are NaN), keeps the epoch with the best mean val AUC.

    `on_best(report)` runs at every new best epoch (the scripts export there, so a run cut short still ships).
    """
    import copy
    import time

    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    optimizer = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)
    steps = epochs * (len(train_items) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps, pct_start=0.15)
    val_labels = np.stack([label_fn(item) for item in val_items])
    best, best_state = -1.0, None
    for epoch in range(epochs):
        start, losses = time.time(), []
        net.train()
        order = rng.permutation(len(train_items))
        for i in range(0, len(order) - batch + 1, batch):
            chosen = [train_items[j] for j in order[i : i + batch]]
            y = torch.from_numpy(np.stack([label_fn(item) for item in chosen]))
            known = ~torch.isnan(y)
            logits = forward(net, [crop_fn(item, rng) for item in chosen])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[known], y[known])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            losses.append(loss.item())
        report = head_report(names, val_labels, predict(net, val_items, crop_fn))
        score = float(np.mean([r["auc"] for r in report.values()]))
        log(f"epoch {epoch + 1}/{epochs} loss {np.mean(losses):.4f} val mean AUC {score:.4f} "
            + " ".join(f"{n}={r['auc']:.3f}/{r['balanced_accuracy']:.3f}" for n, r in report.items())
            + f" ({time.time() - start:.0f}s)")
        if score > best:
            best, best_state = score, copy.deepcopy(net.state_dict())
            if on_best:
                on_best(report)
    net.load_state_dict(best_state)
    return head_report(names, val_labels, predict(net, val_items, crop_fn))
