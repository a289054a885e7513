"""Backdrop colour calibration: the station's own blue, measured once, replaces the policy's default range.

Backdrop cloths and lamps differ from school to school; a frame of the backdrop (with or without a
student in front) gives the hue, saturation and brightness range the background check then accepts.
The result lives in calibration/backdrop.toml and overrides the colour limits of [background].
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from station import CALIBRATION_DIR
from station.compliance.backdrop import Scene
from station.compliance.policy import Policy
from station.errors import StationError
from station.face.segmentation import PersonSegmenter
from station.i18n import Text

BACKDROP_FILE = CALIBRATION_DIR / "backdrop.toml"
HUE_MARGIN = 6.0  # OpenCV hue units added either side of the measured range
FLOOR_SHARE = 0.7  # saturation and brightness may fall to this share of the measured 1st percentile
NOT_BLUE = Text("标定失败：画面中的背景不是蓝色", "calibration failed: the backdrop in this picture is not blue")
TOO_LITTLE = Text("标定失败：画面中看不到足够的背景", "calibration failed: too little backdrop is visible")
BAD_FILE = Text("背景标定文件有误：{path}", "the backdrop calibration file is invalid: {path}")


@dataclass(frozen=True)
class BackdropColour:
    hue_min: float
    hue_max: float
    min_saturation: float
    min_value: float

    def save(self, path: Path = BACKDROP_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# Measured by `photo-station check --calibrate-backdrop IMAGE`; overrides [background] in the policy."]
        lines += [f"{name} = {value:.1f}" for name, value in self.__dict__.items()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = BACKDROP_FILE) -> "BackdropColour | None":
        """The calibration, None when the station was never calibrated."""
        if not path.is_file():
            return None
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
            return cls(**{name: float(doc[name]) for name in cls.__dataclass_fields__})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
            raise StationError(BAD_FILE.format(path=path)) from exc

    def applied_to(self, policy: Policy) -> Policy:
        background = policy["background"]
        params = {**background.params, **self.__dict__}
        return replace(policy, checks={**policy.checks, "background": replace(background, params=params)})


def measure_backdrop(bgr: np.ndarray, min_visible_share: float = 0.1) -> BackdropColour:
    """The accepted colour range of the backdrop seen in `bgr` (the person, if any, is left out)."""
    with PersonSegmenter() as segmenter:
        scene = Scene.of(bgr, segmenter)
    if scene.backdrop.mean() < min_visible_share:
        raise StationError(TOO_LITTLE)
    hsv = cv2.cvtColor(scene.bgr, cv2.COLOR_BGR2HSV)[scene.backdrop].astype(np.float32)
    hue_lo, hue_hi = np.percentile(hsv[:, 0], [1, 99])
    if not 80 <= (hue_lo + hue_hi) / 2 <= 135:  # OpenCV hue: cyan-blue to blue-violet
        raise StationError(NOT_BLUE)
    return BackdropColour(
        hue_min=float(hue_lo - HUE_MARGIN), hue_max=float(hue_hi + HUE_MARGIN),
        min_saturation=float(np.percentile(hsv[:, 1], 1) * FLOOR_SHARE),
        min_value=float(np.percentile(hsv[:, 2], 1) * FLOOR_SHARE),
    )
