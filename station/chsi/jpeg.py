"""The CHSI JPEG: 24-bit colour, 300 dpi JFIF, no EXIF/ICC/comments, 20-40 KB.

Pillow writes exactly SOI, APP0 (JFIF with the density), DQT, SOF, DHT, SOS when given
no exif/icc: nothing about the camera or the station leaks into the file. The quality is
binary-searched: the highest quality whose file is still within the size limit. A grainy picture (a dim hall, a
webcam's gain turned up: noise of about 11 grey levels and more) fits no quality at or above the floor, so the
weakest noise reduction that lets it fit is made first, instead of refusing every shot of the day.
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
# Strengths of OpenCV's non-local means noise reduction (h, luma and colour) tried in turn, weakest first, on a photo
# too grainy for the byte limit at the lowest quality allowed: 5 quiets noise of 11-14 grey levels (the demo
# student's 480x640 photo), 12 about 20; 0.2-0.5 s each at 480x640. A picture that does not fit even then is refused.
NOISE_REDUCTION = (3, 5, 8, 12)
TOO_GRAINY, TOO_PLAIN = "too_grainy", "jpeg_size"  # CropRefusal reasons


@dataclass(frozen=True)
class EncodedJpeg:
    data: bytes
    quality: int
    subsampling: int
    denoised: int = 0  # the NOISE_REDUCTION strength made before encoding; 0: none


def encode_jpeg(bgr: np.ndarray, quality: int, subsampling: int, spec: ChsiSpec = SPEC) -> bytes:
    rgb = cv2.cvtColor(as_bgr(bgr), cv2.COLOR_BGR2RGB)
    buffer = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(
        buffer, "JPEG", quality=quality, subsampling=subsampling, dpi=(spec.dpi, spec.dpi), optimize=True
    )
    return buffer.getvalue()


def encode_chsi_jpeg(bgr: np.ndarray, spec: ChsiSpec = SPEC) -> EncodedJpeg | str:
    """Highest quality (>= the spec's minimum) landing inside the byte range, after the weakest noise reduction that
    lets a too grainy picture fit; else why not: TOO_GRAINY, or TOO_PLAIN (under the minimum even at the best)."""
    encoded = _highest_quality(bgr, spec)
    for strength in NOISE_REDUCTION:
        if encoded != TOO_GRAINY:
            break
        quieted = cv2.fastNlMeansDenoisingColored(as_bgr(bgr), None, strength, strength)
        encoded = _highest_quality(quieted, spec, strength)
    return encoded


def _highest_quality(bgr: np.ndarray, spec: ChsiSpec, denoised: int = 0) -> EncodedJpeg | str:
    for subsampling in SUBSAMPLINGS:
        low, high = spec.min_jpeg_quality, spec.max_jpeg_quality
        best: EncodedJpeg | None = None
        while low <= high:
            quality = (low + high) // 2
            data = encode_jpeg(bgr, quality, subsampling, spec)
            if len(data) <= spec.max_bytes:
                best = EncodedJpeg(data, quality, subsampling, denoised)
                low = quality + 1
            else:
                high = quality - 1
        if best is not None and len(best.data) >= spec.min_bytes:
            return best
        if best is None:
            return TOO_GRAINY  # too detailed even at the lowest quality allowed: more chroma would not help
    return TOO_PLAIN

