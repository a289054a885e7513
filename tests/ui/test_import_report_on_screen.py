"""The roster import's dialog opens small while it works and grows once the report is in: it stays whole on the
screen and over the window (seen on the walk: grown right and down from where it was centred, its bottom edge ran
off a 1366x768 laptop's screen, where a taskbar would hide its OK button)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from station.roster.importer import import_roster
from ui.roster_dialogs import ImportReportDialog


def test_the_grown_report_stays_on_the_screen_over_the_window(qtbot, station, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("学号,姓名,班级,身份证号\n2030001,甲,新班,110105194912310021\n2030002,,新班,\n", encoding="utf-8")
    window = QWidget()
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()
    window.setGeometry(free.adjusted(20, 20, -20, -20))
    window.show()
    qtbot.waitExposed(window)
    dialog = ImportReportDialog(None, window)  # as the window opens it: saying it works, before the report
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    small = dialog.frameGeometry()
    dialog.show_report(import_roster(station.db, path))
    assert dialog.table.rowCount() == 2
    qtbot.waitUntil(lambda: dialog.frameGeometry().height() > small.height(), timeout=1_000)
    grown = dialog.frameGeometry()
    assert free.contains(grown), (free, grown)
    centre, over = grown.center(), window.frameGeometry().center()
    assert abs(centre.x() - over.x()) <= 2 and abs(centre.y() - over.y()) <= 2, (centre, over)

