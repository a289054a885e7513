"""The background check on kiosk scenes, per backdrop: the blue cloth, the broken ones, and the room beside a cloth
narrower than the camera's view (which is not in the CHSI photo).

Each celebamaskhq portrait of the split (../shared) is composed on a 1280x720 backdrop (training.kiosk_scenes: blue,
grey, white, pattern, a shadow beside the person, light falling off 2.9:1 across the frame) and on the blue one with
the room's wall (beige, a door frame) beyond a centred cloth 60 % and 45 % of the frame's width, then analysed by the
compliance engine; a frame without a measured face is left out. Prints pass / look / fail per backdrop.

--dark: the blue and grey scenes (and, on the blue, the demo frames of a student before the cloth) darkened in 0.5 EV
steps to 7 EV under (linear light, as benchmark_webcam's under2): per step the median L* of the backdrop the photo keeps,
and what exposure, background and clothing_contrast say (or why they were not measured: "dark", too dark to tell the
colour; "no_face").
It ends with the rule that set backdrop.MIN_JUDGED_LIGHTNESS (written before its figures): half the darkest blue
backdrop of a picture exposure does not block.

    nice -n 10 .venv/bin/python scripts/benchmark_backdrop.py [--split val|test] [--faces 40] [--dark]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
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
from station.compliance.results import FAIL, MEASURED, CheckResult  # noqa: E402
from station.face.segmentation import PersonSegmenter  # noqa: E402
from training.datasets import FACES_DIR, load_mask, load_split  # noqa: E402

WALL_BGR = (150, 175, 195)
ROOMS = {"room beside a 60 % cloth": 0.6, "room beside a 45 % cloth": 0.45}
DARKER = [-0.5 * step for step in range(15)]  # EV, 0 to -7


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


def darkened(engine: ComplianceEngine, split: str, faces: int) -> None:
    """--dark: see the module's docstring."""
    rows: dict[tuple[str, float], list[tuple[float | None, dict[str, str]]]] = {}
    with PersonSegmenter() as segmenter:
        for kind, frame in scenes_to_darken(split, faces, np.random.default_rng(7)):
            for ev in DARKER:
                seen = exposed(frame, ev) if ev else frame
                analysis = engine.analyze(seen)
                levels = {c: said(analysis.checks[c]) for c in ("exposure", "background", "clothing_contrast")}
                rows.setdefault((kind, ev), []).append((kept_lightness(seen, analysis.crop, segmenter), levels))
    print(f"celebamaskhq {split}, {faces} portraits on the blue and the grey backdrop; the demo frames (blue)")
    for (kind, ev), found in rows.items():
        lightness = [light for light, _ in found if light is not None]
        counts = {c: dict(Counter(levels[c] for _, levels in found)) for c in found[0][1]}
        print(f"{kind:5s} {-ev:3.1f} EV under  L* {min(lightness):5.1f}-{max(lightness):5.1f}  " +
              "  ".join(f"{c} {n}" for c, n in counts.items()))
    judged = [light for (kind, _), found in rows.items() if kind != "grey"
              for light, levels in found if light is not None and levels["exposure"] != FAIL]
    print(f"darkest blue backdrop exposure does not block: L* {min(judged):.1f}; half of it: {min(judged) / 2:.1f}")


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
