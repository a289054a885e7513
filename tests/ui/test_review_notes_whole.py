"""The review's notes on a laptop's window: the override's reason and the question to look at once more are read
whole. Seen on the walk (1366x768, the station's fonts): 林晓雯's override, reason and 露齿 question wrapped to four
lines in a box three lines tall, cut at 露齿（请在照片上再 with the top of a fourth line showing; in English the recorded
reason itself was scrolled out of sight. The notes are worded to fit; the photos beside stay in sight."""

from __future__ import annotations

from pathlib import Path

from station.capture.reasons import offered
from station.i18n import Text
from tests.ui.test_identity_at_review import OVERRIDE, her_overridden_photo_in_review, in_sight
from tests.ui.reading import beside_shown
from tests.ui.test_side_panel_fits import SIZES


def test_an_overridden_photos_notes_are_read_whole(qtbot, themed: str, make_window, frames: Path, station,
                                                   tmp_path: Path) -> None:
    window = her_overridden_photo_in_review(qtbot, make_window, frames, station, tmp_path)
    review = window.review
    notes = review.notes.text()
    assert offered(OVERRIDE).get(themed) in notes and ("露齿" in notes or "teeth" in notes.lower())  # reason, question
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        viewport = review.notes_area.viewport()
        assert viewport.height() >= review.notes.heightForWidth(viewport.width()), (width, height, notes)
        assert beside_shown(review)  # her enrolment photo beside the new one
        shown = (view for _, view in review.beside if view.isVisible())
        for widget in (review.identity, review.values["name"], *shown):
            assert in_sight(widget, window), (widget, width, height)


def test_a_swaps_notes_are_read_whole_in_english_too(qtbot, make_window, frames: Path, station,
                                                     tmp_path: Path) -> None:
    """The swap's two-line verdict above takes room from the notes: 赵雨桐 shot with 林晓雯's face already saved, in
    English on a 1280x680 window, the override's reason and the question to look again read whole, a line each as in
    Chinese (worded "Have another look at the photo: teeth showing", it wrapped onto a fourth line, which scrolled on
    the demo's window)."""
    from PySide6.QtCore import QCoreApplication

    from station.capture.reasons import OVERRIDE_REASONS
    from tests.ui.conftest import station_look
    from tests.ui.test_identity_at_review import her_face_under_another_code, with_references
    from station.adapters.demo import DEMO_REFERENCES
    from ui.i18n import language, set_language

    before = language()
    set_language("en")
    try:
        with station_look():
            with_references(station, tmp_path, {"2021010104": DEMO_REFERENCES / "2021010104.jpg"})
            window = make_window(frames)
            reason = OVERRIDE_REASONS[0].en  # "checked by eye: a false alarm", as picked from the English list
            her_face_under_another_code(qtbot, window, "DEMO0004", reason)  # 赵雨桐's code
            review = window.review
            assert "already photographed as" in review.identity.text() and "teeth" in review.notes.text()
            window.resize(1280, 680)
            qtbot.wait(50)
            QCoreApplication.processEvents()
            viewport = review.notes_area.viewport()
            needed = review.notes.heightForWidth(viewport.width())
            assert viewport.height() >= needed, review.notes.text()
            # a line a note, as the Chinese: the fourth line of a wrapped note left the notes a scroll bar away
            margins = review.notes.contentsMargins()
            assert needed <= 3 * review.notes.fontMetrics().lineSpacing() + margins.top() + margins.bottom()
    finally:
        set_language(before)


def test_a_phone_and_a_smile_overridden_are_named_as_their_chips_name_them(qtbot, themed: str, make_window,
                                                                          tmp_path: Path, station) -> None:
    """s30 Xvfb walk (the demo, English, 1280x680): 林晓雯 holding up her phone, her smile and the phone overridden:
    the notes said the instructions read out before the shutter, "Failed: a phone or code is in the photo: move it out
    of the picture; please close your mouth", then the reason and the two questions, six lines in a box of four: the
    questions scrolled out of sight. The failed checks are named as their chips and the questions name them."""
    import shutil

    from station.adapters.demo import DEMO_DIR
    from station.capture.reasons import OVERRIDE_REASONS
    from station.compliance.messages import TITLES
    from tests.ui.conftest import answer_next_dialog, shoot
    from ui.i18n import t

    frames = tmp_path / "camera"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "qr" / "DEMO0001.jpg", frames)  # the demo's own frame: her phone held up under her chin
    window = make_window(frames)
    window.resize(1280, 680)
    window.identify("DEMO0001")
    answer_next_dialog(OVERRIDE_REASONS[0].get(themed))
    shoot(qtbot, window)
    review = window.review
    failed = [check for check, _ in review.checked.problems]
    assert {"code_in_photo", "mouth_open"} <= set(failed)
    first = review.notes.text().split("\n")[0]
    assert first == t(Text("未通过：", "Failed: ")) + t(Text("、", ", ")).join(t(TITLES[check]) for check in failed)
    qtbot.wait(50)
    viewport = review.notes_area.viewport()
    assert viewport.height() >= review.notes.heightForWidth(viewport.width()), (themed, review.notes.text())
