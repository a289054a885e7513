"""The engine on a live preview: the crop is planned again only when the face moves.

Every check runs on every frame, so the verdict follows the student at once (the learned models
take about 5 ms); only the CHSI crop plan (about 30 ms: it segments the full frame again) is reused
while the landmarks stay within the engine's motion tolerance of where it was planned, for at most
`refresh_every` frames in a row. The shutter's frame should go through ComplianceEngine.analyze.
"""

from __future__ import annotations

import numpy as np

from station.compliance.engine import ComplianceEngine
from station.compliance.results import Analysis, PlannedCrop


class LiveAnalyzer:
    def __init__(self, engine: ComplianceEngine, refresh_every: int = 30) -> None:
        self.engine = engine
        self.refresh_every = refresh_every
        self._last: PlannedCrop | None = None
        self._reused = 0

    def analyze(self, frame: np.ndarray) -> Analysis:
        reuse = self._last if self._reused < self.refresh_every - 1 else None
        analysis = self.engine.analyze(frame, reuse=reuse)
        if reuse is not None and analysis.planned is reuse:
            self._reused += 1
        else:
            self._last, self._reused = analysis.planned, 0
        return analysis
