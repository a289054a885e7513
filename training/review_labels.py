"""A second look at the reference labels of one learned check, where the shipped models and the label disagree.

CelebA's attribute labels are noisy (the dataset's README says so), so a figure measured against them
mixes the model's mistakes with the label's. This tool lets a person look at every test image that the
label *or* the shipped blend calls positive, and write down whether the image breaks the CHSI rule
(training/reviews/README.md says what counts, and lists the reviews done):

    .venv/bin/python -m training.review_labels sheet hat     # contact sheets + training/reviews/hat_test.csv
    (fill the `reviewed` column: 1 the rule is broken, 0 it is not; add a note)
    .venv/bin/python -m training.review_labels score hat     # balanced accuracy against both label sets

Images where label and model both say "negative" are not reviewed (there are too many): a hat that both
miss stays uncounted, so the reviewed figure is an upper bound of this kind, and the CelebA figure stays
the one the goals are measured against.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from pathlib import Path

import cv2
import numpy as np

from training.datasets import FACES_DIR, TRAINING_DIR
from training.evaluate import THRESHOLD_SOURCE, blended, score_part
from training.training import balanced_accuracy, roc_auc
from station.compliance.learned import LearnedChecks
from station.compliance.policy import Policy

REVIEWS_DIR = TRAINING_DIR / "reviews"
SHEET_WIDTH, SHEET_HEIGHT = 1024, 768  # about what one look takes in


def _scored(check: str, split: str) -> tuple[list[str], np.ndarray, np.ndarray, float]:
    """Files, reference labels and blended scores of the check on one split, and the shipped threshold."""
    dataset, label = THRESHOLD_SOURCE[check]
    checks = LearnedChecks.load()
    scored = score_part(checks, dataset, split)
    weights = checks.blend.checks[check]
    return scored.files, scored.labels[label], blended(scored, weights), Policy.load()[check].threshold


def _review_path(check: str, split: str) -> Path:
    return REVIEWS_DIR / f"{check}_{split}.csv"


def sheet(check: str, split: str, out: Path, tile: int) -> None:
    files, labels, scores, threshold = _scored(check, split)
    path = _review_path(check, split)
    done = _read_review(path)  # verdicts already written survive a new sheet (after retraining, say)
    picked = [i for i in range(len(files)) if labels[i] or scores[i] >= threshold or files[i] in done]
    picked.sort(key=lambda i: (labels[i], -scores[i]))
    dataset = THRESHOLD_SOURCE[check][0]
    out.mkdir(parents=True, exist_ok=True)
    columns = SHEET_WIDTH // tile
    per_sheet = columns * (SHEET_HEIGHT // tile)
    for start in range(0, len(picked), per_sheet):
        tiles = []
        for number, i in enumerate(picked[start:start + per_sheet], start):
            image = cv2.resize(cv2.imread(str(FACES_DIR / dataset / files[i])), (tile, tile))
            colour = (0, 255, 255) if labels[i] else (255, 255, 0)  # yellow: the label says positive
            cv2.putText(image, f"{number} {scores[i]:.2f}", (3, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.42, colour, 1)
            tiles.append(image)
        tiles += [np.zeros_like(tiles[0])] * (-len(tiles) % columns)
        rows = [np.hstack(tiles[r:r + columns]) for r in range(0, len(tiles), columns)]
        cv2.imwrite(str(out / f"{check}_{split}_{start // per_sheet + 1}.png"), np.vstack(rows))
    REVIEWS_DIR.mkdir(exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["number", "file", "label", "reviewed", "note"])
        for number, i in enumerate(picked):
            writer.writerow([number, files[i], int(labels[i]), *done.get(files[i], ("", ""))])
    todo = sum(1 for i in picked if files[i] not in done)
    print(f"{len(picked)} images on {(len(picked) - 1) // per_sheet + 1} sheets in {out}, {todo} without a verdict; "
          f"write the verdicts into {path}")


def _read_review(path: Path) -> dict[str, tuple[str, str]]:
    """file -> (reviewed, note) for the rows that have a verdict."""
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["file"]: (row["reviewed"], row["note"]) for row in csv.DictReader(fh) if row["reviewed"] != ""}


def score(check: str, split: str) -> None:
    files, labels, scores, threshold = _scored(check, split)
    reviewed = {file: float(verdict) for file, (verdict, _) in _read_review(_review_path(check, split)).items()}
    corrected = np.array([reviewed.get(f, label) for f, label in zip(files, labels)])
    unreviewed = sum(1 for f, s in zip(files, scores) if s >= threshold and f not in reviewed)
    changed = int(np.sum(corrected != labels))
    print(f"{check} on {split}: {len(reviewed)} images reviewed, {changed} labels changed, "
          f"{unreviewed} predicted positives not reviewed (they keep their label)")
    for name, y in (("reference label", labels), ("reviewed label", corrected)):
        print(f"  {name}: n {len(y)}, positives {int(y.sum())}, AUC {roc_auc(y, scores):.3f}, "
              f"balanced accuracy {balanced_accuracy(y, scores, threshold):.3f} @ {threshold:g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["sheet", "score"])
    parser.add_argument("check", choices=sorted(THRESHOLD_SOURCE))
    parser.add_argument("--split", default="test", choices=["val", "test"])
    # the sheets are dataset images: by default outside the project, which must never hold them
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "photo-station-review-sheets",
                        help="folder for the contact sheets (default: in the system temp folder)")
    parser.add_argument("--tile", type=int, default=128, help="side of one face on the sheets, px (earrings: 256)")
    args = parser.parse_args()
    if args.action == "sheet":
        sheet(args.check, args.split, args.out, args.tile)
    else:
        score(args.check, args.split)


if __name__ == "__main__":
    main()
