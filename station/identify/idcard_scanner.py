"""Watching the live camera for a resident ID card held up to it, on a thread of its own at a low rate.

Reading a card costs a few tenths of a CPU-second (idcard_ocr), so the scanner looks at about one frame a
second, never at every frame, and rests while a photo is taken or reviewed; a frame with no long text line
large enough to be a card held up costs only the detector's small look (~0.05 CPU-s). The OCR's models load
on this thread at its first look, so the window opens without waiting for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from station.camera.source import Frame, FrameSource
from station.identify.repeat import RepeatFilter
from station.camera.frame_watcher import FrameWatcher

if TYPE_CHECKING:
    from station.identify.idcard_ocr import CardOcr, CardSight


class CardScanner(FrameWatcher):
    """`on_card(sight)` once per card held up (again only after it was away for the repeat window); `on_gone(number)`
    once it has been out of sight that long."""

    def __init__(self, source: FrameSource, on_card: Callable[["CardSight"], None], make_ocr: Callable[[], "CardOcr"],
                 on_gone: Callable[[str], None] = lambda _number: None, rate_hz: float = 1.0) -> None:
        super().__init__(source, rate_hz, "ID card scanner")
        self._on_card, self._on_gone = on_card, on_gone
        self._make_ocr = make_ocr
        self._ocr: CardOcr | None = None
        self._repeat = RepeatFilter()

    def _look(self, frame: Frame) -> None:
        if self._ocr is None:
            self._ocr = self._make_ocr()
        sight = self._ocr.read_card(frame.image)
        now = time.monotonic()
        if sight is not None and self._repeat.accept(sight.id_number, now):
            self._on_card(sight)
        for number in self._repeat.gone(now):
            self._on_gone(number)
