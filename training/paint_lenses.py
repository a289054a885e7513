"""Paints coloured contact lenses (美瞳) onto face photos, for training and measuring the coloured_lenses check.

No labelled set of lens wearers exists, so this makes one: on a face with the station's face mesh (refine_landmarks
gives an iris centre and four iris-edge points per eye), each eye gets a printed lens: a colour (grey, blue, green,
hazel, brown, or the black "big eye" ring), a radial streak pattern with a darker limbal ring, a clear pupil zone,
35-70 % opacity, a radius 1.0-1.35 times the iris's, clipped to the eye opening (the eyelid contour of the mesh)
and with the corneal highlight left showing through. A painted portrait can then be composed into a kiosk frame
(KioskFrames) and meshed again there, as the station would see it. Training only: the station never paints anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from station.compliance.irises import eye_opening, iris_circle
from station.face import FaceMesher
from training import kiosk_scenes as scenes
from training.datasets import load_mask

# Colour families of lenses sold in China, as OpenCV HSV ranges (hue 0-180): (hue, saturation, value).
COLOURS: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "grey": ((0, 180), (0, 35), (120, 200)),
    "blue": ((98, 115), (110, 220), (130, 230)),
    "green": ((45, 80), (90, 200), (100, 200)),
    "hazel": ((14, 26), (110, 200), (110, 180)),
    "brown": ((6, 16), (120, 220), (55, 120)),
    "black": ((0, 180), (0, 60), (10, 45)),  # the "big eye" ring: dark and wide
}


@dataclass(frozen=True)
class Lens:
    colour: str
    bgr: tuple[float, float, float]
    scale: float  # lens radius / iris radius
    opacity: float
    pupil: float  # clear zone radius / iris radius
    limbal: float  # width of the darker outer ring, as a share of the lens radius
    streaks: int  # angular frequency of the printed pattern
    seed: int


def random_lens(rng: np.random.Generator, colour: str | None = None) -> Lens:
    """A lens of `colour` (default: any family, equally likely) with random print, size and opacity."""
    colour = colour or str(rng.choice(list(COLOURS)))
    (h0, h1), (s0, s1), (v0, v1) = COLOURS[colour]
    hsv = np.uint8([[[rng.uniform(h0, h1), rng.uniform(s0, s1), rng.uniform(v0, v1)]]])
    bgr = tuple(float(v) for v in cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0, 0])
    big = colour == "black"
    return Lens(colour, bgr, scale=rng.uniform(1.15, 1.35) if big else rng.uniform(1.0, 1.2),
                opacity=rng.uniform(0.35, 0.7), pupil=rng.uniform(0.3, 0.45),
                limbal=rng.uniform(0.25, 0.45) if big else rng.uniform(0.08, 0.25),
                streaks=int(rng.integers(12, 40)), seed=int(rng.integers(1 << 30)))


def paint(image: np.ndarray, points: np.ndarray, lens: Lens) -> np.ndarray:
    """A copy of the BGR `image` with `lens` on both eyes of the face whose mesh `points` are given."""
    out = image.copy()
    rng = np.random.default_rng(lens.seed)
    phases = rng.uniform(0, 2 * np.pi, 3)
    for eye in (0, 1):
        centre, radius = iris_circle(points, eye)
        outer = radius * lens.scale
        pad = int(np.ceil(outer)) + 2
        x0, y0 = max(int(centre[0]) - pad, 0), max(int(centre[1]) - pad, 0)
        x1, y1 = min(int(centre[0]) + pad + 1, image.shape[1]), min(int(centre[1]) + pad + 1, image.shape[0])
        if x1 - x0 < 2 or y1 - y0 < 2 or radius < 1:
            continue
        yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float64) + 0.5
        dx, dy = xx - centre[0], yy - centre[1]
        dist = np.hypot(dx, dy)
        angle = np.arctan2(dy, dx)
        disk = np.clip(outer + 0.5 - dist, 0, 1) * np.clip(dist - lens.pupil * radius + 0.5, 0, 1)
        alpha = lens.opacity * disk * eye_opening(points, eye, (x0, y0, x1, y1))
        rel = dist / outer
        streak = 1 + 0.18 * np.sin(lens.streaks * angle + phases[0]) * np.sin(3 * lens.streaks * angle + phases[1])
        ring = np.where(rel > 1 - lens.limbal, 0.45, 1.0)  # the dark limbal ring
        roi = out[y0:y1, x0:x1].astype(np.float64)
        light = roi.mean(axis=2)
        shade = 0.75 + 0.25 * light / max(float(np.percentile(light, 75)), 1.0)  # keep the lid's shadow
        colour = np.array(lens.bgr)[None, None, :] * (streak * ring * shade)[:, :, None]
        highlight = (roi.min(axis=2) > 200).astype(np.float64)  # the cornea's reflection sits on top of the lens
        alpha = (alpha * (1 - 0.8 * highlight))[:, :, None]
        out[y0:y1, x0:x1] = np.clip(roi * (1 - alpha) + colour * alpha, 0, 255).astype(np.uint8)
    return out


def iris_colour(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Median CIE Lab (L 0-100, a, b) of both irises' visible ring (0.45-0.9 of the radius, inside the lids),
    to find real light-eyed faces: the hard negatives."""
    values = []
    for eye in (0, 1):
        centre, radius = iris_circle(points, eye)
        pad = int(np.ceil(radius)) + 2
        x0, y0 = max(int(centre[0]) - pad, 0), max(int(centre[1]) - pad, 0)
        x1, y1 = min(int(centre[0]) + pad + 1, image.shape[1]), min(int(centre[1]) + pad + 1, image.shape[0])
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float64) + 0.5
        rel = np.hypot(xx - centre[0], yy - centre[1]) / max(radius, 1e-6)
        inside = (rel > 0.45) & (rel < 0.9) & (eye_opening(points, eye, (x0, y0, x1, y1)) > 0.5)
        roi = image[y0:y1, x0:x1]
        bright = roi.min(axis=2) > 200  # leave out the corneal highlight
        lab = cv2.cvtColor(roi, cv2.COLOR_BGR2LAB).astype(np.float64)
        values.append(lab[inside & ~bright])
    pixels = np.concatenate(values) if values else np.zeros((0, 3))
    if len(pixels) < 4:
        return np.full(3, np.nan)
    lab = np.median(pixels, axis=0)
    return np.array([lab[0] * 100 / 255, lab[1] - 128, lab[2] - 128])


