"""The background check on kiosk scenes, per backdrop: the blue cloth, the broken ones, and the room beside a cloth
narrower than the camera's view (which is not in the CHSI photo).

Each celebamaskhq portrait of the split (../shared) is composed on a 1280x720 backdrop (training.kiosk_scenes: blue,
grey, white, pattern, a shadow beside the person, light falling off 2.9:1 across the frame) and on the blue one with
the room's wall (beige, a door frame) beyond a centred cloth 60 % and 45 % of the frame's width, then analysed by the
compliance engine; a frame without a measured face is left out. Prints pass / look / fail per backdrop.

--dark: the blue and grey scenes (and, on the blue, the demo frames of a student before the cloth) darkened in 0.5 EV
steps to 7 EV under (linear light, as benchmark_webcam's under2): per step the median L* of the backdrop the photo keeps
and the face's mean L* (as exposure measures it), and what exposure, background, clothing_contrast, blur and
eyebrows_covered say (or why they were not measured: "dark", too dark to read; "no_face").
It ends with the rules that set backdrop.MIN_JUDGED_LIGHTNESS and photometry.MIN_JUDGED_FACE_LIGHTNESS (written before
their figures): half the darkest blue backdrop, and half the darkest face of any set, of a picture exposure does not
block; and how many faces exposure does not block have their face's pixels not judged (none should).

    nice -n 10 .venv/bin/python scripts/benchmark_backdrop.py [--split val|test] [--faces 40] [--dark]
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import training.kiosk_scenes as scenes  # noqa: E402
from scripts.benchmark_webcam import exposed  # noqa: E402
from station.adapters.demo import DEMO_DIR  # noqa: E402
from station.chsi.crop import CropPlan  # noqa: E402
from station.compliance.backdrop import Scene  # noqa: E402
from station.compliance.engine import ComplianceEngine  # noqa: E402
from station.compliance.photometry import FacePatch  # noqa: E402
from station.compliance.results import DARK, FAIL, MEASURED, Analysis, CheckResult  # noqa: E402
from station.face.segmentation import PersonSegmenter  # noqa: E402
from training.datasets import FACES_DIR, load_mask, load_split  # noqa: E402

WALL_BGR = (150, 175, 195)
ROOMS = {"room beside a 60 % cloth": 0.6, "room beside a 45 % cloth": 0.45}
DARKER = [-0.5 * step for step in range(15)]  # EV, 0 to -7
# what --dark shows of each scene: the light, the backdrop's colour, and two checks that read the face's pixels
SHOWN = ("exposure", "background", "clothing_contrast", "blur", "eyebrows_covered")


def in_a_room(ground: np.ndarray, cloth: float, rng: np.random.Generator) -> np.ndarray:
    """`ground` with the wall beyond a centred cloth `cloth` of its width."""
    frame = ground.copy()
    width = frame.shape[1]
    edge = int(width * (1 - cloth) / 2)
    wall = np.empty_like(frame)
    wall[:] = WALL_BGR
    wall += rng.integers(0, 6, wall.shape, dtype=np.uint8)
    wall[:, edge // 3:edge // 3 + 25] = (70, 80, 90)
    frame[:, :edge], frame[:, width - edge:] = wall[:, :edge], wall[:, width - edge:]
    return frame


def kept_lightness(frame: np.ndarray, crop: CropPlan | None, segmenter: PersonSegmenter) -> float | None:
    """The median L* of the backdrop the photo keeps, as the engine measures it (Scene.kept_by, else Scene.middle)."""
    scene = Scene.of(frame, segmenter)
    kept = scene.kept_by(crop.corners()) if crop is not None else scene.middle()
    colour = kept.backdrop_colour
    return None if colour is None else float(colour[0])


def said(result: CheckResult) -> str:
    """Its level, or why it was not measured ("dark": the picture too dark to tell the colour; "no_face")."""
    return result.level if result.state == MEASURED else result.state


def scenes_to_darken(split: str, faces: int, rng: np.random.Generator) -> Iterator[tuple[str, np.ndarray]]:
    """(set, frame): the demo frames before the cloth, the split's portraits on the blue and the grey backdrop."""
    for path in sorted((DEMO_DIR / "kiosk").glob("0[1-5]_*.jpg")) + sorted((DEMO_DIR / "students").glob("*.jpg")):
        yield "demo", cv2.imread(str(path))
    for i, file in enumerate(load_split("celebamaskhq")[split][:faces]):
        image, mask = cv2.imread(str(FACES_DIR / "celebamaskhq" / file)), load_mask(file)
        for kind in ("blue", "grey"):
            yield kind, scenes.compose(image, mask, scenes.backdrop(kind, rng), seed=i)


