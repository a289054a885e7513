"""Watching a chip reader off the UI thread: a card laid on it is reported once, a reader that is
unplugged is said and reopened with backoff, so the window only shows what it is told.

The card's number is matched on the caller's thread (`match_card`): the station database belongs
to the thread that opened it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from station.i18n import Text
from station.identify.idcard_protocol import CardText
from station.identify.idcard_reader import CardPoller, ReaderError
from station.identify.repeat import RepeatFilter
from station.watcher import Watcher

MSG_READY = Text("身份证阅读器已就绪", "ID card reader ready")


class ChipWatcher(Watcher):
    """Polls `open_reader()`'s reader every `interval_s`; `on_card(card)` once per card laid on it (again only
    after it was away for the repeat window), `on_gone(id_number)` once it has been off the reader that long,
    `on_state(text, ok)` when the reader comes or goes."""

    def __init__(self, open_reader: Callable[[], CardPoller], on_card: Callable[[CardText], None],
                 on_state: Callable[[Text, bool], None], interval_s: float = 0.3, max_backoff_s: float = 5.0,
                 on_gone: Callable[[str], None] = lambda _number: None) -> None:
        super().__init__("ID card reader")
        self._open_reader = open_reader
        self._on_card, self._on_state, self._on_gone = on_card, on_state, on_gone
        self._interval, self._max_backoff = interval_s, max_backoff_s
        self._repeat = RepeatFilter(window_s=3.0)

    def _run(self) -> None:
        backoff = self._interval
        while not self._stop.is_set():
            try:
                reader = self._open_reader()
            except ReaderError as exc:
                self._on_state(exc.text, False)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self._max_backoff)
                continue
            self._on_state(MSG_READY, True)
            backoff = self._interval
            try:
                self._watch(reader)
            except ReaderError as exc:
                self._on_state(exc.text, False)
            finally:
                reader.close()

    def _watch(self, reader: CardPoller) -> None:
        while not self._stop.wait(self._interval):
            card, now = reader.poll(), time.monotonic()
            if card is not None and self._repeat.accept(card.id_number, now):
                self._on_card(card)
            for number in self._repeat.gone(now):  # a card taken off the reader, away for the window: what it asked
                self._on_gone(number)  # for is over
