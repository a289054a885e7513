"""The caption over the other student's photo at a caught swap reads as two whole lines, whose photo and then their
number: it was "林晓雯（2021010101）的照片", which the review's narrow column broke as "林晓雯（2021010101）" over "的照片"
(seen on Xvfb at 1366x768 and 1280x720)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel

from station.adapters.demo import DEMO_REFERENCES
from station.capture.workflow import REVIEW_AT_LEAST
from tests.ui.conftest import answer_next_dialog, shoot
from tests.ui.test_identity_at_review import OVERRIDE, station_theme, with_references  # noqa: F401 - a fixture
from tests.ui.test_side_panel_fits import SIZES


def lines(label: QLabel) -> list[str]:
    """The label's text as Qt breaks it at its width."""
    layout = QTextLayout(label.text(), label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    broken = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(label.contentsRect().width())
        broken.append(label.text()[line.textStart():line.textStart() + line.textLength()].strip())
    layout.endLayout()
    return broken


def test_the_other_students_photo_is_captioned_in_whole_lines(qtbot, station_theme, make_window,  # noqa: F811
                                                              frames: Path, station, tmp_path: Path) -> None:
    with_references(station, tmp_path, {"2021010103": DEMO_REFERENCES / "2021010103.jpg"})
    window = make_window(frames)
    window.identify("DEMO0001")
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    window.flow.accept()
    window.identify("DEMO0003")  # 王思远's code, 林晓雯 at the camera again
    answer_next_dialog(OVERRIDE)
    shoot(qtbot, window)
    caption = next(label for label, view in window.review.beside if view.isVisible())
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        assert lines(caption) == ["林晓雯的照片", "（2021010101）"], (width, height)
