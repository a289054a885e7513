"""Text on screen as a person reads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from station.i18n import WORD_JOINER

if TYPE_CHECKING:
    from ui.review_panel import ReviewPanel


def read(text: str) -> str:
    """`text` without the word joiners, drawn as nothing, that keep a name put into it on one line
    (station.i18n.Name)."""
    return text.replace(WORD_JOINER, "")


def beside_shown(review: "ReviewPanel") -> list[str]:
    """The captions of the photos the review shows beside the new one, in order."""
    return [caption.text() for caption, view in review.beside if view.isVisible()]
