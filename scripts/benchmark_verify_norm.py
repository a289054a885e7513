"""A linear normalisation of SFace's embeddings (training/fit_verify_norm.py), against SFace alone, by the model
card's rule ("A linear normalisation of the embeddings"): 5-fold cross-validation by person over the dev people.

Each fold's map is fitted on the LFW originals of the other 4/5 of the dev people and applied to the held-out
fifth's photos in every condition of scripts/benchmark_verify_idlike.py (the original "lfw" and the composed ID-like
photos); every genuine and impostor pair within a fold is scored, the scores pooled over the folds. SFace alone is
scored on the same pairs, at the shipped thresholds; a candidate at thresholds chosen by the card's rule on its
pooled lfw-vs-lfw scores. The embeddings come from the ID-like benchmark's cache (its "lfw" condition is the
station's embedder on the original image, as in scripts/benchmark_verify.py):

  nice -n 10 .venv/bin/python scripts/benchmark_verify_idlike.py --split dev --cache /tmp/verify_norm
  .venv/bin/python scripts/benchmark_verify_norm.py --cache /tmp/verify_norm            # the dev rule
  .venv/bin/python scripts/benchmark_verify_norm.py --cache /tmp/verify_norm --test KIND SAME DIFFERENT
      # after the dev decision: the map fitted on all dev people, the held-out people measured once
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.benchmark_verify import (DIFFERENT_FAR, SAME_FAR, eer, images_of, pair_scores,  # noqa: E402
                                      threshold_at_far)
from scripts.benchmark_verify_idlike import CONDITIONS, PAIRS  # noqa: E402
from station.identity import verify  # noqa: E402
from training.fit_verify_norm import KINDS, fit  # noqa: E402

FOLDS = 5
MAIN = ("lfw", "lfw")
# The rule's margins, in points (percent of pairs)
EER_GAIN, TAR_GAIN, PROXY_SLACK, PROXY_FAR = 0.2, 0.5, 0.2, 0.1
FIGURES = ("EER", "TAR", "FAR", "FRR", "gen diff", "imp not diff")
LOWER_IS_BETTER = {"EER": True, "TAR": False, "FRR": True, "gen diff": True, "imp not diff": True}

Scores = dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]


def load(cache: Path, split: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    saved = np.load(cache / f"idlike_{split}.npz")
    return {name: (saved[f"{name}_matrix"], saved[f"{name}_found"]) for name in CONDITIONS}


def folds_of(labels: list[str]) -> np.ndarray:
    """Each image's fold: its person's rank by name, mod FOLDS."""
    rank = {name: i for i, name in enumerate(sorted(set(labels)))}
    return np.array([rank[name] % FOLDS for name in labels])


def scored(sets: dict[str, tuple[np.ndarray, np.ndarray]], labels: list[str], rows: np.ndarray,
           mapping) -> Scores:
    """Every pair set's genuine and impostor scores among `rows`, each vector passed through `mapping` first."""
    names = [labels[i] for i in rows]
    mapped = {c: (mapping(m[rows]), f[rows]) for c, (m, f) in sets.items()}
    out = {}
    for reference, capture in PAIRS:
        (a, fa), (b, fb) = mapped[reference], mapped[capture]
        out[reference, capture] = (pair_scores(a, fa, names) if reference == capture
                                   else pair_scores(a, fa, names, b, fb))
    return out


def pooled(parts: list[Scores]) -> Scores:
    return {key: tuple(np.concatenate([p[key][k] for p in parts]) for k in (0, 1)) for key in parts[0]}


def figures(genuine: np.ndarray, impostor: np.ndarray, same_t: float, diff_t: float) -> dict[str, float]:
    """The ID-like benchmark's figures, in percent."""
    return {"EER": 100 * eer(genuine, impostor),
            "TAR": 100 * (genuine >= threshold_at_far(impostor, 0.001)).mean(),
            "FAR": 100 * (impostor >= same_t).mean(), "FRR": 100 * (genuine < same_t).mean(),
            "gen diff": 100 * (genuine < diff_t).mean(), "imp not diff": 100 * (impostor >= diff_t).mean()}


