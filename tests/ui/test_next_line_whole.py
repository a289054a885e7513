"""The line under the shutter (who is next, or that the roster is empty and how to import it) is read whole on a
photographer's laptop: on a fresh station, 名单是空的：请先导入名单（名单 → 导入名单…） ran under 下一位缺席（F3）
and the menu to use was cut off (seen on Xvfb at 1280x720; the side panel is as wide at 1366x768)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel, QWidget

from station.roster.importer import import_roster
from tests.ui.test_side_panel_fits import SIZES
from ui.main_window import MainWindow

# a long name (a Uyghur name written in Chinese) and a 12-digit student number: the longest "next" line
LONG_NEXT = ("学号,姓名,班级,采集码\n"
             "202101010101,阿卜杜热合曼·买买提依明,演示2101,DEMO0101\n")


def whole(label: QLabel, window: QWidget) -> bool:
    """Every character of the label in its own room (wrapped where it wraps), and that room inside the window."""
    room = label.contentsRect()
    flags = int(label.alignment()) | (int(Qt.TextWordWrap) if label.wordWrap() else 0)
    needed = label.fontMetrics().boundingRect(room, flags, label.text())
    inside = window.rect().adjusted(0, 0, 0, -window.statusBar().height())
    return (needed.width() <= room.width() and needed.height() <= room.height()
            and inside.contains(QRect(label.mapTo(window, QPoint(0, 0)), label.size())))


def test_the_empty_roster_line_and_a_long_next_name_are_read_whole(qtbot, themed, fresh_window: MainWindow,
                                                                    tmp_path: Path) -> None:
    window = fresh_window
    assert window.next_label.text().startswith(("名单是空的", "The roster is empty"))
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)  # the layouts settle
        assert whole(window.next_label, window), (window.next_label.text(), width, height, themed)
        assert window.absent_button.visibleRegion().boundingRect().size() == window.absent_button.size()
    roster = tmp_path / "roster.csv"
    roster.write_text(LONG_NEXT, encoding="utf-8")
    import_roster(window.session.station.db, roster)
    window._tick()  # noqa: SLF001 - the window's once-a-second refresh, now
    assert "阿卜杜热合曼·买买提依明" in window.next_label.text()
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(50)
        assert whole(window.next_label, window), (window.next_label.text(), width, height, themed)
        assert window.absent_button.isEnabled()
