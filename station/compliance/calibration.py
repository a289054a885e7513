"""Backdrop colour calibration: the station's own blue, measured once, replaces the policy's default range.

Backdrop cloths and lamps differ from school to school; a frame of the backdrop (with or without a
student in front) gives the hue, saturation and brightness range the background check then accepts.
The result lives in the station's data folder (calibration/backdrop.toml there: the program folder may be
read-only, and an update replaces it) and overrides the colour limits of [background]; it also keeps the
backdrop's colour in the light of the calibration (the morning's), which the live backdrop_drift check compares
the backdrop with during the day.
"""

from __future__ import annotations

import logging
import shutil
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from station import CALIBRATION_DIR
from station.compliance.backdrop import DRIFT_REFERENCE, Scene
from station.compliance.policy import CheckPolicy, Policy
from station.errors import StationError, os_reason
from station.face.segmentation import PersonSegmenter
from station.i18n import Text
from station.storage.atomic import write_atomic

# Where versions before session 14 kept it, in the program folder: read by an engine loaded without a station
# (scripts, tests) and copied once into a station's data folder that has none (backdrop_file).
BACKDROP_FILE = CALIBRATION_DIR / "backdrop.toml"
STATION_BACKDROP = Path("calibration") / "backdrop.toml"  # in the station's data folder
log = logging.getLogger(__name__)
HUE_MARGIN = 6.0  # OpenCV hue units added either side of the measured range
FLOOR_SHARE = 0.7  # saturation and brightness may fall to this share of the measured 1st percentile
# The backdrop's 1st-99th percentile hues may span at most this (OpenCV units, 2 degrees each), wider than the
# policy's whole default range (88-125): a blue backdrop spans 1-9 even shadowed, with a gradient, at a fifth of its
# light (training.kiosk_scenes, measured). A red backdrop (hues at both ends of the circle, 2 and 178, averaging a
# "blue" 90) or a frame that is mostly not backdrop would otherwise calibrate a range that accepts every colour.
MAX_HUE_SPREAD = 40.0
NOT_BLUE = Text("标定失败：画面中的背景不是蓝色", "calibration failed: the backdrop in this picture is not blue")
TOO_LITTLE = Text("标定失败：画面中看不到足够的背景", "calibration failed: too little backdrop is visible")
COLOUR_RANGE = ("hue_min", "hue_max", "min_saturation", "min_value")
REFERENCE = ("lightness", "green_red", "blue_yellow")
CANNOT_SAVE = Text("无法保存背景标定 {path}：{reason}", "cannot save the backdrop calibration {path}: {reason}")
BAD_FILE = Text("背景标定文件有误：{path}", "the backdrop calibration file is invalid: {path}")


@dataclass(frozen=True)
class BackdropColour:
    hue_min: float
    hue_max: float
    min_saturation: float
    min_value: float
    # The backdrop's median L*a*b* in the light it was calibrated in (the morning's): the backdrop_drift check asks
    # the photographer to look when the live backdrop moves away from it. None in a file from before it was kept.
    lightness: float | None = None
    green_red: float | None = None
    blue_yellow: float | None = None

    def save(self, path: Path) -> None:
        """Written whole or not at all (a full disk leaves the morning's calibration, not half a file)."""
        lines = ["# Measured by 工作站 → 背景颜色标定 or `photo-station check --calibrate-backdrop IMAGE`; overrides",
                 "# [background] in the policy and is the light [backdrop_drift] compares the live backdrop with."]
        lines += [f"{name} = {value:.1f}" for name, value in self.__dict__.items() if value is not None]
        try:
            write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
        except OSError as exc:  # a file where the calibration folder should be, a read-only data folder
            raise StationError(CANNOT_SAVE.format(path=path, reason=os_reason(exc))) from exc

    @classmethod
    def load(cls, path: Path = BACKDROP_FILE) -> "BackdropColour | None":
        """The calibration, None when the station was never calibrated."""
        if not path.is_file():
            return None
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
            colour = cls(**{name: float(doc[name]) for name in COLOUR_RANGE},
                         **{name: float(doc[name]) for name in REFERENCE if name in doc})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
            raise StationError(BAD_FILE.format(path=path)) from exc
        if colour.reference is None and any(name in doc for name in REFERENCE):
            raise StationError(BAD_FILE.format(path=path))
        return colour

    @property
    def reference(self) -> tuple[float, float, float] | None:
        """The calibrated backdrop's L*a*b*, None when this calibration did not keep it."""
        values = (self.lightness, self.green_red, self.blue_yellow)
        return None if None in values else values

    def applied_to(self, policy: Policy) -> Policy:
        checks = {**policy.checks, "background": _with_params(policy["background"], {n: getattr(self, n) for n in COLOUR_RANGE})}
        if self.reference is not None:
            checks["backdrop_drift"] = _with_params(policy["backdrop_drift"], dict(zip(DRIFT_REFERENCE, self.reference)))
        return replace(policy, checks=checks)


def backdrop_file(home: Path) -> Path:
    """The station's calibration file, in its data folder. A calibration an earlier version left in the program
    folder is copied there the first time (read once from there: an installed station keeps its calibration)."""
    path = home / STATION_BACKDROP
    if not path.exists() and BACKDROP_FILE.is_file():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(BACKDROP_FILE, path)
            log.info("backdrop calibration %s copied to %s", BACKDROP_FILE, path)
        except OSError as exc:  # the data folder cannot be written: said when the station opens it
            log.warning("backdrop calibration %s not copied to %s: %s", BACKDROP_FILE, path, exc)
            return BACKDROP_FILE
    return path


def _with_params(check: CheckPolicy, params: dict[str, float]) -> CheckPolicy:
    return replace(check, params={**check.params, **params})


def measure_backdrop(bgr: np.ndarray, min_visible_share: float = 0.1) -> BackdropColour:
    """The accepted colour range of the backdrop seen in `bgr` (the person, if any, is left out), in the middle of
    the frame where the CHSI photo is cut (Scene.middle): the room beside a narrower cloth is not the backdrop."""
    with PersonSegmenter() as segmenter:
        scene = Scene.of(bgr, segmenter).middle()
    if scene.backdrop.mean() < min_visible_share:
        raise StationError(TOO_LITTLE)
    hsv = cv2.cvtColor(scene.bgr, cv2.COLOR_BGR2HSV)[scene.backdrop].astype(np.float32)
    hue_lo, hue_median, hue_hi = np.percentile(hsv[:, 0], [1, 50, 99])
    if not 80 <= hue_median <= 135 or hue_hi - hue_lo > MAX_HUE_SPREAD:  # OpenCV hue: cyan-blue to blue-violet
        raise StationError(NOT_BLUE)
    return BackdropColour(
        hue_min=float(hue_lo - HUE_MARGIN), hue_max=float(hue_hi + HUE_MARGIN),
        min_saturation=float(np.percentile(hsv[:, 1], 1) * FLOOR_SHARE),
        min_value=float(np.percentile(hsv[:, 2], 1) * FLOOR_SHARE),
        **dict(zip(REFERENCE, (float(v) for v in scene.backdrop_colour))),
    )
