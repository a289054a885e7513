"""Trains a region model on the ImageNet-trained MobileNetV2 trunk of training/pretrained.py (fine-tuned).

Same regions, labels, split, augmentation and multiple-instance rule as training/train_region.py; only the
network differs, so evaluate.py treats each (region, size) as a family of its own and val decides its weight.
Run, e.g.: .venv/bin/python -m training.train_pretrained --task earrings --size 96 96 --name earrings_mnv2
"""

from __future__ import annotations

from station.compliance.learned import MOUTH_SIZE
from training.nets import TrunkNet
from training.pretrained import mobilenet_trunk
from training.train_region import RegionTask, train_and_export
from training.training import training_args

TASKS = {
    "earrings": RegionTask(("earrings",), "ears", (96, 96), ("Wearing_Earrings",)),
    "necklace": RegionTask(("necklace",), "neck", (192, 64), ("Wearing_Necklace",)),
    "jaw": RegionTask(("earrings", "necklace"), "jaw", (192, 96), ("Wearing_Earrings", "Wearing_Necklace")),
    "face": RegionTask(("earrings", "necklace"), "face", (128, 128), ("Wearing_Earrings", "Wearing_Necklace")),
    "hat": RegionTask(("hat",), "face", (128, 128), ("Wearing_Hat",)),
    # CelebA's Bangs marks any fringe, also one that ends above the brows; the CHSI rule is about the brows, which
    # only the parsing masks show, so this learns from them alone
    "brows": RegionTask(("eyebrows_covered",), "brows", (240, 96), ()),
    # CHSI forbids teeth, not a smile: CelebA's Smiling also marks closed-lip smiles and Mouth_Slightly_Open parted lips
    # with no teeth (the mouth_open check's own rule), so the mouth crop learns the masks' teeth label alone, as the
    # check's blend and levels are chosen on it (GENKI-4K's smiles only measure)
    "teeth": RegionTask(("teeth",), "mouth", MOUTH_SIZE, ()),
}
UNTIL, FROZEN = "block_13_expand_relu", "block_6_project_BN"


def options(parser) -> None:
    parser.add_argument("--task", choices=sorted(TASKS), required=True)
    parser.add_argument("--size", type=int, nargs=2, metavar=("W", "H"), help="crop size (default: the task's)")
    parser.add_argument("--until", default=UNTIL, help=f"last trunk layer (default: {UNTIL})")
    parser.add_argument("--frozen", default=FROZEN, help=f"last layer kept as pretrained (default: {FROZEN})")
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--paste", type=float, default=0.0,
                        help="share of the train faces without earrings (hat, hidden brows) added again wearing "
                             "pasted ones (training/paste.py; tasks with an earrings, hat or brows check)")
    parser.add_argument("--kiosk", type=float, default=0.0,
                        help="share of the train faces replaced by their kiosk scenes on the blue backdrop "
                             "(training/kiosk_train.py)")
    parser.add_argument("--webcam", type=float, default=0.0,
                        help="share of the training crops seen through a poor webcam (training.training.webcam_view)")


def main() -> None:
    args = training_args(__doc__, epochs=10, name="", options=options)
    task = TASKS[args.task]
    trunk = mobilenet_trunk(args.until)
    net = TrunkNet(trunk, trunk.channels(), len(task.checks), args.frozen)
    extra = {"trunk": f"nsfwjs 4.3.0 MobileNetV2 to {args.until}", "frozen": args.frozen, "lr": args.lr}
    train_and_export(task, net, args, tuple(args.size or task.size), args.name or f"{args.task}_mnv2", extra,
                     lr=args.lr)


if __name__ == "__main__":
    main()
