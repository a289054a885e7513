"""The engine on a live preview: the two expensive steps are not repeated on every frame.

- The CHSI crop plan (10-30 ms: it segments the full frame again) is reused while the landmarks stay
  within the engine's motion tolerance of where it was planned, for at most `refresh_every` frames.
- The learned models (about 10 ms for all of them) run on every `learned_every`-th frame, and not on a
  frame that plans the crop again: their scores describe the person (glasses, a hat, closed eyes), so
  one frame later (33 ms at 30 fps) they still hold. A new face is always scored at once.
Everything else runs on every frame. The shutter's frame goes through ComplianceEngine.analyze, which
measures everything afresh.
"""

from __future__ import annotations

import numpy as np

from station.compliance.engine import ComplianceEngine
from station.compliance.results import Analysis, Reuse


class LiveAnalyzer:
    def __init__(self, engine: ComplianceEngine, refresh_every: int = 30, learned_every: int = 2) -> None:
        self.engine = engine
        self.refresh_every = refresh_every
        self.learned_every = learned_every
        self._last: Analysis | None = None
        self._crop_age = 0
        self._learned_age = 0

    def analyze(self, frame: np.ndarray) -> Analysis:
        last = self._last
        reuse = Reuse(
            crop=last.planned if last and self._crop_age < self.refresh_every - 1 else None,
            learned=last.learned if last else None,
            learned_due=self._learned_age >= self.learned_every - 1,
        )
        analysis = self.engine.analyze(frame, reuse=reuse)
        self._crop_age = self._crop_age + 1 if analysis.planned is not None and analysis.planned is reuse.crop else 0
        kept = analysis.learned is not None and analysis.learned is reuse.learned
        self._learned_age = self._learned_age + 1 if kept else 0
        self._last = analysis
        return analysis
