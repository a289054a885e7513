"""Watching the live camera for capture codes, off the UI thread and at a modest rate.

A plain zbar pass over a 1280x720 frame takes ~30 ms and the full set of fallbacks
(phones at an angle, dark mode) ~180 ms, while most frames show no code at all: so a
plain pass a few times a second, and the fallbacks only every few seconds, leave the
CPU to the preview and the compliance checks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from station.camera.source import FrameSource
from station.identify.frames import SeenCode, decode_codes
from station.identify.repeat import RepeatFilter


class CodeScanner:
    def __init__(self, source: FrameSource, on_code: Callable[[SeenCode], None], rate_hz: float = 3.0,
                 thorough_every: int = 6) -> None:
        self._source = source
        self._on_code = on_code
        self._interval = 1.0 / rate_hz
        self._thorough_every = thorough_every
        self._repeat = RepeatFilter()
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._thread = threading.Thread(target=self._run, name="code scanner", daemon=True)

    def start(self) -> "CodeScanner":
        self._thread.start()
        return self

    def pause(self, paused: bool) -> None:
        """Paused while a photo is being taken or reviewed: a code in view then means nothing."""
        (self._paused.set if paused else self._paused.clear)()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2.0)

    def _run(self) -> None:
        last_id = attempts = 0
        while not self._stop.is_set():
            frame = self._source.wait_newer(last_id, timeout=0.5)
            if frame is None or self._paused.is_set():
                continue
            last_id = frame.frame_id
            thorough = attempts % self._thorough_every == 0
            attempts += 1
            for code in decode_codes(frame.image, thorough):
                if self._repeat.accept(code.text, time.monotonic()):
                    self._on_code(code)
            self._stop.wait(self._interval)
