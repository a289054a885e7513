"""The threads that look at the live picture (the code scanner, the ID-card scanner, the live checks): one loop for
all of them, so each rests the same way while a photo is taken or reviewed and none ever queues frames."""

from __future__ import annotations

import threading

from station.camera.source import Frame, FrameSource
from station.watcher import Watcher


class FrameWatcher(Watcher):
    """A thread that looks at the camera's newest frame at most `rate_hz` times a second (resting between looks,
    never at every frame) and not while paused; what it looks for is the subclass's `_look`. `_prepare` and
    `_finish` run on the thread before the first look and after the last (what belongs to the thread that uses it,
    such as mediapipe's graphs, is made and closed there)."""

    def __init__(self, source: FrameSource, rate_hz: float, name: str) -> None:
        super().__init__(name)
        self._source = source
        self._interval = 1.0 / rate_hz
        self._running = threading.Event()  # cleared while paused
        self._running.set()
        self._woken = threading.Event()  # set: the next look now, not after the rest

    def wake(self) -> None:
        """The next look at the newest frame now, not after the rest (the picture changed: someone came)."""
        self._woken.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()  # before the wake: woken first, the loop could see no stop yet and look (and rest) again
        self._woken.set()  # out of the rest at once
        super().stop(timeout)

    def pause(self, paused: bool) -> None:
        """Paused while a photo is being taken or reviewed: the live picture is not on screen then, and the shutter's
        work needs the cores."""
        (self._running.clear if paused else self._running.set)()

    def _run(self) -> None:
        self._prepare()
        try:
            last_id = 0
            while not self._stop.is_set():
                if not self._running.wait(0.5):  # paused: asleep, not spinning on a frame it will not look at
                    continue
                frame = self._source.wait_newer(last_id, timeout=0.5)
                if frame is None or not self._running.is_set():
                    continue
                last_id = frame.frame_id
                self._look(frame)
                if self._woken.wait(self._interval):
                    self._woken.clear()
        finally:
            self._finish()

    def _prepare(self) -> None:
        """On the thread, before the first look."""

    def _look(self, frame: Frame) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        """On the thread, after the last look (also when a look raised)."""
