"""Reading QR codes and student-card barcodes out of camera frames.

pyzbar (zbar) is the reader; a phone screen held at an angle, glare or a dark-mode
screen defeat it on the raw frame, so a few cheap variants are tried in order and
OpenCV's perspective-aware QR detector is the last resort.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from pyzbar import pyzbar

_SYMBOLS = [
    pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.CODE128, pyzbar.ZBarSymbol.CODE39,
    pyzbar.ZBarSymbol.EAN13, pyzbar.ZBarSymbol.I25, pyzbar.ZBarSymbol.CODABAR,
]
_MAX_SIDE = 1280


@dataclass(frozen=True)
class SeenCode:
    """A code in a camera frame, and how much of the frame's width it spans: a code held up to the camera
    is large, one on a phone in the queue behind the student is small."""

    text: str
    width_share: float


def decode_frame(image: np.ndarray, thorough: bool = True) -> list[str]:
    """Distinct texts of the codes visible in a BGR or grey frame (empty when none)."""
    return [code.text for code in decode_codes(image, thorough)]


def decode_codes(image: np.ndarray, thorough: bool = True) -> list[SeenCode]:
    """The distinct codes visible in a BGR or grey frame, largest first (empty when none).

    `thorough=False` is one plain zbar pass (~30 ms at 1280x720): the live scanner's common
    case, since most frames show no code; the variants cost six times that.
    """
    gray = _gray(image)
    for variant in _variants(gray) if thorough else (gray,):
        codes = _zbar(variant)
        if codes:
            return codes
    return _opencv_qr(gray) if thorough else []


def _gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY)
    scale = _MAX_SIDE / max(image.shape[:2])
    if scale < 1:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return image


def _variants(gray: np.ndarray):
    yield gray
    clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(gray)
    yield clahe
    yield cv2.adaptiveThreshold(clahe, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 5)
    yield 255 - gray  # dark-mode phone screens show light modules on black
    if max(gray.shape) < 900:
        yield cv2.resize(clahe, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _zbar(gray: np.ndarray) -> list[SeenCode]:
    codes: dict[str, float] = {}
    for symbol in pyzbar.decode(gray, symbols=_SYMBOLS):
        text = _text(symbol.data)
        codes[text] = max(codes.get(text, 0.0), symbol.rect.width / gray.shape[1])
    return _largest_first(codes)


def _opencv_qr(gray: np.ndarray) -> list[SeenCode]:
    try:
        ok, texts, points, _ = cv2.QRCodeDetector().detectAndDecodeMulti(gray)
    except cv2.error:
        return []
    if not ok:
        return []
    codes: dict[str, float] = {}
    for text, corners in zip(texts, points):
        if text:
            width = float(np.ptp(np.asarray(corners)[:, 0]))
            codes[text] = max(codes.get(text, 0.0), width / gray.shape[1])
    return _largest_first(codes)


def _largest_first(codes: dict[str, float]) -> list[SeenCode]:
    return [SeenCode(text, share) for text, share in sorted(codes.items(), key=lambda item: -item[1])]


def _text(data: bytes) -> str:
    """QR payloads are UTF-8 by convention, but Chinese generators still emit GBK."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
