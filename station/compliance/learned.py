"""The compliance checks that geometry cannot answer, scored by small models this project trains.

Every model in models/ scores one region of the face, cut from the face mesh landmarks: `face`
(the whole head and the top of the chest, CelebA-HQ's framing), `eyes` (each eye), `ears` (beside
each ear lobe), `neck` (chin to collar), `mouth` (the lips) and the bands of REGIONS. Its sidecar
JSON names its outputs, its input size and its region. `models/manifest.json` says which model
outputs make each check's score and with what weights (chosen on the "val" split by
training/evaluate.py): a check may average several models.
The training scripts (training/train_*.py) cut their crops with this very code, so a 256x256
CelebA-HQ portrait and a 1280x720 kiosk frame look alike to the models. Each model card
(models/<family>/*.md) has its figures.
"""

from __future__ import annotations

import functools
import json
import logging
import pathlib
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from station.compliance.onnx_merge import merge, output_name
from station.compliance.onnx_session import one_thread_session
from station.errors import load_model
from station.image_io import as_bgr
from station.face import Face
from models import MANIFEST, MODELS_DIR, model_path

if TYPE_CHECKING:
    import onnxruntime

log = logging.getLogger(__name__)

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
# image-right one mirrored; in the face crop's frame, offset outward and down from that point to the median
# centre of the celebamaskhq train earrings (0.02 outward, 0.07 down), a little lower so long drops fit.
JAW_UNDER_EAR = (132, 361)
EAR_SIDE, EAR_OFFSET = 0.42, (-0.02, 0.08)
EAR_SIZE = 48
# Ear box: a square of EAR_BOX_SIDE around each whole ear with the hair about it, the image-right one mirrored,
# for "hair over the ears". The visible ear pixels of the celebamaskhq train faces centre 0.027 outward from and
# 0.01-0.02 below the face-oval landmark at ear height (234 / 454), 94 % of them within 0.08 above and 0.10
# below it; the box sits 0.05 outward and 0.01 down, so it also takes in the hair beyond the ear.
EAR_HEIGHT_OVAL = (234, 454)
EAR_BOX_SIDE, EAR_BOX_OFFSET = 0.26, (-0.05, 0.01)
EAR_BOX_SIZE = 64
# Necklace crop, in face-crop units: chin to the crop's bottom edge, where the celebamaskhq necklace
# pixels lie (10th-90th percentile rows 0.79-0.97, columns 0.19-0.76). It stops at the face crop's
# bottom edge because the training portraits end there.
NECK_CENTRE, NECK_WIDTH = (0.5, 0.88), 0.72
NECK_SIZE = (96, 32)
# Brow band, in face-crop units: fringe to below the eyes, temple to temple, where glasses frames and
# a fringe over the brows lie; at 1.7 times the face crop's resolution, for thin and rimless frames.
BROW_CENTRE, BROW_WIDTH = (0.5, 0.47), 0.84
BROW_SIZE = (160, 64)
# Jaw band, in face-crop units: both ear lobes, the jaw and the neck in one crop (x 0-1, y 0.52-1.02), where
# 90 % of the celebamaskhq train earring pixels (x 0.09-0.91, y 0.55-0.98) and most necklace pixels lie. Unlike the
# ear crops it sees both sides at once, and the hair and collar around them.
JAW_BAND_CENTRE, JAW_BAND_WIDTH = (0.5, 0.77), 1.0
JAW_BAND_SIZE = (160, 80)
# Mouth crop, in face-crop units: the lips and the open mouth with a margin, nostrils to chin (x 0.26-0.74, y
# 0.61-0.89), where 98 % of the celebamaskhq train faces' lip and mouth pixels lie (per face, x 0.34-0.66 and
# y 0.67-0.83 at the 1st / 99th percentile); at about twice the face crop's resolution, for teeth.
MOUTH_CENTRE, MOUTH_WIDTH = (0.5, 0.75), 0.48
MOUTH_SIZE = (112, 64)

Size = tuple[int, int]  # width, height of a model's input


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