@dataclass(frozen=True)
class Darkened:
    """One darkened scene as the engine saw it."""

    backdrop: float | None  # the median L* of the backdrop the photo keeps
    face: float | None  # the face's mean L* as exposure measures it; None without a face
    levels: dict[str, str]  # check -> said()


def face_lightness(frame: np.ndarray, analysis: Analysis) -> float | None:
    """The face's mean L* as exposure measures it (FacePatch.mean_lightness), None without a face."""
    patch = FacePatch.cut(frame, analysis.face) if analysis.face is not None else None
    return patch.mean_lightness if patch is not None and patch.inside.any() else None


def span(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    return f"{min(known):5.1f}-{max(known):5.1f}" if known else "  none     "


def darkened(engine: ComplianceEngine, split: str, faces: int) -> None:
    """--dark: see the module's docstring."""
    rows: dict[tuple[str, float], list[Darkened]] = {}
    with PersonSegmenter() as segmenter:
        for kind, frame in scenes_to_darken(split, faces, np.random.default_rng(7)):
            for ev in DARKER:
                seen = exposed(frame, ev) if ev else frame
                analysis = engine.analyze(seen)
                levels = {c: said(analysis.checks[c]) for c in SHOWN}
                rows.setdefault((kind, ev), []).append(Darkened(kept_lightness(seen, analysis.crop, segmenter),
                                                                face_lightness(seen, analysis), levels))
    print(f"celebamaskhq {split}, {faces} portraits on the blue and the grey backdrop; the demo frames (blue)")
    for (kind, ev), found in rows.items():
        counts = {c: dict(Counter(row.levels[c] for row in found)) for c in SHOWN}
        print(f"{kind:5s} {-ev:3.1f} EV under  backdrop L* {span([row.backdrop for row in found])}  face L* "
              f"{span([row.face for row in found])}  " + "  ".join(f"{c} {n}" for c, n in counts.items()))
    seen = [row for found in rows.values() for row in found]
    judged = [row.backdrop for (kind, _), found in rows.items() if kind != "grey"
              for row in found if row.backdrop is not None and row.levels["exposure"] != FAIL]
    print(f"darkest blue backdrop exposure does not block: L* {min(judged):.1f}; half of it: {min(judged) / 2:.1f}")
    lit = [row for row in seen if row.face is not None and row.levels["exposure"] != FAIL]
    darkest = min(row.face for row in lit)
    print(f"darkest face exposure does not block: L* {darkest:.2f}; half of it: {math.floor(darkest * 5) / 10:.1f}")
    print(f"faces exposure does not block whose face is not judged (blur {DARK}): "
          f"{sum(row.levels['blur'] == DARK for row in lit)} of {len(lit)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--faces", type=int, default=40)
    parser.add_argument("--dark", action="store_true", help="the scenes darkened step by step (see above)")
    args = parser.parse_args()
    engine, rng = ComplianceEngine.load(), np.random.default_rng(7)
    if args.dark:
        darkened(engine, args.split, args.faces)
        return 0
    counts: dict[str, dict[str, int]] = {}
    for i, file in enumerate(load_split("celebamaskhq")[args.split][: args.faces]):
        image, mask = cv2.imread(str(FACES_DIR / "celebamaskhq" / file)), load_mask(file)
        grounds = {kind: scenes.backdrop(kind, rng) for kind in scenes.BACKDROPS}
        grounds.update({name: in_a_room(grounds["blue"], cloth, rng) for name, cloth in ROOMS.items()})
        for kind, ground in grounds.items():
            analysis = engine.analyze(scenes.compose(image, mask, ground, seed=i))
            if analysis.face is not None:
                level = analysis.checks["background"].level
                counts.setdefault(kind, {"pass": 0, "look": 0, "fail": 0})[level] += 1
    print(f"celebamaskhq {args.split}, {args.faces} portraits")
    for kind, levels in counts.items():
        print(f"{kind:26s} " + "  ".join(f"{level} {n}" for level, n in levels.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
