"""The compliance checks that geometry cannot answer, scored by small models this project trains.

Three ONNX models live in models/: `face_attributes.onnx` scores a face crop for glasses, hats,
earrings, necklaces, covered ears and brows, an open mouth and showing teeth; `eye_state.onnx`
scores each eye crop for being closed; `earrings.onnx` looks closer at the ear lobes. Every crop
is cut by the alignment below from the face mesh landmarks, and the training scripts
(models/train_*.py) cut their crops with this very code, so a 256x256 CelebA-HQ portrait and a
1280x720 kiosk frame look alike to the models. Each model card (models/*.md) has its figures.
"""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass

import cv2
import numpy as np

import station
from station.chsi.image_io import as_bgr
from station.face import Face

# Face mesh landmark ids: iris centres (image-left eye first), inner lips, eye corners.
IRIS_IMAGE_LEFT, IRIS_IMAGE_RIGHT = 468, 473
LIP_INNER_TOP, LIP_INNER_BOTTOM = 13, 14
EYE_CORNERS = ((33, 133), (362, 263))  # (outer, inner) of the image-left eye, (inner, outer) of the image-right eye

# Where the eyes and mouth centre land in the face crop, as fractions of its side. The framing
# matches CelebA-HQ's (measured on its faces): hair top, ears and the top of the chest are in view.
FACE_TEMPLATE = np.array([[0.378, 0.477], [0.626, 0.477], [0.500, 0.750]], np.float32)
FACE_SIZE = 112
# Eye corners land here in the eye crop; the image-right eye is mirrored so both look like one eye.
EYE_TEMPLATE = np.array([[0.15, 0.55], [0.85, 0.55]], np.float32)
EYE_SIZE = 32
# Earring crops: a square of EAR_SIDE (in face-crop units) beside each jaw-line point under the ear, the
# image-right one mirrored; in the face crop's frame, offset outward and down from that point.
JAW_UNDER_EAR = (132, 361)
EAR_SIDE, EAR_OFFSET = 0.42, (-0.07, 0.0)
EAR_SIZE = 48

FACE_MODEL = "face_attributes.onnx"
EYE_MODEL = "eye_state.onnx"
EAR_MODEL = "earrings.onnx"

# Outputs of the face model that are check ids; the other (smile) only helps training.
FACE_CHECKS = ("glasses", "hat", "earrings", "necklace", "ears_covered", "eyebrows_covered", "mouth_open", "teeth")
# `earrings` blends the face model's head with the ear-crop model; the weight was chosen on "val".
EAR_MODEL_WEIGHT = 0.5


def similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """2x3 least-squares similarity (rotation, uniform scale, shift) taking src points onto dst (Umeyama)."""
    src = src.astype(np.float64)
    dst = dst.astype(np.float64)
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    var = (src_c**2).sum()
    if var < 1e-9:
        raise ValueError("degenerate landmarks")
    a = (src_c * dst_c).sum() / var
    b = (src_c[:, 0] * dst_c[:, 1] - src_c[:, 1] * dst_c[:, 0]).sum() / var
    rot = np.array([[a, -b], [b, a]])
    shift = dst_mean - rot @ src_mean
    return np.hstack([rot, shift[:, None]]).astype(np.float32)


def face_transform(points: np.ndarray, size: int = FACE_SIZE) -> np.ndarray:
    """Frame -> face crop transform from the iris centres and the mouth centre."""
    mouth = (points[LIP_INNER_TOP, :2] + points[LIP_INNER_BOTTOM, :2]) / 2
    src = np.stack([points[IRIS_IMAGE_LEFT, :2], points[IRIS_IMAGE_RIGHT, :2], mouth])
    return similarity(src, FACE_TEMPLATE * size)


def eye_transforms(points: np.ndarray, size: int = EYE_SIZE) -> list[np.ndarray]:
    """Frame -> eye crop transforms, image-left eye then image-right eye mirrored (outer corner left)."""
    left = similarity(points[list(EYE_CORNERS[0]), :2], EYE_TEMPLATE * size)
    right = similarity(points[list(EYE_CORNERS[1]), :2], EYE_TEMPLATE * size)
    flip = np.array([[-1, 0, size], [0, 1, 0], [0, 0, 1]], np.float32)
    return [left, (flip @ np.vstack([right, [0, 0, 1]]))[:2]]


def ear_transforms(points: np.ndarray, size: int = EAR_SIZE) -> list[np.ndarray]:
    """Frame -> earring crop transforms, image-left side then image-right side mirrored."""
    to_face = np.vstack([face_transform(points, 1), [0, 0, 1]]).astype(np.float64)
    transforms = []
    for point, side in zip(JAW_UNDER_EAR, (1, -1)):
        x, y, _ = to_face @ [*points[point, :2], 1]
        cx, cy = x + side * EAR_OFFSET[0], y + EAR_OFFSET[1]
        scale = size / EAR_SIDE
        crop = np.array([[side * scale, 0, size / 2 - side * scale * cx], [0, scale, size / 2 - scale * cy], [0, 0, 1]])
        transforms.append((crop @ to_face)[:2].astype(np.float32))
    return transforms


