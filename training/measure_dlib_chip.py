"""Measures where YuNet's five points fall in dlib's own 150x150 face chip (padding 0.25), the template
training/convert_dlib_resnet.py aligns to, and how close the rebuilt network's vectors come to dlib's own.

dlib's chip comes from its HOG detector and 5-point shape predictor (eye corners and the base of the nose: not
YuNet's points), so the mapping is measured, not assumed: an image of its own pixel coordinates is cut by dlib
exactly as the photo, which gives each chip's chip-to-image affine map; YuNet's points of the same face are
mapped into the chip and averaged. Needs dlib (`pip install dlib-bin face_recognition_models`: Boost licence,
CC0 models; measurement only, the station does not use them).

  .venv/bin/python -m training.measure_dlib_chip --count 300 [--onnx dlib_resnet.onnx]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LFW = ROOT.parent / "shared" / "datasets" / "faces" / "lfw_identities"
SPLIT = ROOT / "training" / "splits" / "lfw_identities.csv"
SIZE, PADDING = 150, 0.25


def dev_images(count: int) -> list[Path]:
    sides = dict(csv.reader(SPLIT.open(encoding="utf-8")))
    with (LFW / "labels.csv").open(encoding="utf-8") as f:
        return [LFW / r["file"] for r in csv.DictReader(f) if sides.get(r["identity"]) == "dev"][:count]


def chip_to_image(dlib, rgb: np.ndarray, shape) -> np.ndarray:
    """dlib's chip pixel (column, row, 1) -> image (x, y) as a 2x3 affine, fitted on an image of its coordinates
    (bytes, so images up to 256 px: LFW's are 250)."""
    height, width = rgb.shape[:2]
    coords = np.zeros((height, width, 3), np.uint8)
    coords[..., 0], coords[..., 1], coords[..., 2] = np.arange(width)[None, :], np.arange(height)[:, None], 255
    cut = dlib.get_face_chip(coords, shape, size=SIZE, padding=PADDING).astype(np.float64)
    rows, cols = np.mgrid[0:SIZE, 0:SIZE]
    inside = cut[..., 2] == 255  # chip pixels whose neighbours are all inside the image
    design = np.stack([cols[inside], rows[inside], np.ones(inside.sum())], 1)
    solution, *_ = np.linalg.lstsq(design, cut[inside][:, :2], rcond=None)
    return solution.T


def main() -> None:
    import cv2
    import dlib
    import face_recognition_models as files

    from station.identity.embedder import FaceEmbedder
    from station.image_io import read_image
    from training.convert_dlib_resnet import chip

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300, help="the first COUNT dev images")
    parser.add_argument("--onnx", type=Path, default=None, help="the rebuilt network, to compare with dlib's")
    args = parser.parse_args()
    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(files.pose_predictor_five_point_model_location())
    reference = dlib.face_recognition_model_v1(files.face_recognition_model_location())
    finder = FaceEmbedder()
    session = None
    if args.onnx is not None:
        import onnxruntime as ort

        session = ort.InferenceSession(str(args.onnx), providers=["CPUExecutionProvider"])
    points, agree_dlib_chip, agree_yunet_chip = [], [], []
    for path in dev_images(args.count):
        bgr = read_image(path)
        rgb = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        found, faces = detector(rgb, 1), finder.faces(bgr)
        if not found or not faces:
            continue
        box = max(found, key=lambda r: r.width() * r.height())
        row = faces[0].row
        if (abs(row[0] + row[2] / 2 - box.center().x) > 0.25 * box.width()
                or abs(row[1] + row[3] / 2 - box.center().y) > 0.35 * box.height()):
            continue  # not the same face
        shape = predictor(rgb, box)
        to_image = np.vstack([chip_to_image(dlib, rgb, shape), [0, 0, 1]])
        landmarks = np.hstack([row[4:14].reshape(5, 2), np.ones((5, 1))])
        points.append((np.linalg.inv(to_image) @ landmarks.T).T[:, :2])
        if session is not None:
            dlib_chip = dlib.get_face_chip(rgb, shape, size=SIZE, padding=PADDING)
            theirs = np.array(reference.compute_face_descriptor(dlib_chip))
            for view, agree in ((dlib_chip, agree_dlib_chip), (chip(bgr, row[4:14].reshape(5, 2)), agree_yunet_chip)):
                ours = session.run(None, {"rgb": view.transpose(2, 0, 1)[None].astype(np.float32)})[0][0]
                agree.append(float(ours @ theirs / np.linalg.norm(ours) / np.linalg.norm(theirs)))
    points = np.array(points)
    print(f"{len(points)} faces found by both; YuNet's points in dlib's {SIZE}x{SIZE} chip (x, y), mean and spread:")
    for mean, spread in zip(points.mean(0), points.std(0)):
        print(f"  ({mean[0]:7.2f}, {mean[1]:7.2f})  +- ({spread[0]:.2f}, {spread[1]:.2f})")
    for name, agree in (("dlib's own chip", agree_dlib_chip), ("the YuNet-aligned chip", agree_yunet_chip)):
        if agree:
            print(f"cosine of the ONNX vector on {name} with dlib's own vector: min {min(agree):.4f}, "
                  f"5th percentile {np.percentile(agree, 5):.4f}, median {np.median(agree):.4f}")


if __name__ == "__main__":
    main()
