"""Kiosk frames made from a portrait and its parsing mask, to measure and test the scene checks.

The shared face datasets are not CHSI captures (no blue backdrop, no shoulders), so the backdrop
and clothing checks are measured on frames composed here: the person (every non-background mask
class) pasted on a chosen backdrop in a 1280x720 frame, above a torso whose clothes have the
portrait's clothes colour (or a chosen one). Nothing here is stored; the benchmark and the tests compose on the fly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from station.face.segmentation import PersonSegmenter
from training.datasets import FACES_DIR, load_mask, load_split

FRAME_SIZE = (1280, 720)  # width, height
PORTRAIT_SIDE = 420  # the portrait's side in the frame: face about 170-200 px wide, like a kiosk
PORTRAIT_TOP = 120
SMALL_PORTRAIT_SIDE = 280  # two thirds: a student half again as far from the camera, face about 115-135 px wide
SIDES = (PORTRAIT_SIDE, SMALL_PORTRAIT_SIDE)
CHSI_BLUE = (243, 191, 0)  # BGR of the CHSI reference backdrop, RGB(0, 191, 243)
CLOTH = 18  # CelebAMask-HQ class of clothes
BACKDROPS = ("blue", "grey", "white", "pattern", "shadow", "gradient")


def backdrop(kind: str, rng: np.random.Generator, size: tuple[int, int] = FRAME_SIZE) -> np.ndarray:
    """A backdrop: "blue" is the good one (with mild sensor noise and vignetting), the rest break the rule."""
    width, height = size
    if kind == "pattern":
        frame = np.zeros((height, width, 3), np.uint8)
        stripe = max(8, width // 24)
        for i, x in enumerate(range(0, width, stripe)):
            frame[:, x:x + stripe] = rng.integers(0, 256, 3)
        return frame
    colour = {"grey": (150, 150, 150), "white": (245, 245, 245)}.get(kind, CHSI_BLUE)
    frame = np.empty((height, width, 3), np.float32)
    frame[:] = colour
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    vignette = 1.0 - 0.08 * (((xx - width / 2) / width) ** 2 + ((yy - height / 2) / height) ** 2) * 4
    frame *= vignette[:, :, None]
    if kind == "shadow":  # a hard shadow cast on the backdrop beside the person
        frame[:, int(width * 0.58):int(width * 0.8)] *= 0.45
    elif kind == "gradient":  # light falling off strongly across the backdrop
        frame *= (0.35 + 0.65 * xx / width)[:, :, None]
    frame += rng.normal(0, 3.0, frame.shape)
    return np.clip(frame, 0, 255).astype(np.uint8)


def compose(portrait: np.ndarray, mask: np.ndarray, ground: np.ndarray,
            clothes: tuple[int, int, int] | None = None, seed: int = 0, side: int = PORTRAIT_SIDE) -> np.ndarray:
    """`portrait` (BGR) with its parsing `mask` pasted on `ground` (a frame-sized backdrop), over a
    torso dressed in `clothes` (BGR; default: the colour of the portrait's own clothes, else dark); the portrait
    `side` px square (a smaller side: a student further from the camera)."""
    x0, y0, side = placement(ground.shape, side)
    frame = ground.copy()
    _draw_torso(frame, (x0 + side // 2, y0 + side), side, clothes or _clothes_colour(portrait, mask), seed)
    return paste(portrait, mask, frame, side)


def paste(portrait: np.ndarray, mask: np.ndarray, frame: np.ndarray, side: int = PORTRAIT_SIDE) -> np.ndarray:
    """`portrait`'s person (non-zero `mask`) pasted at its placement on a copy of `frame` (the backdrop and torso
    already drawn: a caller composing many portraits on one scene draws them once)."""
    height = frame.shape[0]
    x0, y0, side = placement(frame.shape, side)
    face = cv2.resize(portrait, (side, side), interpolation=cv2.INTER_AREA)
    person = cv2.resize((mask > 0).astype(np.uint8), (side, side), interpolation=cv2.INTER_NEAREST)
    frame = frame.copy()
    alpha = cv2.GaussianBlur(person.astype(np.float32), (5, 5), 0)[:, :, None]
    rows = min(side, height - y0)
    region = frame[y0:y0 + rows, x0:x0 + side].astype(np.float32)
    frame[y0:y0 + rows, x0:x0 + side] = (alpha[:rows] * face[:rows] + (1 - alpha[:rows]) * region).astype(np.uint8)
    return frame


def placement(frame_shape: tuple[int, ...], side: int = PORTRAIT_SIDE) -> tuple[int, int, int]:
    """Left, top and side of the portrait in a composed frame of this shape: a smaller portrait keeps the middle of
    the usual one (the eyes stay at the camera's height, as a student stepping back does)."""
    return (frame_shape[1] - side) // 2, PORTRAIT_TOP + (PORTRAIT_SIDE - side) // 2, side


def _clothes_colour(portrait: np.ndarray, mask: np.ndarray) -> tuple[int, int, int]:
    cloth = mask == CLOTH
    if cloth.sum() < 500:
        return (60, 45, 40)  # a dark jacket
    return tuple(int(v) for v in np.median(portrait[cloth], axis=0))


def _draw_torso(frame: np.ndarray, neck: tuple[int, int], side: int, colour: tuple[int, int, int], seed: int) -> None:
    """Shoulders and chest below the portrait's bottom edge, with soft folds."""
    height, width = frame.shape[:2]
    shape = np.zeros((height, width), np.uint8)
    cx, cy = neck[0], neck[1] + int(0.35 * side)
    axes = (int(0.62 * side), int(0.42 * side))
    cv2.ellipse(shape, (cx, cy), axes, 0, 180, 360, 1, -1)
    shape[cy:, cx - axes[0]:cx + axes[0]] = 1
    rng = np.random.default_rng(seed)
    folds = cv2.resize(rng.uniform(0.8, 1.1, (6, 8)).astype(np.float32), (width, height), interpolation=cv2.INTER_CUBIC)
    cloth = np.clip(np.float32(colour)[None, None, :] * folds[:, :, None] + rng.normal(0, 2.0, frame.shape), 0, 255)
    inside = shape.astype(bool)
    frame[inside] = cloth[inside].astype(np.uint8)


def recolour_clothes(portrait: np.ndarray, mask: np.ndarray, bgr: tuple[int, int, int] = CHSI_BLUE) -> np.ndarray:
    """The portrait with its own clothes dyed `bgr`, keeping their folds (pair with compose(clothes=bgr))."""
    hsv = cv2.cvtColor(portrait, cv2.COLOR_BGR2HSV)
    target = cv2.cvtColor(np.uint8([[bgr]]), cv2.COLOR_BGR2HSV)[0, 0]
    cloth = mask == CLOTH
    value = hsv[:, :, 2].astype(np.float32)
    mean = float(value[cloth].mean()) if cloth.any() else 1.0
    hsv[cloth, 0], hsv[cloth, 1] = target[0], target[1]
    hsv[cloth, 2] = np.clip(value[cloth] * (float(target[2]) / max(mean, 1.0)), 0, 255).astype(np.uint8)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)


