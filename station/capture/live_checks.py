"""The compliance checks on the live picture, in their own thread, on the newest frame only.

The preview never waits for them: when the checks are slower than the camera, frames
are skipped, never queued, so what the overlay says is at most one analysis old.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from station.camera.frame_watcher import FrameWatcher
from station.camera.source import Frame, FrameSource
from station.compliance.calibration import BackdropColour
from station.compliance.engine import ComplianceEngine
from station.compliance.live import LiveAnalyzer
from station.compliance.results import Analysis
from station.identify.frames import SeenCode, Sighting

# The code scanner looks about three times a second: a look older than this, or of another scene, says nothing about
# the frame being checked (the scanner rested, or the view changed).
SIGHTING_FRESH_S = 1.0


@dataclass(frozen=True)
class LiveResult:
    frame_id: int
    image_size: tuple[int, int]  # (width, height) of the analysed frame
    analysis: Analysis
    scene: int = 0  # the analysed frame's scene: drawn only over frames of the same scene
    someone_new: bool = False  # another scene, or someone (else) come to the camera: nothing said of the last holds


class LiveChecks(FrameWatcher):
    """The compliance engine on the newest frame, at most `max_rate_hz` times a second; the engine is made and closed
    on this thread (mediapipe's graphs belong to the thread that uses them)."""

    def __init__(self, source: FrameSource, on_result: Callable[[LiveResult], None],
                 engine_factory: Callable[[], ComplianceEngine] = lambda: ComplianceEngine.load(video=True),
                 max_rate_hz: float = 12.0, sighting: Callable[[], Sighting | None] = lambda: None) -> None:
        """`sighting`: the code scanner's latest look (CodeScanner.latest), whose codes' boxes tell a phone in the
        photo; without a scanner the live picture does not look for codes (the shutter still does)."""
        super().__init__(source, max_rate_hz, "live checks")
        self._sighting = sighting
        self._on_result = on_result
        self._engine_factory = engine_factory
        self._engine: ComplianceEngine | None = None
        self._analyzer: LiveAnalyzer | None = None
        self._calibration: BackdropColour | None = None  # a backdrop calibration made while running
        self._applied: BackdropColour | None = None  # the one the engine has taken

    def calibrated(self, colour: BackdropColour) -> None:
        """A new backdrop calibration: the live engine (this thread's own) takes it before its next frame."""
        self._calibration = colour

    def _codes(self, frame: Frame) -> tuple[SeenCode, ...]:
        seen = self._sighting()
        if seen is None or seen.scene != frame.scene or abs(frame.timestamp - seen.timestamp) > SIGHTING_FRESH_S:
            return ()
        return seen.codes

    def _prepare(self) -> None:
        self._engine = self._engine_factory()
        self._analyzer = LiveAnalyzer(self._engine)

    def _look(self, frame: Frame) -> None:
        if self._calibration is not self._applied:
            self._applied = self._calibration
            self._engine.policy = self._applied.applied_to(self._engine.policy)
        height, width = frame.image.shape[:2]
        analysis = self._analyzer.analyze(frame.image, frame.scene, self._codes(frame))
        self._on_result(LiveResult(frame.frame_id, (width, height), analysis, frame.scene, self._analyzer.someone_new))

    def _finish(self) -> None:
        if self._engine is not None:
            self._engine.close()
