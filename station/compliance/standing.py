"""A photo that arrived turned (a camera held sideways, no EXIF orientation) is checked as its CHSI photo will stand.

The face mesh fits a turned face as if it stood: sideways it reads a roll near 90 degrees (请把头摆正), upside down
often a pose within the limits, while the CHSI pipeline turns the photo upright and makes a good photo of it. So a
frame without a face, whose head pose fails, or whose face the detector sees better turned half round, is looked at
again after the quarter turn the face detectors find, and that analysis is kept when the face then passes the pose
check or a vote around the face finds the same turn: an upright photo of a tilted or turned head stays as it is
(docs/cli.md, `check --json`; scripts/benchmark_standing.py). A turn after which the face mesh reads the head leaning
more than half a quarter turn is not made: the detectors' vote took a head leaning 10-30 degrees in an upright photo
for a photo on its side (measured turned and its original kept on its side), and a right quarter turn leaves no such
lean. Where no face was seen as the photo lay, the vote that confirms a turn is taken around the face seen turned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from station.chsi.orientation import unturned
from station.chsi.pipeline import share_of
from station.compliance.engine import ComplianceEngine
from station.compliance.results import FAIL, Analysis

# degrees of roll: a face the mesh reads leaning more than this after a quarter turn was turned wrong (a right turn of
# a photo on its side leaves the head's own lean, under half a quarter turn)
HALF_A_QUARTER_TURN = 45.0


@dataclass(frozen=True)
class Standing:
    image: np.ndarray  # the frame as it stands (turned when `turns`)
    analysis: Analysis  # of `image`
    turns: int = 0  # np.rot90's k (quarter turns anticlockwise) that were applied

    @property
    def degrees(self) -> int:
        return 90 * self.turns


class Upright(Protocol):
    """Which way up a photo's face stands (UprightFinder; ChsiPipeline, which holds one)."""

    def upright_turns(self, bgr: np.ndarray, seen: float | None = None) -> int: ...

    def upside_down(self, bgr: np.ndarray, face: tuple[float, float, float, float], seen: float | None = None) -> bool: ...

    def turns_around(self, bgr: np.ndarray, face: tuple[float, float, float, float]) -> int: ...


def standing(engine: ComplianceEngine, upright: Upright, image: np.ndarray, analysis: Analysis) -> Standing:
    """`analysis` is the engine's of `image` as it lies; `upright` finds the quarter turns that make its face stand,
    asked when no face is seen, when the pose fails (a face on its side), or when the face may be upside down
    (a mesh fitted on it often passes the pose check). The turned analysis is kept when its face passes the pose
    check, or when a vote around the face finds the same turn: a student turning his head away, on his side or
    upside down, fails the pose check either way, and measured as he lay every check read his face where it is not
    (and the shutter's crop of an upside-down one was refused)."""
    face = analysis.face
    box = None if face is None else share_of(face.box, image)
    lets_through = box is not None and analysis.checks["pose"].level != FAIL
    if lets_through and not upright.upside_down(image, box, analysis.upright_look):
        return Standing(image, analysis)
    turns = upright.upright_turns(image, analysis.upright_look)
    if not turns:
        return Standing(image, analysis)
    turned = np.ascontiguousarray(np.rot90(image, turns))
    again = engine.analyze(turned)
    if not again.faces or again.pose is not None and abs(again.pose.roll) > HALF_A_QUARTER_TURN:
        return Standing(image, analysis)
    # a face that still fails the pose check stands only if a vote around it finds the same turn; where no face was
    # seen as the photo lay (an upside-down head the engine missed), around the one seen turned
    around = box if box is not None or again.face is None else unturned(share_of(again.face.box, turned), turns)
    if again.checks["pose"].level == FAIL and (around is None or upright.turns_around(image, around) != turns):
        return Standing(image, analysis)
    return Standing(turned, again, turns)
