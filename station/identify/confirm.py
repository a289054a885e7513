"""A student-card barcode read from one camera frame may name another student: Code 39 without its check character,
Codabar and Interleaved 2 of 5 carry no check at all, and a blurred or partly covered bar turns one digit into another
that is still a valid number, often a classmate's. So such a code read by the camera counts only once two looks
close in time read the same value and no look then read a value near it (the card's true number and its misread
alternate while a finger or glare moves across the bars). QR codes carry their own error correction and are not held
back, nor are Code 128 and EAN-13 (a check character catches a misread symbol); what a handheld scanner types is not
read here at all."""

from __future__ import annotations

from dataclasses import dataclass, field

CONFIRM_S = 5.0  # looks this close read one card held up (as long as a code is away before it has gone)
NEAR = 2  # edits apart: a misread changes one character, two in Interleaved 2 of 5 (digits are coded in pairs)


@dataclass
class LinearConfirmation:
    window_s: float = CONFIRM_S
    _reads: list[tuple[float, str]] = field(default_factory=list)  # (when, value) of earlier looks in the window

    def look(self, values: set[str], now: float) -> set[str]:
        """Of the unchecked values one look read, those confirmed: read by an earlier look in the window too, with no
        other value near it read there or in this look."""
        self._reads = [(at, value) for at, value in self._reads if now - at < self.window_s]
        before = {value for _, value in self._reads}
        seen = before | values
        confirmed = {value for value in values
                     if value in before and not any(other != value and near(other, value) for other in seen)}
        self._reads += [(now, value) for value in values]
        return confirmed


def near(a: str, b: str, limit: int = NEAR) -> bool:
    """At most `limit` insertions, deletions or substitutions apart."""
    if abs(len(a) - len(b)) > limit:
        return False
    row = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (char != other))
    return row[-1] <= limit