def table(title: str, scores: Scores, same_t: float, diff_t: float) -> dict[tuple[str, str], dict[str, float]]:
    print(f"{title} (SAME {same_t:.4f}, DIFFERENT {diff_t:.4f}); per set: " + " / ".join(FIGURES) + " in %")
    out = {}
    for key, (genuine, impostor) in scores.items():
        out[key] = figures(genuine, impostor, same_t, diff_t)
        shown = "  ".join(f"{out[key][f]:.3f}" if f == "FAR" else f"{out[key][f]:.2f}" for f in FIGURES)
        print(f"  {key[0]:>7} vs {key[1]:<7} ({len(genuine)} / {len(impostor)} pairs): {shown}")
    return out


def passes(base: dict, candidate: dict) -> tuple[bool, list[str]]:
    """The card's rule; the reasons it fails."""
    failed = []
    if candidate[MAIN]["EER"] > base[MAIN]["EER"] - EER_GAIN:
        failed.append(f"dev-CV EER {base[MAIN]['EER']:.2f} -> {candidate[MAIN]['EER']:.2f} (needs -{EER_GAIN})")
    if candidate[MAIN]["TAR"] < base[MAIN]["TAR"] + TAR_GAIN:
        failed.append(f"dev-CV TAR {base[MAIN]['TAR']:.2f} -> {candidate[MAIN]['TAR']:.2f} (needs +{TAR_GAIN})")
    for key in base:
        for name, lower in LOWER_IS_BETTER.items():
            worse = (candidate[key][name] - base[key][name]) * (1 if lower else -1)
            if worse > PROXY_SLACK:
                failed.append(f"{key[0]} vs {key[1]} {name} {base[key][name]:.2f} -> {candidate[key][name]:.2f}")
        if candidate[key]["FAR"] > PROXY_FAR:
            failed.append(f"{key[0]} vs {key[1]} FAR at SAME {candidate[key]['FAR']:.3f} %")
    return not failed, failed


def dev_rule(cache: Path) -> None:
    labels = [name for _, name in images_of("dev")]
    sets = load(cache, "dev")
    folds = folds_of(labels)
    print(f"dev: {len(labels)} images of {len(set(labels))} people, {FOLDS} folds by person")
    results: dict[str, Scores] = {}
    for kind in ("sface", *KINDS):
        parts = []
        for k in range(FOLDS):
            held, fitting = np.flatnonzero(folds == k), np.flatnonzero((folds != k) & sets["lfw"][1])
            mapping = (lambda m: m) if kind == "sface" else fit(sets["lfw"][0][fitting],
                                                                 [labels[i] for i in fitting], kind).apply
            parts.append(scored(sets, labels, held, mapping))
        results[kind] = pooled(parts)
    base = table("SFace alone, pooled dev-CV", results["sface"], verify.SAME_THRESHOLD, verify.DIFFERENT_THRESHOLD)
    for kind in KINDS:
        impostor = results[kind][MAIN][1]
        same_t, diff_t = threshold_at_far(impostor, SAME_FAR), threshold_at_far(impostor, DIFFERENT_FAR)
        ok, failed = passes(base, table(f"{kind}, pooled dev-CV", results[kind], same_t, diff_t))
        print(f"  {kind}: {'PASSES' if ok else 'fails'} the rule" + "".join(f"\n    {f}" for f in failed))


def test_once(cache: Path, kind: str, same_t: float, diff_t: float) -> None:
    dev_labels = [name for _, name in images_of("dev")]
    matrix, found = load(cache, "dev")["lfw"]
    mapping = fit(matrix[found], [n for n, f in zip(dev_labels, found) if f], kind).apply
    labels = [name for _, name in images_of("test")]
    sets = load(cache, "test")
    everyone = np.arange(len(labels))
    table("SFace alone, held-out people", scored(sets, labels, everyone, lambda m: m),
          verify.SAME_THRESHOLD, verify.DIFFERENT_THRESHOLD)
    table(f"{kind} fitted on all dev people, held-out people", scored(sets, labels, everyone, mapping), same_t, diff_t)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True, help="scripts/benchmark_verify_idlike.py's --cache")
    parser.add_argument("--test", nargs=3, metavar=("KIND", "SAME", "DIFFERENT"), default=None,
                        help="the dev-chosen kind and thresholds, measured once on the held-out people")
    args = parser.parse_args()
    if args.test:
        kind, same_t, diff_t = args.test[0], float(args.test[1]), float(args.test[2])
        if kind not in KINDS:
            parser.error(f"KIND is one of {KINDS}")
        test_once(args.cache, kind, same_t, diff_t)
    else:
        dev_rule(args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
