"""The engine on a live preview: the slow, face-only part runs again only when the face moves.

The mesh, detector, person mask and the image checks run on every frame, so the verdict follows
the student at once; the crop plan and the learned models are reused while the landmarks stay
within the engine's motion tolerance of where they were measured, for at most `refresh_every`
frames in a row.
"""

from __future__ import annotations

import numpy as np

from station.compliance.engine import ComplianceEngine
from station.compliance.results import Analysis, FaceModelResults


class LiveAnalyzer:
    def __init__(self, engine: ComplianceEngine, refresh_every: int = 5) -> None:
        self.engine = engine
        self.refresh_every = refresh_every
        self._last: FaceModelResults | None = None
        self._reused = 0

    def analyze(self, frame: np.ndarray) -> Analysis:
        reuse = self._last if self._reused < self.refresh_every - 1 else None
        analysis = self.engine.analyze(frame, reuse=reuse)
        if reuse is not None and analysis.face_models is reuse:
            self._reused += 1
        else:
            self._last, self._reused = analysis.face_models, 0
        return analysis
