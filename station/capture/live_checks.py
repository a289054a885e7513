"""The compliance checks on the live picture, in their own thread, on the newest frame only.

The preview never waits for them: when the checks are slower than the camera, frames
are skipped, never queued, so what the overlay says is at most one analysis old.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

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


class LiveChecks:
    def __init__(self, source: FrameSource, on_result: Callable[[LiveResult], None],
                 engine_factory: Callable[[], ComplianceEngine] = lambda: ComplianceEngine.load(video=True),
                 max_rate_hz: float = 12.0, sighting: Callable[[], Sighting | None] = lambda: None) -> None:
        """`sighting`: the code scanner's latest look (CodeScanner.latest), whose codes' boxes tell a phone in the
        photo; without a scanner the live picture does not look for codes (the shutter still does)."""
        self._source = source
        self._sighting = sighting
        self._on_result = on_result
        self._engine_factory = engine_factory
        self._interval = 1.0 / max_rate_hz
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared while paused
        self._running.set()
        self._calibration: BackdropColour | None = None  # a backdrop calibration made while running
        self._thread = threading.Thread(target=self._run, name="live checks", daemon=True)

    def start(self) -> "LiveChecks":
        self._thread.start()
        return self

    def pause(self, paused: bool) -> None:
        """Paused while the shutter measures its frame: that analysis replaces the live one, and on two cores
        the live checks would take the core it needs."""
        (self._running.clear if paused else self._running.set)()

    def calibrated(self, colour: BackdropColour) -> None:
        """A new backdrop calibration: the live engine (this thread's own) takes it before its next frame."""
        self._calibration = colour

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5.0)

    def _codes(self, frame: Frame) -> tuple[SeenCode, ...]:
        seen = self._sighting()
        if seen is None or seen.scene != frame.scene or abs(frame.timestamp - seen.timestamp) > SIGHTING_FRESH_S:
            return ()
        return seen.codes

    def _run(self) -> None:
        engine = self._engine_factory()  # mediapipe graphs belong to the thread that uses them
        analyzer = LiveAnalyzer(engine)
        last_id, applied = 0, None
        try:
            while not self._stop.is_set():
                if not self._running.wait(0.5):  # paused: asleep, not spinning on a frame it will not look at
                    continue
                frame = self._source.wait_newer(last_id, timeout=0.5)
                if frame is None or not self._running.is_set():
                    continue
                if self._calibration is not applied:
                    applied = self._calibration
                    engine.policy = applied.applied_to(engine.policy)
                last_id = frame.frame_id
                height, width = frame.image.shape[:2]
                analysis = analyzer.analyze(frame.image, frame.scene, self._codes(frame))
                self._on_result(LiveResult(frame.frame_id, (width, height), analysis, frame.scene))
                self._stop.wait(self._interval)
        finally:
            engine.close()