def region_transform(to_face: np.ndarray, centre: tuple[float, float], width: float, size: Size,
                     mirror: bool = False) -> np.ndarray:
    """Frame -> crop transform for a box of `width` face-crop units centred at `centre` (face-crop units);
    `to_face` is face_transform(points, 1)."""
    scale = size[0] / width
    sx = -scale if mirror else scale
    crop = np.array([[sx, 0, size[0] / 2 - sx * centre[0]], [0, scale, size[1] / 2 - scale * centre[1]], [0, 0, 1]])
    return (crop @ np.vstack([to_face, [0, 0, 1]]).astype(np.float64))[:2].astype(np.float32)


def side_transforms(points: np.ndarray, anchors: tuple[int, int], offset: tuple[float, float], width: float,
                    size: int) -> list[np.ndarray]:
    """Frame -> a square crop beside each of two mirrored landmarks (image-left one first), `offset` from it in
    face-crop units (negative x = outward); the image-right crop is mirrored so both look like the left."""
    to_face = face_transform(points, 1)
    transforms = []
    for point, side in zip(anchors, (1, -1)):
        x, y = to_face.astype(np.float64) @ [*points[point, :2], 1]
        transforms.append(region_transform(to_face, (x + side * offset[0], y + offset[1]), width, (size, size),
                                           mirror=side < 0))
    return transforms


def ear_transforms(points: np.ndarray, size: int = EAR_SIZE) -> list[np.ndarray]:
    """Frame -> earring crop transforms, image-left side then image-right side mirrored."""
    return side_transforms(points, JAW_UNDER_EAR, EAR_OFFSET, EAR_SIDE, size)


def ear_box_transforms(points: np.ndarray, size: int = EAR_BOX_SIZE) -> list[np.ndarray]:
    """Frame -> whole-ear crop transforms, image-left side then image-right side mirrored."""
    return side_transforms(points, EAR_HEIGHT_OVAL, EAR_BOX_OFFSET, EAR_BOX_SIDE, size)


def neck_transform(points: np.ndarray, size: Size = NECK_SIZE) -> np.ndarray:
    """Frame -> necklace crop transform (chin to collar)."""
    return region_transform(face_transform(points, 1), NECK_CENTRE, NECK_WIDTH, size)


def brow_transform(points: np.ndarray, size: Size = BROW_SIZE) -> np.ndarray:
    """Frame -> brow band crop transform (fringe to below the eyes)."""
    return region_transform(face_transform(points, 1), BROW_CENTRE, BROW_WIDTH, size)


def jaw_band_transform(points: np.ndarray, size: Size = JAW_BAND_SIZE) -> np.ndarray:
    """Frame -> jaw band crop transform (ear lobes to collar)."""
    return region_transform(face_transform(points, 1), JAW_BAND_CENTRE, JAW_BAND_WIDTH, size)


def mouth_transform(points: np.ndarray, size: Size = MOUTH_SIZE) -> np.ndarray:
    """Frame -> mouth crop transform (lips, teeth and the open mouth)."""
    return region_transform(face_transform(points, 1), MOUTH_CENTRE, MOUTH_WIDTH, size)


def warp(bgr: np.ndarray, matrix: np.ndarray, size: int | Size) -> np.ndarray:
    """The crop of `size` (a side, or width and height) under `matrix`, zero outside the frame.

    Only the region the crop needs is touched, and a big downscale first goes through an area
    resize, so a small crop from a large frame is as smooth as one from a small portrait.
    """
    bgr = as_bgr(bgr)
    out_w, out_h = (size, size) if isinstance(size, int) else size
    inverse = cv2.invertAffineTransform(matrix)
    corners = np.array([[0, 0, 1], [out_w, 0, 1], [0, out_h, 1], [out_w, out_h, 1]], np.float32) @ inverse.T
    height, width = bgr.shape[:2]
    x0, y0 = np.floor(corners.min(axis=0)).astype(int) - 1
    x1, y1 = np.ceil(corners.max(axis=0)).astype(int) + 1
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, width), min(y1, height)
    if x1 <= x0 or y1 <= y0:
        return np.zeros((out_h, out_w, 3), np.uint8)
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
    return cv2.warpAffine(roi, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=0)


