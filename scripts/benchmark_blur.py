"""The blur check against a Laplacian variance on the face (issue 20: "a blur measure at least as good as a Laplacian
variance on the face", the peer BQAT's measure), on mild blur a webcam or a phone photo has.

CelebA's `Blurry` label cannot judge them here: the 6,000 celebahq faces hold 20 blurry ones (docs/compliance.md).
Instead the celebahq test portraits, as copies the size of CelebA's aligned faces (178x218 JPEG, where the issue
measured blur) and at their own 256 px, are the sharp images, and each is blurred four ways, the blurred images:
a Gaussian defocus of sigma 1.0 and 1.5 px, a 7 px motion blur at a random angle, and half the resolution (shrunk
and enlarged again, as an upscaled phone photo). Both measures read the same faces: the station's through
`photo-station check`'s own code (check_all: its `blur` score), the Laplacian's as BQAT takes it, the variance of
cv2.Laplacian on the grey face box (the face mesh's points, from the same analysis) at the image's own resolution.
Prints, per blur and size, the AUC of each measure (blurred against sharp). Nothing is chosen from test's figures:
a measure or a limit is compared on `--split val` (celebahq val portraits), and test is run once for what ships.

  .venv/bin/python scripts/benchmark_blur.py [--split val|test] [--limit 300]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.adapters.cli.check import check_all, reported  # noqa: E402
from station.compliance import Analysis, Policy  # noqa: E402
from station.compliance.standing import Standing  # noqa: E402
from training.datasets import FACES_DIR, celeba_sized, load_split  # noqa: E402
from training.training import roc_auc  # noqa: E402

MOTION = 7  # px


def motion_kernel(length: int, angle: float) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    turn = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, turn, (length, length))
    return kernel / kernel.sum()


def blurred(image: np.ndarray, how: str, rng: np.random.Generator) -> np.ndarray:
    if how.startswith("gaussian"):
        return cv2.GaussianBlur(image, (0, 0), float(how.split()[1]))
    if how == "motion":
        return cv2.filter2D(image, -1, motion_kernel(MOTION, rng.uniform(0, 180)))
    height, width = image.shape[:2]
    half = cv2.resize(image, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    return cv2.resize(half, (width, height), interpolation=cv2.INTER_LINEAR)


BLURS = ("gaussian 1.0", "gaussian 1.5", "motion", "half resolution")


def laplacian_variance(image: np.ndarray, points: np.ndarray) -> float:
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    x0, y0 = np.maximum(np.floor(points[:, :2].min(axis=0)).astype(int), 0)
    x1, y1 = np.ceil(points[:, :2].max(axis=0)).astype(int)
    return float(cv2.Laplacian(grey[y0:y1, x0:x1], cv2.CV_64F).var())


def measured(paths: list[Path], policy: Policy) -> dict[str, tuple[float, float]]:
    """Per image stem: (the station's blur score, minus the Laplacian variance): both higher when blurrier. A photo
    measured turned is read turned by both, as check reports it."""
    out = {}
    for path, found in check_all([str(p) for p in paths], policy, workers=2):
        outcome = reported(found)
        if isinstance(outcome, Analysis) and outcome.face is not None and "blur" in outcome.checks:
            image = found.image if isinstance(found, Standing) else cv2.imread(str(path))
            out[Path(path).name] = (outcome.checks["blur"].score, -laplacian_variance(image, outcome.face.points))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("val", "test"), default="test",
                        help="celebahq portraits of this split: val to compare measures, test measured once")
    parser.add_argument("--limit", type=int, default=300, help="celebahq portraits (default 300)")
    args = parser.parse_args()
    files = [FACES_DIR / "celebahq" / f for f in load_split("celebahq")[args.split][: args.limit]]
    policy = Policy.load()
    rng = np.random.default_rng(20261207)
    print(f"{len(files)} celebahq {args.split} portraits; AUC of blurred against sharp (1.0: every blurred image reads "
          "blurrier than every sharp one)\n")
    print("| size | blur | station's blur check | Laplacian variance on the face |")
    print("| --- | --- | --- | --- |")
    pooled: dict[str, list] = {how: [] for how in BLURS}  # both sizes together: one threshold must serve every size
    with tempfile.TemporaryDirectory(prefix="blur-") as scratch:
        for size in ("178x218", "256x256"):
            folder = Path(scratch) / size
            folder.mkdir()
            sharp = celeba_sized(files, folder) if size == "178x218" else files
            paths = list(sharp)
            for how in BLURS:
                for image_path in sharp:
                    copy = folder / f"{Path(image_path).stem}_{how.replace(' ', '_')}.png"
                    cv2.imwrite(str(copy), blurred(cv2.imread(str(image_path)), how, rng))
                    paths.append(copy)
            scores = measured(paths, policy)
            base = {Path(p).stem: scores.get(Path(p).name) for p in sharp}
            for how in BLURS:
                pairs = [(base[Path(p).stem], scores.get(f"{Path(p).stem}_{how.replace(' ', '_')}.png")) for p in sharp]
                pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
                pooled[how] += pairs
                print(f"| {size} | {how} ({len(pairs)} faces) | {row(pairs)} |", flush=True)
    for how in BLURS:
        print(f"| both sizes | {how} ({len(pooled[how])} faces) | {row(pooled[how])} |")


def row(pairs: list[tuple[tuple[float, float], tuple[float, float]]]) -> str:
    """The two measures' AUCs, blurred (the pairs' second) against sharp (their first)."""
    labels = np.array([0] * len(pairs) + [1] * len(pairs))
    return " | ".join(f"{roc_auc(labels, np.array([a[k] for a, _ in pairs] + [b[k] for _, b in pairs])):.3f}"
                      for k in (0, 1))


if __name__ == "__main__":
    main()
