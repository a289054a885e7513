"""How well the hair top is found: selfie segmentation and the landmark ratio against CelebAMask-HQ masks.

Truth is the top row of skin/hair/hat in the parsing mask, in a band above the face centre;
images whose head touches the top edge have no truth and are skipped. Reads the shared
dataset in place (../shared/datasets/faces) and the recorded split in training/splits.

    .venv/bin/python scripts/measure_hair_top.py [--split train] [--count 200]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GLOG_minloglevel", "2")

from station.chsi.crop import hair_in_head_region  # noqa: E402
from station.chsi.face_geometry import FaceGeometry  # noqa: E402
from station.chsi.hair import HairTopFinder, hair_top_from_landmarks  # noqa: E402
from station.face.landmarks import FaceMesher  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "faces" / "celebamaskhq"
HEAD_CLASSES = [1, 13, 14]  # skin, hair, hat
PAD_TOP, PAD_SIDE = 200, 100  # room above the head, as a camera frame has


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="train", choices=["train", "val", "test"])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    split = json.loads((ROOT / "training" / "splits" / "celebamaskhq.json").read_text(encoding="utf-8"))
    names = split[args.split][: args.count]
    mesher, finder = FaceMesher(), HairTopFinder()
    ratios, seg_err, region_err, ratio_err, cut = [], [], [], [], 0
    for name in names:
        image = cv2.imread(str(DATA / name))
        mask = np.array(Image.open(DATA / "masks" / (Path(name).stem + ".png")))
        faces = mesher.detect(image) if image is not None else []
        if not faces:
            continue
        face = FaceGeometry.from_points(faces[0].points)
        mask = cv2.resize(mask, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_NEAREST)
        cx, band = int(face.centre_x), max(2, int(face.face_width * 0.2))
        head_rows = np.isin(mask[:, cx - band: cx + band], HEAD_CLASSES).any(axis=1)
        top = int(np.argmax(head_rows))
        if top <= 2:
            cut += 1
            continue
        ratios.append((face.forehead[1] - top) / face.face_height)
        padded = cv2.copyMakeBorder(image, PAD_TOP, 0, PAD_SIDE, PAD_SIDE, cv2.BORDER_CONSTANT, value=(219, 142, 67))
        shifted = FaceGeometry.from_points(faces[0].points + np.array([PAD_SIDE, PAD_TOP, 0], np.float32))
        found = finder.find(padded, shifted)
        if found.from_segmentation:
            seg_err.append(found.y - PAD_TOP - top)
        in_region = hair_in_head_region(finder, padded, shifted, np.eye(2, 3))
        if in_region.from_segmentation:
            region_err.append(in_region.y - PAD_TOP - top)
        ratio_err.append(hair_top_from_landmarks(face) - top)
    r, e = np.array(ratios), np.array(ratio_err)
    print(f"celebamaskhq {args.split}[:{args.count}]: {len(r)} measured, {cut} skipped (head cut by the edge)")
    if not len(r):
        raise SystemExit("no face measured (every head was cut by the image's edge): raise --count")
    print(f"hair top above forehead / face height: median {np.median(r):.3f}, p10 {np.percentile(r, 10):.3f}, "
          f"p90 {np.percentile(r, 90):.3f}")
    for label, errors in (("segmentation, whole frame", seg_err), ("segmentation, head region (the planner)", region_err)):
        s = np.array(errors)
        if not len(s):
            print(f"{label}: no answers, {len(r)} fell back")
            continue
        print(f"{label}: {len(s)} answers, {len(r) - len(s)} fell back; error px median {np.median(s):+.1f}, "
              f"mean abs {np.abs(s).mean():.1f}, p90 abs {np.percentile(np.abs(s), 90):.1f}")
    print(f"landmark ratio alone: mean abs error {np.abs(e).mean():.1f} px, p90 abs {np.percentile(np.abs(e), 90):.1f}")


if __name__ == "__main__":
    main()