@dataclass(frozen=True)
class Region:
    """A part of the face a model looks at: its crops (one or a mirrored pair) and how their scores combine."""

    transforms: Callable[[np.ndarray, Size], list[np.ndarray]]
    combine: Callable[[np.ndarray], np.ndarray]  # (crops, outputs) -> (outputs,)
    crops: int  # how many crops `transforms` gives
    # A left-right symmetric crop is also scored mirrored and the two scores averaged: training mirrored
    # half its crops, so both are views the model knows, and their mean is steadier (face_attributes.onnx
    # on celebahq test at its val threshold: hat balanced accuracy 95.6 -> 96.7 %). Eye and ear crops
    # are already mirrored to one side: not these.
    symmetric: bool = False


REGIONS: dict[str, Region] = {
    "face": Region(lambda points, size: [face_transform(points, size[0])], lambda p: p.max(axis=0), 1, True),
    # both eyes must look closed: one squint does not fail a photo alone
    "eyes": Region(lambda points, size: eye_transforms(points, size[0]), lambda p: p.mean(axis=0), 2),
    # an earring on either side breaks the rule
    "ears": Region(lambda points, size: ear_transforms(points, size[0]), lambda p: p.max(axis=0), 2),
    # hair over either ear breaks the rule
    "ear_box": Region(lambda points, size: ear_box_transforms(points, size[0]), lambda p: p.max(axis=0), 2),
    "neck": Region(lambda points, size: [neck_transform(points, size)], lambda p: p.max(axis=0), 1, True),
    "brows": Region(lambda points, size: [brow_transform(points, size)], lambda p: p.max(axis=0), 1, True),
    "jaw": Region(lambda points, size: [jaw_band_transform(points, size)], lambda p: p.max(axis=0), 1, True),
    "mouth": Region(lambda points, size: [mouth_transform(points, size)], lambda p: p.max(axis=0), 1, True),
}


def region_crops(bgr: np.ndarray, points: np.ndarray, region: str, size: Size) -> list[np.ndarray]:
    """The crops a model of `region` sees for a face with these landmarks."""
    return [warp(bgr, m, size) for m in REGIONS[region].transforms(points, size)]


def to_input(crops: list[np.ndarray]) -> np.ndarray:
    """uint8 HxWx3 BGR crops -> float32 NCHW in [0, 1], the models' input. Laid out in NCHW order in memory, so
    onnxruntime reads it as it is: a transposed view would be copied again at every model's run (26 a face)."""
    return np.ascontiguousarray(np.stack(crops).transpose(0, 3, 1, 2), dtype=np.float32) / 255.0


def model_input(region: str, crops: list[np.ndarray]) -> np.ndarray:
    """What a model of `region` is given for one face's crops of it: their mirrored copies follow for a symmetric
    region. Made once per face for all the models of a region and size (six look at the 112 px face crop)."""
    if REGIONS[region].symmetric:
        crops = crops + [crop[:, ::-1] for crop in crops]
    return to_input(crops)


@dataclass(frozen=True)
class ModelInfo:
    """What a model's sidecar JSON says: its output names, its input size, the region it looks at and its
    multiply-adds per crop (written at export by training/model_cost.py)."""

    outputs: tuple[str, ...]
    size: Size
    region: str
    macs: int

    @classmethod
    def read(cls, onnx_path: pathlib.Path) -> "ModelInfo":
        doc = json.loads(onnx_path.with_suffix(".json").read_text(encoding="utf-8"))
        missing = sorted({"outputs", "size", "region", "macs"} - set(doc))
        if missing:  # e.g. a model exported before sidecars recorded multiply-adds
            raise ValueError(f"{onnx_path.with_suffix('.json').name} lacks {', '.join(missing)}: "
                             "export the model again, or run python -m training.model_cost")
        size = doc["size"]
        size = (size, size) if isinstance(size, int) else (int(size[0]), int(size[1]))
        if doc["region"] not in REGIONS:
            raise ValueError(f"{onnx_path.name}: unknown region {doc['region']!r}")
        return cls(outputs=tuple(doc["outputs"]), size=size, region=doc["region"], macs=int(doc["macs"]))


