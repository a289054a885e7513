"""How often the camera misreads a student card's barcode as another number, and whether a misread reaches a student.

Cards of a class of 60 consecutive student numbers (a misread digit is most often a classmate's), printed as Code 39
without its check character, Codabar, Interleaved 2 of 5 and Code 128, are held up for four seconds: the card's tilt,
distance and a finger or glare over its bars stay for the whole hold (moving a little), while defocus, motion blur and
noise change from frame to frame. The real CodeScanner looks at each frame as its thread would (3 looks a second);
"before" takes each value at its first read (as the scanner did before confirmation: its repeat filter hands a code
on once while it is held up), "now" what it hands on; the session then takes only a code held up close. A card
"taken in 2 s" was taken by the sixth look.

    nice -n 10 .venv/bin/python scripts/benchmark_barcode_misreads.py [holds per symbology, default 40] [symbology...]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the cards are drawn as the tests draw them

from station.adapters.demo import DEMO_DIR  # noqa: E402
from station.camera import open_camera  # noqa: E402
from station.camera.source import Frame  # noqa: E402
from station.identify.frames import HELD_UP_SHARE, SeenCode  # noqa: E402
from station.identify.scanner import CodeScanner  # noqa: E402
from tests.identify.images import STUDENT_CARDS, card_in_room, student_card  # noqa: E402

CLASS = [f"20211101{i:02d}" for i in range(1, 61)]
LOOKS = 12  # four seconds at the scanner's 3 looks a second


def hold(code: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """LOOKS frames of one card held up: what stays (pose, a finger or glare) and what changes from frame to frame."""
    h, w = code.shape[:2]
    share, tilt, angle = rng.uniform(0.3, 0.55), rng.uniform(0, 0.3), rng.uniform(-10, 10)
    cover = rng.choice(["finger", "glare", "none"], p=[0.45, 0.25, 0.3])
    x, band = rng.uniform(0.1, 0.85) * w, rng.uniform(0.02, 0.12) * w
    y0 = rng.uniform(0, 0.6) * h
    y1 = min(h, y0 + rng.uniform(0.3, 1.0) * h)
    shade = int(rng.integers(40, 140)) if cover == "finger" else int(rng.integers(170, 255))
    frames = []
    for _ in range(LOOKS):
        damaged = code.copy()
        if cover != "none":
            left = int(x + rng.normal(0, 0.01) * w)
            region = damaged[int(y0):int(y1), max(0, left):left + int(band)]
            region[:] = shade if cover == "finger" else np.maximum(region, shade)
        frames.append(card_in_room(damaged, share, tilt, angle + rng.normal(0, 1), rng))
    return frames


def measure(symbology: str, holds: int, rng: np.random.Generator) -> Counter:
    counts: Counter = Counter()
    source = open_camera(str(DEMO_DIR / "kiosk"))  # never started: the looks are handed their frames
    for _ in range(holds):
        number = CLASS[int(rng.integers(len(CLASS)))]
        handed: list[SeenCode] = []
        scanner = CodeScanner(source, handed.append)
        first: dict[str, SeenCode] = {}  # each value's first read
        for index, image in enumerate(hold(student_card(symbology, number), rng)):
            scanner._look(Frame(index + 1, index / 3, image))  # noqa: SLF001 - one look at a time
            seen = _held_up(scanner.latest.codes)
            for code in scanner.latest.codes:
                first.setdefault(code.text, code)
            if index == LOOKS // 2 - 1:
                counts["before: card taken in 2 s"] += number in {_value(code.text) for code in _held_up(first.values())}
                counts["now: card taken in 2 s"] += number in {_value(code.text) for code in _held_up(handed)}
            counts["frames"] += 1
            counts["frames read"] += any(_value(code.text) == number for code in seen)
            counts["frames misread"] += any(_value(code.text) != number for code in seen)
            counts["frames misread, any size"] += any(_value(c.text) != number for c in scanner.latest.codes)
            counts["frames misread as a classmate, any size"] += any(
                _value(c.text) in set(CLASS) - {number} for c in scanner.latest.codes)
        for rule, codes in (("before", _held_up(first.values())), ("now", _held_up(handed))):
            values = {_value(code.text) for code in codes}
            counts[f"{rule}: card taken"] += number in values
            counts[f"{rule}: another student taken"] += bool(values & set(CLASS) - {number})
            counts[f"{rule}: a value off the roster"] += bool(values - set(CLASS))
        counts["holds"] += 1
    return counts


def _held_up(codes) -> list[SeenCode]:
    """What the session takes: a code held up close (station/capture/session.py)."""
    return [code for code in codes if code.width_share >= HELD_UP_SHARE]


def _value(text: str) -> str:
    """Codabar's start and stop characters are not the student number's."""
    return text[1:-1] if len(text) > 2 and text[0] in "ABCD" and text[-1] in "ABCD" else text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("holds", type=int, nargs="?", default=40, help="holds per symbology (default 40)")
    parser.add_argument("symbology", nargs="*", default=list(STUDENT_CARDS), help="default: every one a card uses")
    args = parser.parse_args()
    for symbology in args.symbology:
        counts = measure(symbology, args.holds, np.random.default_rng(25))
        print(symbology, dict(sorted(counts.items())), flush=True)


if __name__ == "__main__":
    main()
