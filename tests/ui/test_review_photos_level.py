"""A retake's review shows the enrolment photo (学籍照片) and the photo it replaces (上一版照片) side by side. They
stood at different heights (first-run walk s24, finding 9: the enrolment photo's proportions are not the CHSI
photo's), as if one were larger: now both at one height, each in its own proportions, at every window size."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import answer_next_dialog, shoot
from tests.ui.test_identity_at_review import OVERRIDE, her_overridden_photo_in_review
from tests.ui.reading import beside_shown
from tests.ui.test_side_panel_fits import SIZES
from station.capture.workflow import REVIEW_AT_LEAST


def test_a_retakes_two_photos_beside_stand_at_one_height(qtbot, themed: str, make_window, frames: Path, station,
                                                         tmp_path: Path) -> None:
    window = her_overridden_photo_in_review(qtbot, make_window, frames, station, tmp_path)
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    window.flow.accept()
    window.identify("DEMO0001")  # photographed: F2, a reason, and the shutter again
    answer_next_dialog("学生要求重拍")
    window.flow.ask_retake()
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    review = window.review
    assert len(beside_shown(review)) == 2, beside_shown(review)  # 学籍照片, 上一版照片
    views = [view for _, view in review.beside]
    shapes = [view.pixmap().size() for view in views]
    assert abs(shapes[0].width() / shapes[0].height() - shapes[1].width() / shapes[1].height()) > 0.02  # unlike
    for width, height in ((1400, 860), *SIZES):
        window.resize(width, height)
        qtbot.wait(50)
        drawn = [view.photo_rect() for view in views]
        assert drawn[0].height() == drawn[1].height(), (width, height, drawn)
        for rect, shape in zip(drawn, shapes):  # each in its own proportions (to a pixel of rounding)
            assert abs(rect.width() - shape.width() * rect.height() / shape.height()) <= 1, (rect, shape)
            assert rect.height() >= 100  # still a face to compare
