"""The CHSI JPEG: 24-bit colour, 300 dpi JFIF, no EXIF/ICC/comments, 20-40 KB.

Pillow writes exactly SOI, APP0 (JFIF with the density), DQT, SOF, DHT, SOS when given
no exif/icc: nothing about the camera or the station leaks into the file. The quality is
binary-searched: the highest quality whose file is still within the size limit.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from station.image_io import as_bgr
from station.chsi.spec import SPEC, ChsiSpec

# Chroma subsampling tried in order: 4:2:0 is what viewers expect; 4:4:4 adds bytes for
# very smooth pictures that would otherwise fall below the minimum size.
SUBSAMPLINGS = (2, 0)


@dataclass(frozen=True)
class EncodedJpeg:
    data: bytes
    quality: int
    subsampling: int


def encode_jpeg(bgr: np.ndarray, quality: int, subsampling: int, spec: ChsiSpec = SPEC) -> bytes:
    rgb = cv2.cvtColor(as_bgr(bgr), cv2.COLOR_BGR2RGB)
    buffer = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(
        buffer, "JPEG", quality=quality, subsampling=subsampling, dpi=(spec.dpi, spec.dpi), optimize=True
    )
    return buffer.getvalue()


def encode_chsi_jpeg(bgr: np.ndarray, spec: ChsiSpec = SPEC) -> EncodedJpeg | None:
    """Highest quality (>= the spec's minimum) landing inside the byte range; None if none does."""
    for subsampling in SUBSAMPLINGS:
        low, high = spec.min_jpeg_quality, spec.max_jpeg_quality
        best: EncodedJpeg | None = None
        while low <= high:
            quality = (low + high) // 2
            data = encode_jpeg(bgr, quality, subsampling, spec)
            if len(data) <= spec.max_bytes:
                best = EncodedJpeg(data, quality, subsampling)
                low = quality + 1
            else:
                high = quality - 1
        if best is not None and len(best.data) >= spec.min_bytes:
            return best
        if best is None:
            return None  # too detailed even at the lowest quality allowed: more chroma would not help
    return None

