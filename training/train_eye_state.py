"""Trains eye_state.onnx: P(eye closed) from one aligned eye crop (the image-right eye is mirrored).

Closed eyes: both eyes of every cew_closed face. Open eyes: both eyes of the celebahq, celebamaskhq and
genki4k faces (GENKI's small in-the-wild faces keep resolution from telling the classes apart; the
augmentation also blurs and shrinks crops of both classes). Threshold chosen on "val".
Run: .venv/bin/python -m training.train_eye_state [--epochs N]   (a few minutes on 2 CPU cores)
"""

from __future__ import annotations

import json
import time

import numpy as np
from training.nets import Probabilities, SmallNet
from training.training import Sample, augmented_crop, export_onnx, fit, load_samples, training_args
from station.compliance.learned import EYE_SIZE, eye_transforms

WIDTHS = (16, 32, 64)
OPEN_SOURCES = ("celebahq", "celebamaskhq", "genki4k")
OPEN_PER_SOURCE = 1400  # open faces per source in training; the closed ones are repeated to balance


def constant(value: float):
    def fill(file: str, image: np.ndarray, points: np.ndarray, labels: np.ndarray) -> None:
        labels[0] = value
    return fill


def eye_items(part: str, limit: int | None,
              with_person: bool) -> tuple[list[tuple[Sample, int]], list[tuple[Sample, int]]]:
    """(closed, open) lists of (sample, eye index)."""
    closed, _ = load_samples("cew_closed", part, constant(1.0), 1, with_person)
    opened: list[Sample] = []
    for dataset in OPEN_SOURCES:
        got, _ = load_samples(dataset, part, constant(0.0), 1, with_person)
        opened += got[:limit]
    as_items = lambda samples: [(s, eye) for s in samples for eye in (0, 1)]  # noqa: E731
    return as_items(closed), as_items(opened)


def main() -> None:
    args = training_args(__doc__, epochs=12, name="eye_state", backdrop=0.0)  # eyes show no backdrop
    start = time.time()
    closed, opened = eye_items("train", OPEN_PER_SOURCE, with_person=args.backdrop > 0)
    train = closed * max(1, round(len(opened) / len(closed))) + opened
    val_closed, val_opened = eye_items("val", None, with_person=False)
    val = val_closed + val_opened
    print(f"train {len(closed)} closed + {len(opened)} open eye crops; val {len(val_closed)} + {len(val_opened)}",
          flush=True)
    net = SmallNet(WIDTHS, 1, dropout=0.1)

    def eye_crop(item: tuple[Sample, int], rng: np.random.Generator | None) -> np.ndarray:
        sample, eye = item
        return augmented_crop(sample, eye_transforms(sample.points, EYE_SIZE)[eye], EYE_SIZE, rng,
                              backdrop=args.backdrop)

    def export(report: dict) -> None:
        export_onnx(Probabilities(net), args.out / f"{args.name}.onnx", EYE_SIZE, "eyes", ["eyes_closed"],
                    {"val": report, "epochs": args.epochs, "widths": list(WIDTHS), "seed": args.seed})

    print(json.dumps(fit(net, train, val, eye_crop, lambda item: item[0].labels, ["eyes_closed"], args.epochs,
                         seed=args.seed, on_best=export), indent=1))
    print(f"done in {(time.time() - start) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
