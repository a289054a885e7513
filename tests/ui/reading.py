"""Text on screen as a person reads it."""

from __future__ import annotations

from station.i18n import WORD_JOINER


def read(text: str) -> str:
    """`text` without the word joiners, drawn as nothing, that keep a name put into it on one line
    (station.i18n.Name)."""
    return text.replace(WORD_JOINER, "")
