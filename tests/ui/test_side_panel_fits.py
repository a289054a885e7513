"""The side panel whole on a photographer's laptop (1366x768, or 1920x1080 at 150 % scaling: 1280x720, less the
taskbar): the student card without scrolling (whose turn, the ID number to compare with the card, paid or not),
whatever messages pile up below it, every check's name uncut, the shutter and the next student in the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from station.camera.source import CameraState
from station.compliance.messages import TITLES
from station.identify.frames import SeenCode
from station.compliance.results import CHECK_IDS, FAIL, LOOK, PASS, Analysis, CheckResult
from station.roster.importer import import_roster
from tests.ui.reading import read

SIZES = ((1366, 700), (1280, 680))
# 林晓雯 again, with a college and a major as long as real ones get: both wrap in their half of the card
LONG_NAMES = ("学号,姓名,性别,身份证号,学院,专业名称,班级,层次,采集码\n"
              "2021010101,林晓雯,女,110101200302111026,计算机科学与技术学院（软件学院）,"
              "计算机科学与技术（中外合作办学）,演示2101,本科,DEMO0001\n")
# four-character names (compound surnames) at the camera and in the F4 question: the question's longest form
FOUR_CHARACTERS = ("学号,姓名,性别,身份证号,学院,专业名称,班级,层次,采集码\n"
                   "2021010101,欧阳晓雯,女,110101200302111026,计算机科学与技术学院（软件学院）,"
                   "计算机科学与技术（中外合作办学）,演示2101,本科,DEMO0001\n"
                   "2021010103,司马思远,男,110101200304131071,示范学院,软件工程,演示2101,本科,DEMO0003\n")


def place(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def enclosing_scroll(widget: QWidget) -> QScrollArea | None:
    """The scrolling area the widget sits in (None: it never scrolls)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def in_sight(widget: QWidget) -> bool:
    """Wholly on screen: not cut by the window's edge nor by a scrolling area's fold."""
    return widget.isVisible() and widget.visibleRegion().boundingRect().size() == widget.size()


def fits(label: QLabel) -> bool:
    return label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()


def answered(levels: dict[str, str]) -> Analysis:
    """A face measured with these answers (the board reads only the answers)."""
    return Analysis(1, None, None, None, {check: CheckResult(0.5, level, TITLES[check])
                                          for check, level in levels.items()})


def test_the_whole_card_and_the_shutter_fit_a_laptop_window(qtbot, themed, make_window, frames: Path,
                                                             station, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(LONG_NAMES, encoding="utf-8")
    assert import_roster(station.db, roster).updated == 1
    window = make_window(frames)
    window.identify("DEMO0001")  # not photographed, not paid: the fee in red
    board = window.check_board
    assert enclosing_scroll(window.card) is None
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)  # the layouts settle
        assert window.size().toTuple() == (width, height)  # no minimum size made the window taller than the screen
        assert window.card.values["college"].full_text.startswith("计算机科学与技术学院")
        assert window.card.values["id_number"].text() == "110101********1026"
        assert in_sight(window.card), (width, height, themed)
        inside = window.rect().adjusted(0, 0, 0, -window.statusBar().height())
        for widget in (window.shutter_button, window.next_label, window.absent_button):
            assert inside.contains(place(widget, window)), (widget, width, height)
        assert window.shutter_button.height() >= 64
    # the next student's phone held up: the F4 question takes two lines, and the fee is still in sight
    window.session.camera_code(SeenCode("DEMO0002", 0.13, (40, 60, 166, 166)))
    qtbot.waitUntil(lambda: "F4" in window.offer.text())
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        fee = window.card.values["fee"]
        assert fee.visibleRegion().boundingRect().size() == fee.size(), (width, height, themed)
    # every name bold (failing), all passing (the longest summary), two two-digit counts side by side
    mixed = {check: (LOOK, FAIL)[index % 2] for index, check in enumerate(CHECK_IDS)}
    for levels in (dict.fromkeys(CHECK_IDS, FAIL), dict.fromkeys(CHECK_IDS, PASS), mixed):
        board.show_analysis(answered(levels))
        assert [chip.full_text for chip in board.chips.values() if chip.text() != chip.full_text] == []
        assert fits(board.problems) and fits(board.questions), (board.problems.text(), board.questions.text())


def test_the_card_stays_whole_when_the_messages_pile_up(qtbot, themed, make_window, frames: Path, station,
                                                        tmp_path: Path) -> None:
    """The F4 question, an absent mark's message and its undo button all at once (seen on a 1366x768 laptop: the
    card shrank to its name and one row, and the fee was out of sight): the card stays whole, out of any scrolling
    area, and the question stays whole too; what does not fit scrolls in the messages' own area."""
    roster = tmp_path / "roster.csv"
    roster.write_text(FOUR_CHARACTERS, encoding="utf-8")
    assert import_roster(station.db, roster).updated == 2
    window = make_window(frames)
    window.identify("DEMO0001")
    window.session.camera_code(SeenCode("DEMO0003", 0.13, (40, 60, 166, 166)))  # 司马思远's phone held up

    def shown(label: QLabel) -> str:
        return read(label.text())

    qtbot.waitUntil(lambda: "司马思远" in shown(window.offer) and "欧阳晓雯" in shown(window.offer))
    qtbot.keyClick(window.code_input, Qt.Key_F3)  # the next student (陈浩然) is absent
    qtbot.waitUntil(lambda: window.undo_absent_button.isVisible())
    assert "陈浩然" in shown(window.message)
    card = window.card
    essentials = (card.name, card.values["student_no"], card.values["id_number"], card.values["status"],
                  card.values["fee"])
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        # a loaded test machine can pause the file camera: its longer state text may take a second status line
        qtbot.waitUntil(lambda: window.session.source.state is CameraState.LIVE, timeout=10_000)
        assert window.size().toTuple() == (width, height)
        for widget in essentials:
            assert enclosing_scroll(widget) is None
            assert in_sight(widget), (widget.objectName(), widget.text(), width, height, themed)
        for widget in (window.offer, window.undo_absent_button, window.shutter_button, window.absent_button):
            assert in_sight(widget), (widget.text(), width, height, themed)
        # the absent message is below the question, in sight or a scroll away
        area = window.message_area
        assert enclosing_scroll(window.message) is area
        assert in_sight(window.message) or area.verticalScrollBar().isVisible()
