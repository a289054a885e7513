"""The side panel's messages on a laptop's window show whole lines: at 1366x700 the F4 question and 林晓雯已于…拍摄过
（1 版），如需重拍… scrolled, and the second was cut through its first line (first-run walk s24, finding 19). The fold
now falls between two lines; the scroll bar says there is more (since s25 both are whole at those sizes: the fold is
seen on the shortest window the station allows)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel

from station.capture.workflow import REVIEW_AT_LEAST
from station.identify.frames import SeenCode
from tests.ui.test_identity_at_review import her_overridden_photo_in_review
from tests.ui.test_side_panel_fits import SIZES, in_sight


def lines(label: QLabel) -> tuple[int, float]:
    """How many lines the label's text wraps to at its width, and the height of one."""
    text = label.contentsRect()
    wrapped = label.fontMetrics().boundingRect(QRect(0, 0, text.width(), 10_000), Qt.TextWordWrap, label.text())
    count = round(wrapped.height() / label.fontMetrics().lineSpacing())
    return count, text.height() / count


def cut_through_a_line(label: QLabel, fold: int) -> bool:
    """Whether `fold` (y in the label's parent) falls inside one of the label's lines of text."""
    text = label.contentsRect().translated(label.pos())
    count, height = lines(label)
    if fold <= text.top() or fold >= text.bottom():
        return False
    into = (fold - text.top()) / height
    return abs(into - round(into)) * height > 1.5


def test_two_messages_show_whole_lines_on_a_laptop(qtbot, themed: str, make_window, frames: Path, station,
                                                   tmp_path: Path) -> None:
    window = her_overridden_photo_in_review(qtbot, make_window, frames, station, tmp_path)
    qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
    window.flow.accept()
    window.identify("DEMO0001")  # photographed before: 林晓雯已于…拍摄过（1 版），如需重拍…
    window.session.camera_code(SeenCode("DEMO0002", 0.13, (40, 60, 166, 166)))  # 陈浩然's phone held up: F4 asks
    qtbot.waitUntil(lambda: window.offer.text() != "")
    area = window.message_area
    for width, height in SIZES:  # the class now and the next student under the picture: room for both (s25)
        window.resize(width, height)
        qtbot.wait(50)
        assert in_sight(window.offer) and in_sight(window.message), (width, height)
    for width, _ in SIZES:  # as short as the window goes (a taskbar and a title bar on a small screen)
        window.resize(width, 0)
        qtbot.wait(50)
        height = window.height()
        viewport = area.viewport()
        fold = area.verticalScrollBar().value() + viewport.height()  # where the fold falls in the column
        assert in_sight(window.offer), (width, height)  # the question on top, whole
        assert not in_sight(window.message) and area.verticalScrollBar().isVisible()  # more, a scroll away
        for label in (window.offer, window.message):
            assert not cut_through_a_line(label, fold), (width, height, fold, label.geometry(), lines(label))
        assert viewport.height() > area.height() - lines(window.message)[1] - 8  # no more empty than a line