def warp(bgr: np.ndarray, matrix: np.ndarray, size: int) -> np.ndarray:
    """The size x size crop under `matrix`, zero outside the frame.

    Only the region the crop needs is touched, and a big downscale first goes through an area
    resize, so a small crop from a large frame is as smooth as one from a small portrait.
    """
    bgr = as_bgr(bgr)
    inverse = cv2.invertAffineTransform(matrix)
    corners = np.array([[0, 0, 1], [size, 0, 1], [0, size, 1], [size, size, 1]], np.float32) @ inverse.T
    height, width = bgr.shape[:2]
    x0, y0 = np.floor(corners.min(axis=0)).astype(int) - 1
    x1, y1 = np.ceil(corners.max(axis=0)).astype(int) + 1
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, width), min(y1, height)
    if x1 <= x0 or y1 <= y0:
        return np.zeros((size, size, 3), np.uint8)
    roi = bgr[y0:y1, x0:x1]
    m = matrix.astype(np.float64).copy()
    m[:, 2] += m[:, :2] @ np.array([x0, y0], np.float64)
    scale = float(np.sqrt(abs(np.linalg.det(m[:, :2]))))
    if scale < 0.5:
        factor = 2 * scale  # leave the last 2x to the bilinear warp
        roi_w, roi_h = max(1, round(roi.shape[1] * factor)), max(1, round(roi.shape[0] * factor))
        fx, fy = roi_w / roi.shape[1], roi_h / roi.shape[0]
        roi = cv2.resize(roi, (roi_w, roi_h), interpolation=cv2.INTER_AREA)
        m[:, 0] /= fx
        m[:, 1] /= fy
    return cv2.warpAffine(roi, m, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def to_input(crops: list[np.ndarray]) -> np.ndarray:
    """uint8 HxWx3 BGR crops -> float32 NCHW in [0, 1], the models' input."""
    return np.stack(crops).astype(np.float32).transpose(0, 3, 1, 2) / 255.0


@dataclass(frozen=True)
class ModelInfo:
    """What a model's sidecar JSON says: its output names and the size of its square input."""

    outputs: tuple[str, ...]
    size: int

    @classmethod
    def read(cls, onnx_path: pathlib.Path) -> "ModelInfo":
        doc = json.loads(onnx_path.with_suffix(".json").read_text(encoding="utf-8"))
        return cls(outputs=tuple(doc["outputs"]), size=int(doc["size"]))


def _session(path: pathlib.Path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class LearnedChecks:
    """Loads the shipped ONNX models once; scores one face of a frame per call."""

    check_ids: tuple[str, ...] = (*FACE_CHECKS, "eyes_closed")

    def __init__(self, models_dir: pathlib.Path) -> None:
        face_path, eye_path = models_dir / FACE_MODEL, models_dir / EYE_MODEL
        self._face = _session(face_path)
        self._face_info = ModelInfo.read(face_path)
        self._eye = _session(eye_path)
        self._eye_info = ModelInfo.read(eye_path)
        ear_path = models_dir / EAR_MODEL
        self._ear = _session(ear_path)
        self._ear_info = ModelInfo.read(ear_path)

    @classmethod
    def load(cls, models_dir: pathlib.Path = station.MODELS_DIR) -> "LearnedChecks":
        return cls(models_dir)

    def face_outputs(self, bgr: np.ndarray, face: Face) -> dict[str, float]:
        """Every output of the face model (check ids and helper heads) for this face."""
        size = self._face_info.size
        crop = warp(bgr, face_transform(face.points, size), size)
        probs = self._face.run(None, {"crop": to_input([crop])})[0][0]
        return {name: float(p) for name, p in zip(self._face_info.outputs, probs)}

    def eyes_closed(self, bgr: np.ndarray, face: Face) -> float:
        """P(eyes closed): the mean of both eyes, so one squint does not fail a photo alone."""
        size = self._eye_info.size
        crops = [warp(bgr, m, size) for m in eye_transforms(face.points, size)]
        probs = self._eye.run(None, {"crop": to_input(crops)})[0][:, 0]
        return float(probs.mean())

    def ear_earrings(self, bgr: np.ndarray, face: Face) -> float:
        """P(earring) from the crops beside the ear lobes: the larger of the two sides."""
        size = self._ear_info.size
        crops = [warp(bgr, m, size) for m in ear_transforms(face.points, size)]
        return float(self._ear.run(None, {"crop": to_input(crops)})[0].max())

    def scores(self, bgr: np.ndarray, face: Face) -> dict[str, float]:
        """P(rule broken) in [0, 1] per check id in `check_ids`."""
        outputs = self.face_outputs(bgr, face)
        result = {check: outputs[check] for check in FACE_CHECKS}
        result["earrings"] = (EAR_MODEL_WEIGHT * self.ear_earrings(bgr, face)
                              + (1 - EAR_MODEL_WEIGHT) * outputs["earrings"])
        result["eyes_closed"] = self.eyes_closed(bgr, face)
        return result
