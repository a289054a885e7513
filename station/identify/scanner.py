"""Watching the live camera for capture codes, off the UI thread and at a modest rate.

A plain zbar pass over a 1280x720 frame takes ~30 ms and the full set of fallbacks
(phones at an angle, dark mode) ~180 ms, while most frames show no code at all: so a
plain pass a few times a second, and the fallbacks only every few seconds, leave the
CPU to the preview and the compliance checks.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable

from station.camera.source import Frame, FrameSource
from station.identify.frames import SeenCode, Sighting, decode_codes
from station.identify.repeat import RepeatFilter


class FrameWatcher(ABC):
    """A thread that looks at the camera's newest frame at most `rate_hz` times a second (resting between looks,
    never at every frame) and not while paused; what it looks for is the subclass's `_look`."""

    def __init__(self, source: FrameSource, rate_hz: float, name: str) -> None:
        self._source = source
        self._interval = 1.0 / rate_hz
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared while paused
        self._running.set()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def pause(self, paused: bool) -> None:
        """Paused while a photo is being taken or reviewed: what is held up then means nothing."""
        (self._running.clear if paused else self._running.set)()

    def stop(self, wait_s: float = 2.0) -> None:
        self._stop.set()
        self._thread.join(wait_s)

    def _run(self) -> None:
        last_id = 0
        while not self._stop.is_set():
            if not self._running.wait(0.5):  # paused: asleep, not spinning on a frame it will not look at
                continue
            frame = self._source.wait_newer(last_id, timeout=0.5)
            if frame is None or not self._running.is_set():
                continue
            last_id = frame.frame_id
            self._look(frame)
            self._stop.wait(self._interval)

    @abstractmethod
    def _look(self, frame: Frame) -> None: ...


class CodeScanner(FrameWatcher):
    """`on_code(code)` once per code held up (again only after it was away for `away_s`); `on_gone(text)` once it
    has been out of sight that long (the phone put away: what it asked for is over). `latest`: what its latest look
    read, with the codes' boxes, for the live checks (a phone in the photo), read from their thread."""

    def __init__(self, source: FrameSource, on_code: Callable[[SeenCode], None],
                 on_gone: Callable[[str], None] = lambda _text: None, rate_hz: float = 3.0, thorough_every: int = 6,
                 away_s: float = 5.0) -> None:
        super().__init__(source, rate_hz, "code scanner")
        self._on_code, self._on_gone = on_code, on_gone
        self._thorough_every = thorough_every  # a phone at an angle may be read only by these: away_s spans several
        self._attempts = 0
        self._repeat = RepeatFilter(window_s=away_s)
        self.latest: Sighting | None = None

    def _look(self, frame: Frame) -> None:
        thorough = self._attempts % self._thorough_every == 0
        self._attempts += 1
        now = time.monotonic()
        codes = decode_codes(frame.image, thorough)
        self.latest = Sighting(frame.scene, frame.timestamp, tuple(codes))
        for code in codes:
            if self._repeat.accept(code.text, now):
                self._on_code(code)
        for text in self._repeat.gone(now):
            self._on_gone(text)