def light_eyed(lab: np.ndarray) -> bool:
    """Real blue, grey or green eyes (the hard negatives), from iris_colour: a light iris (L* >= 25) whose colour
    leans blue or green (b* + a*/2 <= 1). Chosen by eye on montages of the train part (about 20 in 24 picked faces
    show light eyes; brown eyes sit at b* 5-15); 7 % of the celebahq + celebamaskhq faces."""
    return bool(lab[0] >= 25 and lab[2] + lab[1] / 2 <= 1)


def person(dataset: str, file: str, image: np.ndarray) -> np.ndarray:
    """The person mask to compose a portrait with: celebamaskhq's parsing mask, else the whole square portrait
    (only the eyes are measured in these frames)."""
    return load_mask(file) if dataset == "celebamaskhq" else np.ones(image.shape[:2], np.uint8)


class KioskFrames:
    """Portraits composed on one blue kiosk scene (backdrop and a dark jacket drawn once: drawing them costs
    half a second a frame), the frame then shrunk as a smaller camera frame would be."""

    SHRINK = (0.72, 1.0)  # 1280x720 down to about 920x520: an iris about 14-19 px wide

    def __init__(self) -> None:
        blank = np.zeros((8, 8, 3), np.uint8)
        self.scene = scenes.compose(blank, blank[:, :, 0], scenes.backdrop("blue", np.random.default_rng(5)),
                                    clothes=(60, 45, 40))

    @classmethod
    def shrink(cls, rng: np.random.Generator) -> float:
        return float(rng.uniform(*cls.SHRINK))

    def measured(self, mesher: FaceMesher, portrait: np.ndarray, mask: np.ndarray, shrink: float
                 ) -> tuple[np.ndarray, np.ndarray] | None:
        """The kiosk frame and the mesh points the station's face mesh finds in it, or None (no face found)."""
        frame = scenes.paste(portrait, mask, self.scene)
        if shrink < 0.999:
            frame = cv2.resize(frame, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
        faces = mesher.detect(frame)
        return (frame, faces[0].points) if faces else None