class RegionModel:
    """One ONNX model and the region it scores."""

    def __init__(self, path: pathlib.Path) -> None:
        self.info = ModelInfo.read(path)
        self._session = one_thread_session(path)
        self.output = self._session.get_outputs()[0].name  # the probabilities

    @property
    def cost(self) -> int:
        """Multiply-adds per face, which its run time follows far better than its input pixels do: the
        pretrained trunks do several times the small networks' work per pixel."""
        region = REGIONS[self.info.region]
        return self.info.macs * region.crops * (2 if region.symmetric else 1)

    def outputs(self, crops: list[np.ndarray]) -> dict[str, float]:
        """Its outputs for one face, from that face's crops of its region (region_crops)."""
        return self.scored(model_input(self.info.region, crops))

    def scored(self, batch: np.ndarray) -> dict[str, float]:
        """Its outputs for one face, from model_input of that face's crops."""
        return self.named(self._session.run([self.output], {"crop": batch})[0])

    def named(self, probs: np.ndarray) -> dict[str, float]:
        """Its outputs for one face from its probabilities on model_input of that face's crops."""
        region = REGIONS[self.info.region]
        if region.symmetric:
            probs = (probs[: len(probs) // 2] + probs[len(probs) // 2 :]) / 2
        return dict(zip(self.info.outputs, region.combine(probs).tolist()))


class JointRun:
    """The models that read one crop (one region at one size), run at once for a whole face: as one graph when there
    are several (onnx_merge: their common layers, such as the makeup head's copy of face_attributes' trunk or the
    brow MobileNetV2s' frozen half, run once), else one by one. The outputs are those of each model's own run."""

    def __init__(self, models: dict[str, RegionModel], paths: dict[str, pathlib.Path]) -> None:
        self.models = models
        self._session = joint_session(tuple((name, paths[name]) for name in models)) if len(models) > 1 else None
        self._fetch = [output_name(name, model.output) for name, model in models.items()]

    @property
    def cost(self) -> int:
        return sum(model.cost for model in self.models.values())

    def outputs(self, batch: np.ndarray) -> dict[str, dict[str, float]]:
        """Every model's outputs for one face, from model_input of that face's crops: {model: {output: p}}."""
        if self._session is None:
            return {name: model.scored(batch) for name, model in self.models.items()}
        probs = self._session.run(self._fetch, {"crop": batch})
        return {name: model.named(p) for (name, model), p in zip(self.models.items(), probs)}


_JOIN_LOCK = threading.Lock()


@functools.lru_cache(maxsize=16)
def _joined(models: tuple[tuple[str, pathlib.Path], ...]) -> bytes | None:
    return merge(models)


def joint_session(models: tuple[tuple[str, pathlib.Path], ...]) -> onnxruntime.InferenceSession | None:
    """A session of these (name, file) models joined (onnx_merge.merge, made once a process: each check worker loads
    its own engine), or None when they cannot be joined and run one by one, as before: each has loaded on its own."""
    try:
        with _JOIN_LOCK:
            joined = _joined(models)
        return None if joined is None else one_thread_session(joined)
    except Exception as exc:  # onnxruntime's and protobuf's errors share no base class; a join costs speed, not checks
        log.warning("models %s run one by one: %s", ", ".join(name for name, _ in models), exc)
        return None


@dataclass(frozen=True)
class Blend:
    """Per check, the model outputs ("model/output") whose weighted sum is its score (weights sum to 1)."""

    checks: dict[str, dict[str, float]]

    @classmethod
    def read(cls, path: pathlib.Path) -> "Blend":
        doc = json.loads(path.read_text(encoding="utf-8"))
        return cls({check: {k: float(w) for k, w in weights.items()} for check, weights in doc["checks"].items()})

    @property
    def models(self) -> list[str]:
        return sorted({key.split("/")[0] for weights in self.checks.values() for key in weights})

    def scores(self, outputs: dict[str, dict[str, float]]) -> dict[str, float]:
        """{model: {output: p}} -> {check: score}."""
        result = {}
        for check, weights in self.checks.items():
            parts = [(w, outputs[key.split("/")[0]][key.split("/")[1]]) for key, w in weights.items()]
            result[check] = sum(w * p for w, p in parts) / sum(w for w, _ in parts)
        return result


class LearnedChecks:
    """Loads the shipped ONNX models once; scores one face of a frame per call."""

    def __init__(self, models_dir: pathlib.Path, blend: Blend) -> None:
        self.blend = blend
        paths = {name: model_path(name, models_dir) for name in blend.models}
        self.models = {name: load_model(path, RegionModel) for name, path in paths.items()}
        by_input: dict[tuple[str, Size], list[str]] = {}
        for name, model in self.models.items():
            by_input.setdefault((model.info.region, model.info.size), []).append(name)
        # a whole face's runs: the models of one crop together (a live turn runs its models one by one)
        self.joint = {key: JointRun({n: self.models[n] for n in names}, paths) for key, names in by_input.items()}
        self._pool: ThreadPoolExecutor | None = None  # the second thread for a whole face's models, made at first use

    @classmethod
    def load(cls, models_dir: pathlib.Path = MODELS_DIR) -> "LearnedChecks":
        return cls(models_dir, load_model(models_dir / MANIFEST, Blend.read))

    def outputs(self, bgr: np.ndarray, face: Face, models: Iterable[str] | None = None) -> dict[str, dict[str, float]]:
        """Every output of these models (default: all) for this face: {model: {output: p}}. All of them (a
        shutter's frame, a new face, `check`) run as JointRuns, in two halves of equal cost on two threads:
        onnxruntime lets go of the interpreter while it computes, so the second core shortens the shutter's wait."""
        names = list(self.models if models is None else models)
        inputs: dict[tuple[str, Size], np.ndarray] = {}  # models of one region and size share their input
        for name in names:
            info = self.models[name].info
            if (info.region, info.size) not in inputs:
                inputs[info.region, info.size] = model_input(info.region, region_crops(bgr, face.points, info.region,
                                                                                       info.size))
        if models is not None or len(names) < 2:
            return {n: self.models[n].scored(inputs[self.models[n].info.region, self.models[n].info.size])
                    for n in names}

        def run(part: list[tuple[str, Size]]) -> dict[str, dict[str, float]]:
            return {name: out for key in part for name, out in self.joint[key].outputs(inputs[key]).items()}

        first, second = self._halves(list(self.joint))
        other = self._helper().submit(run, second)
        return {**run(first), **other.result()}

    def _halves(self, keys: list[tuple[str, Size]]) -> tuple[list[tuple[str, Size]], list[tuple[str, Size]]]:
        """The joint runs in two lists of about equal cost (the costliest first, each to the lighter list)."""
        halves: tuple[list[tuple[str, Size]], list[tuple[str, Size]]] = ([], [])
        for key in sorted(keys, key=lambda k: -self.joint[k].cost):
            min(halves, key=lambda h: sum(self.joint[k].cost for k in h)).append(key)
        return halves

    def _helper(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="learned-models")
        return self._pool

    def live_groups(self) -> list[tuple[str, ...]]:
        """The models in turns, none costlier than the costliest model alone (largest first, each into the
        first turn it fits): a live preview runs one turn per frame, so every frame costs about the same."""
        budget = max(model.cost for model in self.models.values())
        groups: list[list[str]] = []
        for name in sorted(self.models, key=lambda n: (-self.models[n].cost, n)):
            cost = self.models[name].cost
            group = next((g for g in groups if sum(self.models[n].cost for n in g) + cost <= budget), None)
            if group is None:
                groups.append(group := [])
            group.append(name)
        return [tuple(g) for g in groups]

    def scores(self, bgr: np.ndarray, face: Face) -> dict[str, float]:
        """P(rule broken) in [0, 1] per check id of the blend (`blend.checks`)."""
        return self.blend.scores(self.outputs(bgr, face))