def darken_side(frame: np.ndarray, x_split: float, factor: float = 0.45) -> np.ndarray:
    """Everything left of `x_split` darker, as if lit from the right only (for the lighting check)."""
    out = frame.astype(np.float32)
    ramp = np.clip((np.arange(frame.shape[1]) - (x_split - 20)) / 40.0, 0, 1)
    out *= (factor + (1 - factor) * ramp)[None, :, None]
    return out.astype(np.uint8)


def cut_out(dataset: str, file: str, image: np.ndarray, segmenter: PersonSegmenter) -> np.ndarray:
    """The person to compose: celebamaskhq's parsing mask, else the station's person segmenter (as the demo frames
    were cut out)."""
    return load_mask(file) if dataset == "celebamaskhq" else (segmenter.mask(image) > 0.5).astype(np.uint8)


def cut_out_scenes(files: list[str], keep: set[str] | None = None) -> Iterator[tuple[str, int, np.ndarray]]:
    """(file, side, frame): each celebahq portrait of `files` cut out by the station's person segmenter and composed on
    the blue backdrop at both SIDES, in order. With `keep`, only those files' scenes, the other files' backdrops still
    drawn, so each scene is the one composed for the whole list: scripts/benchmark_trust.py --celebahq-scenes and
    training/evaluate.py's union step see the same frames."""
    rng = np.random.default_rng(20261205)
    left = None if keep is None else set(keep)
    with PersonSegmenter(portrait=True) as segmenter:
        for i, file in enumerate(files):
            if left is not None and not left:
                return
            wanted = left is None or file in left
            if wanted:
                image = cv2.imread(str(FACES_DIR / "celebahq" / file))
                mask = cut_out("celebahq", file, image, segmenter)
            for side in SIDES:
                ground = backdrop("blue", rng)
                if wanted:
                    yield file, side, compose(image, mask, ground, seed=i, side=side)
            if left is not None:
                left.discard(file)


def write_test_scenes(folder: Path, limit: int, rng: np.random.Generator) -> list[Path]:
    """celebamaskhq test portraits (their parsing masks) and celebahq test portraits (cut out by the station's person
    segmenter, as the demo frames were), each on the blue backdrop in a 1280x720 frame, written into `folder` (outside
    the project: the benchmarks give a temporary one) as NNNN.png."""
    portraits = [("celebamaskhq", f) for f in load_split("celebamaskhq")["test"][:limit]]
    portraits += [("celebahq", f) for f in load_split("celebahq")["test"][:limit]]
    paths = []
    with PersonSegmenter(portrait=True) as segmenter:
        for i, (dataset, file) in enumerate(portraits):
            image = cv2.imread(str(FACES_DIR / dataset / file))
            paths.append(folder / f"{i:04d}.png")
            cv2.imwrite(str(paths[-1]), compose(image, cut_out(dataset, file, image, segmenter), backdrop("blue", rng),
                                                seed=i))
    return paths
