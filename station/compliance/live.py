"""The engine on a live preview: the three expensive steps are not repeated in full on every frame.

- The CHSI crop plan (5-10 ms: it levels and segments the head region) is reused while the landmarks stay
  within the engine's motion tolerance of where it was planned, for at most `refresh_every` frames.
- The person segmentation that finds the backdrop (about 5 ms) runs on every frame after one that reused
  its mask (so about every other frame); the frames between reuse it while the face stays within the same
  tolerance.
- The learned models (all of them together cost several times a face mesh: models/metrics.json,
  `time_per_face_all_models`) take turns on the frames that do not segment: each runs one turn of them
  (ComplianceEngine.learned_groups, each turn about one face model's cost) and the check scores blend the
  latest outputs of every model; a full round takes about two frames per turn (docs/compliance.md gives the
  shipped count). Their scores describe the person (glasses, a hat, an earring), which does not change
  between frames.
A frame that plans the crop again neither segments nor runs a turn. A new face is scored by every model
at once, and so is the first frame of another scene (the camera reconnected, a file camera's next picture):
nothing measured on one view is carried onto another, even with a face in about the same place. Everything
else (face mesh, detector, colour and light measures) runs on every frame. Codes in the photo are not read here: the
code scanner's latest look gives them (LiveChecks). The shutter's frame goes through
ComplianceEngine.analyze, which measures everything afresh.

What the preview shows is held steady: a check's level (pass, look, fail) changes only once the new level has come
out of HOLD analyses in a row. A score at a threshold otherwise blinks: 王思远's head turn, measured 9.8-10.3° frame
to frame against the 10° limit, switched the chip between ✓ and ? 22 times in 50 analyses of a still picture with a
webcam's noise and two pixels of jitter. A new scene or another face starts afresh, and says nothing for its first
HOLD analyses (each check is SETTLING, shown –); then each check shows the level most of them had. The face tracker's
first mesh of a new view is its worst (a yaw of 12.9° where the next frames measure 9.5-10.3°; on some views no mesh
at all), and a word said on it, ✗头部姿态 at a compliant student stepping in, stayed for HOLD analyses more. The
shutter's still is never held.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Generic, Protocol, TypeVar

import numpy as np

from station.compliance.engine import LEARNED_REUSE_TOLERANCE, ComplianceEngine
from station.compliance.results import PASS, SETTLING, Analysis, CheckResult, Reuse, moved_at_most
from station.identify.frames import SeenCode

HOLD = 3  # analyses in a row (a quarter of a second at the live checks' 12 a second)
# Analyses without a face before a face that comes is someone stepping in, not the same face missed by the detector for
# a frame or two (which would otherwise start the live identity line afresh).
AWAY_BEFORE_NEW = 3


class Leveled(Protocol):
    @property
    def level(self) -> str: ...


R = TypeVar("R", bound=Leveled)


class SteadyLevels(Generic[R]):
    """Each check's result as last shown, replaced when the check's level changes for HOLD analyses in a row (a
    result of the same level replaces it at once: its score and message stay current).

    `unsettled`: what to show of a check until its first HOLD analyses since a reset are in; it then shows the level
    most of them had (of tied levels, the latest). None: the first analysis is shown as it is."""

    def __init__(self, hold: int = HOLD, unsettled: Callable[[R], R] | None = None) -> None:
        self.hold = hold
        self._unsettled = unsettled
        self._shown: dict[str, R] = {}
        self._coming: dict[str, tuple[str, int]] = {}  # check -> (a level other than the shown one, analyses in a row)
        self._first: dict[str, list[R]] = {}  # check -> its results since the reset, while it settles

    @property
    def settled(self) -> bool:
        """Something is shown and nothing is still settling (a reset now would blank what was said)."""
        return bool(self._shown) and not self._first

    def reset(self) -> None:
        self._shown.clear()
        self._coming.clear()
        self._first.clear()

    def steady(self, checks: dict[str, R]) -> dict[str, R]:
        said: dict[str, R] = {}
        for check, result in checks.items():
            shown = self._shown.get(check)
            if shown is None and self._unsettled is not None:
                first = self._first.setdefault(check, [])
                first.append(result)
                if len(first) < self.hold:
                    said[check] = self._unsettled(result)
                    continue
                self._shown[check] = _most_said(self._first.pop(check))
            elif shown is None or shown.level == result.level:
                self._shown[check] = result
                self._coming.pop(check, None)
            else:
                level, count = self._coming.get(check, (result.level, 0))
                count = count + 1 if level == result.level else 1
                if count >= self.hold:
                    self._shown[check] = result
                    self._coming.pop(check, None)
                else:
                    self._coming[check] = (result.level, count)
            said[check] = self._shown[check]
        return said


def _most_said(results: list[R]) -> R:
    """The latest of the results whose level most of them had (of tied levels, the one said latest)."""
    counts = Counter(result.level for result in results)
    most = max(counts.values())
    return next(result for result in reversed(results) if counts[result.level] == most)


def settling(result: CheckResult) -> CheckResult:
    """A check of a new face or view not yet said: it passes and shows –."""
    return replace(result, level=PASS, state=SETTLING)


class LiveAnalyzer:
    def __init__(self, engine: ComplianceEngine, refresh_every: int = 30, hold: int = HOLD) -> None:
        """`hold`: analyses in a row a new level must come out of before it is shown (1: each analysis as it is)."""
        self.engine = engine
        self.refresh_every = refresh_every
        self.groups = engine.learned_groups()
        self._last: Analysis | None = None
        self._crop_age = 0
        self._turn = 0
        self._mask_age = 0
        self._scene: int | None = None
        self._levels: SteadyLevels[CheckResult] = SteadyLevels(hold, settling)
        # the last analysis sees someone (else) come: another scene, a face that jumped as far as another person's,
        # or one after at least AWAY_BEFORE_NEW analyses without a face (counted in _faceless)
        self.someone_new = False
        self._faceless = 0

    def analyze(self, frame: np.ndarray, scene: int = 0, codes: tuple[SeenCode, ...] = ()) -> Analysis:
        """`scene`: the camera's scene of this frame (Frame.scene); when it changes, everything is measured anew.
        `codes`: what the code scanner read in a recent frame of this scene (a live frame is never read twice)."""
        last = self._last if scene == self._scene else None
        self._scene = scene
        refresh = self.groups[self._turn % len(self.groups)] if self.groups else ()
        reuse = Reuse(
            crop=last.planned if last and self._crop_age < self.refresh_every - 1 else None,
            learned=last.learned if last else None,
            refresh=refresh,
            scene=last.scene if last else None,
            segment=self._mask_age >= 1,  # a mask serves two frames: the one it was taken on and the next
            codes=codes,
        )
        analysis = self.engine.analyze(frame, reuse=reuse)
        self._crop_age = self._crop_age + 1 if analysis.planned is not None and analysis.planned is reuse.crop else 0
        self._mask_age = self._mask_age + 1 if analysis.scene is not None and analysis.scene is reuse.scene else 0
        if refresh and analysis.learned is not None and analysis.learned.ran == refresh:
            self._turn += 1
        afresh = last is None or _another_face(last, analysis)
        came_back = last is not None and last.face is None and self._faceless < AWAY_BEFORE_NEW
        if afresh and not (came_back and self._levels.settled):  # the same face missed for a frame or two keeps
            self._levels.reset()  # what was said of it (a reset would blank the panel for HOLD analyses)
        self.someone_new = afresh and analysis.face is not None and not came_back
        self._faceless = 0 if analysis.face is not None else self._faceless + 1
        self._last = analysis
        return replace(analysis, checks=self._levels.steady(analysis.checks))


def _another_face(before: Analysis, now: Analysis) -> bool:
    """Someone (else) at the camera, measured afresh as the engine does: a face where there was none, or one that
    jumped as far as the learned scores' own rule for another person."""
    if now.face is None:
        return False
    return before.face is None or not moved_at_most(before.face.points, now.face.points, LEARNED_REUSE_TOLERANCE)
