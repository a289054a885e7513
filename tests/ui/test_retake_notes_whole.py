"""A retake's review on a laptop's window: the retake's reason, the override's and the question to look at once more
are read whole, with the enrolment photo and the replaced photo beside. Seen on the walk (1280x680, Xvfb, the station's
fonts): 林晓雯 retaken (照片不是本人) with her smile overridden gave four lines of notes in a box three lines tall: the
fourth, 请在照片上再看一眼：露齿, was cut through the middle, one scroll away."""

from __future__ import annotations

from pathlib import Path

from station.capture.reasons import RETAKE_REASONS, offered
from tests.ui.conftest import answer_next_dialog, shoot
from tests.ui.test_identity_at_review import OVERRIDE, her_overridden_photo_in_review, in_sight
from tests.ui.test_side_panel_fits import SIZES

NOT_THE_STUDENT = next(r for r in RETAKE_REASONS if r.zh == "照片不是本人")


def test_a_retakes_notes_are_read_whole_beside_both_photos(qtbot, themed: str, make_window, frames: Path,
                                                           station, tmp_path: Path) -> None:
    window = her_overridden_photo_in_review(qtbot, make_window, frames, station, tmp_path)
    qtbot.waitUntil(window.session.review_settled, timeout=5_000)
    window.flow.accept()
    window.identify("DEMO0001")
    answer_next_dialog(NOT_THE_STUDENT.get(themed))
    window.flow.ask_retake()
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    review = window.review
    notes = review.notes.text()
    assert NOT_THE_STUDENT.get(themed) in notes and offered(OVERRIDE).get(themed) in notes  # each as the window says it
    assert "露齿" in notes or "teeth" in notes
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        viewport = review.notes_area.viewport()
        assert viewport.height() >= review.notes.heightForWidth(viewport.width()), (width, height, notes)
        shown = [view for _, view in review.beside if view.isVisible()]
        assert len(shown) == 2  # the enrolment photo and the replaced one
        for widget in (review.identity, review.values["name"], *shown, review.accept_button):
            assert in_sight(widget, window), (widget, width, height)
