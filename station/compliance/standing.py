"""A photo that arrived turned (a camera held sideways, no EXIF orientation) is checked as its CHSI photo will stand.

The face mesh fits a turned face as if it stood: sideways it reads a roll near 90 degrees (请把头摆正), upside down a
yaw, while the CHSI pipeline turns the photo upright and makes a good photo of it. So a frame without a face, or
whose head pose fails, is looked at again after the quarter turn the face detectors find, and that analysis is kept
only when the face then passes the pose check: an upright photo of a tilted or turned head stays as it is (of 900
upright dataset faces none was turned; README, `check`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from station.compliance.engine import ComplianceEngine
from station.compliance.results import FAIL, Analysis


@dataclass(frozen=True)
class Standing:
    image: np.ndarray  # the frame as it stands (turned when `turns`)
    analysis: Analysis  # of `image`
    turns: int = 0  # np.rot90's k (quarter turns anticlockwise) that were applied

    @property
    def degrees(self) -> int:
        return 90 * self.turns


def standing(engine: ComplianceEngine, upright_turns: Callable[[np.ndarray], int], image: np.ndarray,
             analysis: Analysis) -> Standing:
    """`analysis` is the engine's of `image` as it lies; `upright_turns` finds the quarter turns that make its face
    stand (UprightFinder.upright_turns, ChsiPipeline.upright_turns), asked only when the pose fails or no face is seen."""
    if analysis.faces and analysis.checks["pose"].level != FAIL:
        return Standing(image, analysis)
    turns = upright_turns(image)
    if not turns:
        return Standing(image, analysis)
    turned = np.ascontiguousarray(np.rot90(image, turns))
    again = engine.analyze(turned)
    if not again.faces or again.checks["pose"].level == FAIL:
        return Standing(image, analysis)
    return Standing(turned, again, turns)
