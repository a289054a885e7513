"""A caught swap's review on a laptop's window shows the two photos it is judged against whole, above the buttons.
Seen on the s28 walk (Xvfb, xcb, English, 1280x680: /tmp/xv/y_zoom.png): 赵雨桐's code with 林晓雯's face, the
verdict's four lines and the notes' three left the photos beside 133 px, under their smallest 160: 再拍一张 and
确认保存 were drawn over the bottom of 林晓雯's photo and 赵雨桐's enrolment photo (26 px of each cut). The photos
beside shrink further instead."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPoint

from station.adapters.demo import DEMO_REFERENCES
from station.capture.reasons import OVERRIDE_REASONS
from tests.ui.test_identity_at_review import her_face_under_another_code, with_references
from tests.ui.reading import beside_shown
from tests.ui.test_side_panel_fits import SIZES


def test_a_swaps_photos_beside_stand_whole_above_the_buttons(qtbot, themed: str, make_window, frames: Path, station,
                                                             tmp_path: Path) -> None:
    with_references(station, tmp_path, {"2021010104": DEMO_REFERENCES / "2021010104.jpg"})
    window = make_window(frames)
    her_face_under_another_code(qtbot, window, "DEMO0004", OVERRIDE_REASONS[0].get(themed))  # 赵雨桐's code
    review = window.review
    assert len(beside_shown(review)) == 2  # 林晓雯's photo and 赵雨桐's enrolment photo
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        QCoreApplication.processEvents()
        buttons_top = min(b.mapTo(window, QPoint(0, 0)).y() for b in (review.retake_button, review.accept_button))
        for caption, view in review.beside:
            drawn = view.photo_rect().translated(view.mapTo(window, QPoint(0, 0)))
            assert drawn.bottom() < buttons_top, (themed, width, height, caption.text(), drawn, buttons_top)
            assert drawn.height() >= 120, (themed, width, height, drawn)  # still a face to compare, not a stamp
