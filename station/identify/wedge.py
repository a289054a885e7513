"""Telling a handheld keyboard-wedge scanner from a person typing.

A wedge scanner "types" the whole code in a burst (a few ms per key) and ends with
Enter; people type at 100 ms or more per key. The UI feeds key presses here and asks,
at Enter, whether the buffer was scanned or typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_GAP_MS = 50.0  # the slowest scanner we accept still sends keys faster than this
MIN_LENGTH = 4


@dataclass(frozen=True)
class KeyInput:
    text: str
    scanned: bool


@dataclass
class WedgeDetector:
    max_gap_ms: float = MAX_GAP_MS
    min_length: int = MIN_LENGTH
    _chars: list[str] = field(default_factory=list)
    _times: list[float] = field(default_factory=list)

    def key(self, char: str, time_ms: float) -> None:
        if self._times and time_ms - self._times[-1] > 1000:
            self.reset()  # a pause of a second starts a new entry
        self._chars.append(char)
        self._times.append(time_ms)

    def enter(self, time_ms: float) -> KeyInput | None:
        """The finished entry, or None when nothing was typed."""
        if not self._chars:
            return None
        times = self._times + [time_ms]
        gaps = [b - a for a, b in zip(times, times[1:])]
        scanned = len(self._chars) >= self.min_length and max(gaps) <= self.max_gap_ms
        entry = KeyInput("".join(self._chars), scanned)
        self.reset()
        return entry

    def burst(self, time_ms: float) -> str:
        """At an Enter in a box meant for typing (a reason): the keys at its end that came at a scanner's pace, the
        Enter included, when there are at least min_length of them (a code scanned into the box, perhaps after
        words typed); "" when a person typed the end. The entry is over."""
        times = self._times + [time_ms]
        count = 0
        while count < len(self._chars) and times[-1 - count] - times[-2 - count] <= self.max_gap_ms:
            count += 1
        tail = "".join(self._chars[len(self._chars) - count:]) if count >= self.min_length else ""
        self.reset()
        return tail

    def reset(self) -> None:
        self._chars.clear()
        self._times.clear()
