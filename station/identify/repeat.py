"""A code held in front of the camera is read many times a second: act on it once, and know when it has gone."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RepeatFilter:
    window_s: float = 5.0
    _last: dict[str, float] = field(default_factory=dict)

    def accept(self, payload: str, now: float) -> bool:
        """True the first time a payload is seen, and again once it has been away for window_s."""
        seen = self._last.get(payload)
        self._last[payload] = now
        return seen is None or now - seen >= self.window_s

    def still_seen(self, payload: str, now: float) -> None:
        """A sighting that is not to be acted on (a code in the background): a payload acted on stays in view (not
        `gone`), and one not yet acted on is still taken by `accept` when it comes close."""
        if payload in self._last:
            self._last[payload] = now

    def gone(self, now: float) -> list[str]:
        """The payloads not seen for window_s: they have left the picture (shown again, `accept` takes them again)."""
        away = [payload for payload, seen in self._last.items() if now - seen >= self.window_s]
        for payload in away:
            del self._last[payload]
        return away
