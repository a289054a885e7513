"""The review's notes on a laptop's window: the override's reason and the question to look at once more are read
whole. Seen on the walk (1366x768, the station's fonts): 林晓雯's override, reason and 露齿 question wrapped to four
lines in a box three lines tall, cut at 露齿（请在照片上再 with the top of a fourth line showing; in English the recorded
reason itself was scrolled out of sight. The notes are worded to fit; the photos beside stay in sight."""

from __future__ import annotations

from pathlib import Path

from tests.ui.test_identity_at_review import OVERRIDE, her_overridden_photo_in_review, in_sight
from tests.ui.test_side_panel_fits import SIZES


def test_an_overridden_photos_notes_are_read_whole(qtbot, themed: str, make_window, frames: Path, station,
                                                   tmp_path: Path) -> None:
    window = her_overridden_photo_in_review(qtbot, make_window, frames, station, tmp_path)
    review = window.review
    notes = review.notes.text()
    assert OVERRIDE in notes and ("露齿" in notes or "teeth" in notes.lower())  # the reason, and the question
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        viewport = review.notes_area.viewport()
        assert viewport.height() >= review.notes.heightForWidth(viewport.width()), (width, height, notes)
        assert review.beside_shown()  # her enrolment photo beside the new one
        shown = (view for _, view in review.beside if view.isVisible())
        for widget in (review.identity, review.values["name"], *shown):
            assert in_sight(widget, window), (widget, width, height)
