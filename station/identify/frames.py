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
# no check character that zbar verifies (Code 39's is optional and zbar does not check it): one frame's read of a
# smudged bar may be another valid number. QR's error correction, Code 128's and EAN-13's check characters catch a
# misread symbol, and they are taken from one frame.
_UNCHECKED = {"CODE39", "CODABAR", "I25"}
_MAX_SIDE = 1280
# A code held up to the camera spans about an eighth of a 1280-px frame (the demo's phones: 162 px); a phone
# in the queue behind the student, a twentieth or less. Narrower than this, a code is background.
HELD_UP_SHARE = 0.06
_KINDS = {kind.name: kind for kind in _SYMBOLS}
_ALONG_ROWS, _ALONG_COLUMNS = {"UP", "DOWN"}, {"LEFT", "RIGHT"}  # zbar's orientation: which way the read scanned
_CUT_STEP = 3  # pixels: a barcode read one way is measured to this (reading it again costs ~0.1 ms a cut)


Box = tuple[float, float, float, float]  # x, y, width, height in the frame's pixels


@dataclass(frozen=True)
class SeenCode:
    """A code in a camera frame, how much of the frame's width it spans (a barcode: its length across its bars, also
    held sideways; a code held up to the camera is large, one on a phone in the queue behind the student is small)
    and where it is (a code inside the part of the frame the CHSI photo keeps is a phone in the photo:
    station/compliance/codes.py)."""

    text: str
    width_share: float
    box: Box
    unchecked: bool = False  # a barcode with no check zbar verifies, which may misread as another valid number


@dataclass(frozen=True)
class Sighting:
    """What one look of the code scanner read in one frame (most often nothing): the live checks take the codes'
    boxes from here instead of reading the frame a second time."""

    scene: int  # the frame's Frame.scene
    timestamp: float  # the frame's Frame.timestamp (time.monotonic())
    codes: tuple[SeenCode, ...]


def decode_codes(image: np.ndarray, thorough: bool = True) -> list[SeenCode]:
    """The distinct codes visible in a BGR or grey frame, largest first (empty when none).

    `thorough=False` is one plain zbar pass (~30 ms at 1280x720): the live scanner's common
    case, since most frames show no code; the variants cost six times that.
    """
    gray, scale = _gray(image)
    for variant, enlarged in _variants(gray) if thorough else ((gray, 1.0),):
        codes = _zbar(variant, scale * enlarged)
        if codes:
            return codes
    return _opencv_qr(gray, scale) if thorough else []


def _gray(image: np.ndarray) -> tuple[np.ndarray, float]:
    """The frame in grey, at most _MAX_SIDE, and its size against the frame's."""
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY)
    scale = _MAX_SIDE / max(image.shape[:2])
    if scale < 1:
        return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale
    return image, 1.0


def _variants(gray: np.ndarray):
    """The variants to read, each with its size against `gray`."""
    yield gray, 1.0
    clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(gray)
    yield clahe, 1.0
    yield cv2.adaptiveThreshold(clahe, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 5), 1.0
    yield 255 - gray, 1.0  # dark-mode phone screens show light modules on black
    if max(gray.shape) < 900:
        yield cv2.resize(clahe, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), 2.0


def _zbar(gray: np.ndarray, scale: float) -> list[SeenCode]:
    """`scale`: `gray`'s size against the frame's, whose pixels the boxes are given in."""
    codes: dict[str, SeenCode] = {}
    for symbol in pyzbar.decode(gray, symbols=_SYMBOLS):
        (left, top, width, height), length = (symbol.rect, symbol.rect.width) if symbol.type == "QRCODE" else \
            _linear_box(gray, symbol)
        _keep_largest(codes, SeenCode(_text(symbol.data), length / gray.shape[1],
                                      (left / scale, top / scale, width / scale, height / scale),
                                      symbol.type in _UNCHECKED))
    return _largest_first(codes)


def _linear_box(gray: np.ndarray, symbol: pyzbar.Decoded) -> tuple[tuple[int, int, int, int], int]:
    """A barcode's box and its length across its bars (a card held sideways is read down the frame's columns). zbar
    marks only where each scanline's read ended, one end of the code (a point for a read on one scanline, a line along
    one end for most reads): such a card held up close measured a few pixels wide and was taken for one in the
    background. So one of those scanlines is read again, both ways; read one way only, its far end is the nearest cut
    of the line that still reads the same value. zbar's own box and width where the scanline does not read again."""
    if symbol.orientation not in _ALONG_ROWS | _ALONG_COLUMNS:
        return symbol.rect, symbol.rect.width
    rows = symbol.orientation in _ALONG_ROWS
    x, y = symbol.polygon[len(symbol.polygon) // 2]
    line = np.ascontiguousarray(gray[y] if rows else gray[:, x])
    quiet = np.full(len(line) // 10, line.max(), np.uint8)  # a quiet zone wherever the line is cut

    def ends(part: np.ndarray) -> list[int]:
        """Where in `part` the reads of the symbol's value along it ended (zbar reads it from its start on)."""
        padded = np.concatenate([quiet, part, quiet])[None, :]
        return [point.x - len(quiet) for read in pyzbar.decode(padded, symbols=[_KINDS[symbol.type]])
                if read.data == symbol.data for point in read.polygon]

    forward, backward = ends(line), [len(line) - 1 - at for at in ends(line[::-1])]
    if forward and backward:
        start, end = min(backward), max(forward)
    elif forward:  # read from its start on only: it ended at its end, and starts at the nearest cut that reads
        end = max(forward)
        start = next((cut for cut in range(end, 0, -_CUT_STEP) if ends(line[cut:end + len(quiet)])), 0)
    elif backward:
        start = min(backward)
        end = next((cut for cut in range(start, len(line), _CUT_STEP)
                    if ends(line[max(0, start - len(quiet)):cut][::-1])), len(line))
    else:
        return symbol.rect, symbol.rect.width
    if rows:
        return (start, symbol.rect.top, end - start, symbol.rect.height), end - start
    return (symbol.rect.left, start, symbol.rect.width, end - start), end - start


def _opencv_qr(gray: np.ndarray, scale: float) -> list[SeenCode]:
    try:
        ok, texts, points, _ = cv2.QRCodeDetector().detectAndDecodeMulti(gray)
    except cv2.error:
        return []
    if not ok:
        return []
    codes: dict[str, SeenCode] = {}
    for text, corners in zip(texts, points):
        if text:
            (left, top), (right, bottom) = np.asarray(corners).min(axis=0), np.asarray(corners).max(axis=0)
            box = (float(left) / scale, float(top) / scale, float(right - left) / scale, float(bottom - top) / scale)
            _keep_largest(codes, SeenCode(text, float(right - left) / gray.shape[1], box))
    return _largest_first(codes)


def _keep_largest(codes: dict[str, SeenCode], code: SeenCode) -> None:
    """One sighting per text: the largest (the same code read twice in one frame is one phone)."""
    if code.text not in codes or code.width_share > codes[code.text].width_share:
        codes[code.text] = code


def _largest_first(codes: dict[str, SeenCode]) -> list[SeenCode]:
    return sorted(codes.values(), key=lambda code: -code.width_share)


def _text(data: bytes) -> str:
    """QR payloads are UTF-8 by convention, but Chinese generators still emit GBK."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
