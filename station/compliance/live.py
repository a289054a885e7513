"""The engine on a live preview: the three expensive steps are not repeated in full on every frame.

- The CHSI crop plan (5-10 ms: it levels and segments the head region) is reused while the landmarks stay
  within the engine's motion tolerance of where it was planned, for at most `refresh_every` frames.
- The person segmentation that finds the backdrop (about 5 ms) runs on every frame after one that reused
  its mask (so about every other frame); the frames between reuse it while the face stays within the same
  tolerance.
- The learned models (all of them together cost several times a face mesh: models/metrics.json,
  `time_per_face_all_models`) take turns on the frames that do not segment: each runs one turn of them
  (ComplianceEngine.learned_groups, each turn about one face model's cost) and the check scores blend the
  latest outputs of every model; a full round takes about two frames per turn (the README gives the
  shipped count). Their scores describe the person (glasses, a hat, an earring), which does not change
  between frames.
A frame that plans the crop again neither segments nor runs a turn. A new face is scored by every model
at once, and so is the first frame of another scene (the camera reconnected, a file camera's next picture):
nothing measured on one view is carried onto another, even with a face in about the same place. Everything
else (face mesh, detector, colour and light measures) runs on every frame. Codes in the photo are not read here: the
code scanner's latest look gives them (LiveChecks). The shutter's frame goes through
ComplianceEngine.analyze, which measures everything afresh.
"""

from __future__ import annotations

import numpy as np

from station.compliance.engine import ComplianceEngine
from station.compliance.results import Analysis, Reuse
from station.identify.frames import SeenCode


class LiveAnalyzer:
    def __init__(self, engine: ComplianceEngine, refresh_every: int = 30) -> None:
        self.engine = engine
        self.refresh_every = refresh_every
        self.groups = engine.learned_groups()
        self._last: Analysis | None = None
        self._crop_age = 0
        self._turn = 0
        self._mask_age = 0
        self._scene: int | None = None

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
        self._last = analysis
        return analysis
