"""Writes the fixed train/val/test split of each shared face dataset to training/splits/<dataset>.json.

The split is the contract between training (train; thresholds on val) and every benchmark (test only),
so it is written once with a fixed seed and committed; re-running it reproduces the same files.
Run: .venv/bin/python training/make_splits.py
"""

from __future__ import annotations

import json
import random
from collections import defaultdict

import numpy as np

from training.datasets import FACES_DIR, SPLITS_DIR, load_labels, load_mask

SEED = 20261124
FRACTIONS = (0.70, 0.15, 0.15)  # train, val, test

# celebamaskhq mask values whose presence we stratify on (rare things a check must see in test).
MASK_STRATA = {"glasses": 3, "hat": 14, "earring": 15, "necklace": 16}


def _stratified(keys: dict[str, str], seed: int) -> dict[str, list[str]]:
    """Splits each stratum 70/15/15 so rare attributes reach every part."""
    rng = random.Random(seed)
    strata: dict[str, list[str]] = defaultdict(list)
    for file, key in sorted(keys.items()):
        strata[key].append(file)
    split: dict[str, list[str]] = {"train": [], "val": [], "test": []}
    for key in sorted(strata):
        files = strata[key]
        rng.shuffle(files)
        n_val = round(len(files) * FRACTIONS[1])
        n_test = round(len(files) * FRACTIONS[2])
        split["test"] += files[:n_test]
        split["val"] += files[n_test : n_test + n_val]
        split["train"] += files[n_test + n_val :]
    return {part: sorted(files) for part, files in split.items()}


def _celebahq_keys() -> dict[str, str]:
    cols = ("Eyeglasses", "Wearing_Hat", "Wearing_Earrings", "Wearing_Necklace")
    return {r["file"]: "".join(r[c] for c in cols) for r in load_labels("celebahq").values()}


def _celebamaskhq_keys() -> dict[str, str]:
    keys = {}
    for mask_path in sorted((FACES_DIR / "celebamaskhq" / "masks").glob("*.png")):
        file = f"images/{mask_path.stem}.jpg"
        mask = load_mask(file)
        keys[file] = "".join("1" if np.count_nonzero(mask == v) > 50 else "0" for v in MASK_STRATA.values())
    return keys


def _genki_keys() -> dict[str, str]:
    return {r["file"]: r["smile"] for r in load_labels("genki4k").values()}


def _cew_keys() -> dict[str, str]:
    return {r["file"]: "1" for r in load_labels("cew_closed").values()}


def main() -> None:
    SPLITS_DIR.mkdir(parents=True, exist_ok=True)
    for dataset, keys in (
        ("celebahq", _celebahq_keys()),
        ("celebamaskhq", _celebamaskhq_keys()),
        ("genki4k", _genki_keys()),
        ("cew_closed", _cew_keys()),
    ):
        split = _stratified(keys, SEED)
        doc = {"seed": SEED, "fractions": list(FRACTIONS), **split}
        (SPLITS_DIR / f"{dataset}.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        print(dataset, {part: len(split[part]) for part in ("train", "val", "test")})


if __name__ == "__main__":
    main()
