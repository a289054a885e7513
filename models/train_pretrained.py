"""Trains a region model on the ImageNet-trained MobileNetV2 trunk of models/pretrained.py (fine-tuned).

Same regions, labels, split, augmentation and multiple-instance rule as models/train_region.py; only the
network differs, so evaluate.py treats each (region, size) as a family of its own and val decides its weight.
Run, e.g.: .venv/bin/python -m models.train_pretrained --task earrings --size 96 96 --name earrings_mnv2
"""

from __future__ import annotations

import json
import time

import numpy as np

from models.nets import Probabilities, TrunkNet
from models.pretrained import mobilenet_trunk
from models.train_region import RegionTask, load_part
from models.training import Sample, augmented_crop, export_onnx, fit, training_args
from station.compliance.learned import REGIONS

TASKS = {
    "earrings": RegionTask(("earrings",), "ears", (96, 96), ("Wearing_Earrings",), widths=()),
    "necklace": RegionTask(("necklace",), "neck", (192, 64), ("Wearing_Necklace",), widths=()),
    "jaw": RegionTask(("earrings", "necklace"), "jaw", (192, 96), ("Wearing_Earrings", "Wearing_Necklace"),
                      widths=()),
    "face": RegionTask(("earrings", "necklace"), "face", (128, 128), ("Wearing_Earrings", "Wearing_Necklace"),
                       widths=()),
}
UNTIL, FROZEN = "block_13_expand_relu", "block_6_project_BN"


def options(parser) -> None:
    parser.add_argument("--task", choices=sorted(TASKS), required=True)
    parser.add_argument("--size", type=int, nargs=2, metavar=("W", "H"), help="crop size (default: the task's)")
    parser.add_argument("--until", default=UNTIL, help=f"last trunk layer (default: {UNTIL})")
    parser.add_argument("--frozen", default=FROZEN, help=f"last layer kept as pretrained (default: {FROZEN})")
    parser.add_argument("--lr", type=float, default=5e-4)


def main() -> None:
    args = training_args(__doc__, epochs=10, name="", options=options)
    task = TASKS[args.task]
    size = tuple(args.size or task.size)
    name = args.name or f"{args.task}_mnv2"
    start = time.time()
    train, val = load_part(task, "train"), load_part(task, "val")
    print(f"train {len(train)} faces, val {len(val)}", flush=True)
    transforms = REGIONS[task.region].transforms

    def crops(sample: Sample, rng: np.random.Generator | None) -> np.ndarray:
        return np.stack([augmented_crop(sample, matrix, size, rng, task.strength, args.backdrop)
                         for matrix in transforms(sample.points, size)])

    trunk = mobilenet_trunk(args.until)
    net = TrunkNet(trunk, trunk.channels(), len(task.checks), args.frozen)
    shipped_size = size[0] if size[0] == size[1] else list(size)

    def export(report: dict) -> None:
        export_onnx(Probabilities(net), args.out / f"{name}.onnx", shipped_size, task.region, list(task.checks),
                    {"val": report, "epochs": args.epochs, "trunk": f"nsfwjs 4.3.0 MobileNetV2 to {args.until}",
                     "frozen": args.frozen, "lr": args.lr, "seed": args.seed, "backdrop": args.backdrop})

    report = fit(net, train, val, crops, lambda s: s.labels, list(task.checks), args.epochs, lr=args.lr,
                 seed=args.seed, on_best=export)
    print(json.dumps(report, indent=1))
    print(f"done in {(time.time() - start) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
