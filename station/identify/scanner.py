"""Watching the live camera for capture codes, off the UI thread and at a modest rate.

A plain zbar pass over a 1280x720 frame takes ~30 ms and the full set of fallbacks
(phones at an angle, dark mode) ~180 ms, while most frames show no code at all: so a
plain pass a few times a second, and the fallbacks only every few seconds, leave the
CPU to the preview and the compliance checks. A student card's barcode with no check character counts only once
two looks agree on it (station/identify/confirm.py): the look after one that read it unconfirmed is a thorough one,
so a card read only by the fallbacks is confirmed a look later, not a few seconds later.
"""

from __future__ import annotations

from collections.abc import Callable

from station.camera.frame_watcher import FrameWatcher
from station.camera.source import Frame, FrameSource
from station.identify.confirm import LinearConfirmation
from station.identify.frames import HELD_UP_SHARE, SeenCode, Sighting, decode_codes
from station.identify.repeat import RepeatFilter


class CodeScanner(FrameWatcher):
    """`on_code(code)` once per code held up close (a barcode without a check once two looks agreed on it; again
    only after it was away for `away_s`; one seen first in the background, once it comes close); `on_gone(text)` once
    it has been out of sight that long (the phone put away: what it asked for is over). `latest`: what its latest look
    read, with the codes' boxes, for the live checks (a phone in the photo), read from their thread."""

    def __init__(self, source: FrameSource, on_code: Callable[[SeenCode], None],
                 on_gone: Callable[[str], None] = lambda _text: None, rate_hz: float = 3.0, thorough_every: int = 6,
                 away_s: float = 5.0) -> None:
        super().__init__(source, rate_hz, "code scanner")
        self._on_code, self._on_gone = on_code, on_gone
        self._thorough_every = thorough_every  # a phone at an angle may be read only by these: away_s spans several
        self._attempts = 0
        self._repeat = RepeatFilter(window_s=away_s)
        self._confirmation = LinearConfirmation(window_s=away_s)  # reads that far apart are one card held up
        self._unsure = False  # the last look read a barcode it could not confirm
        self.latest: Sighting | None = None

    def _look(self, frame: Frame) -> None:
        thorough = self._unsure or self._attempts % self._thorough_every == 0
        self._attempts += 1
        now = frame.timestamp
        codes = decode_codes(frame.image, thorough)
        self.latest = Sighting(frame.scene, frame.timestamp, tuple(codes))
        confirmed = self._confirmation.look({code.text for code in codes if code.unchecked}, now)
        # the next look is thorough, but not every look while a misread goes on alternating with the true value
        self._unsure = not self._unsure and any(code.unchecked and code.text not in confirmed for code in codes)
        for code in codes:
            if code.width_share < HELD_UP_SHARE:  # in the background: the session ignores it, and it must not use up
                self._repeat.still_seen(code.text, now)  # the code's one hand-on before it is held up close
            elif (not code.unchecked or code.text in confirmed) and self._repeat.accept(code.text, now):
                self._on_code(code)
        for text in self._repeat.gone(now):
            self._on_gone(text)
