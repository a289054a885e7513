"""The demo window, driven offscreen as a photographer would: scan, type, read the card."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from station.camera import open_camera
from station.context import Station
from station.demo import DEMO_DIR, prepare_demo
from ui.main_window import MainWindow


@pytest.fixture
def station(home: Path) -> Station:
    s = Station.open(home, "zh")
    prepare_demo(s)
    yield s
    s.close()


def make_window(qtbot, station: Station, frames: Path) -> MainWindow:
    source = open_camera(str(frames), fps=20).start()
    window = MainWindow(station, source, demo=True)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_capture_code_shown_to_the_camera_identifies_the_student(qtbot, station: Station, tmp_path: Path) -> None:
    frames = tmp_path / "frames"
    frames.mkdir()
    shutil.copy(DEMO_DIR / "qr" / "DEMO0002.jpg", frames)
    window = make_window(qtbot, station, frames)
    try:
        qtbot.waitUntil(lambda: window.card.name.text() == "陈浩然", timeout=10_000)
        assert window.card.values["student_no"].text() == "2021010102"
        assert window.card.values["id_number"].text() == "110101********1050"
        assert window.message.property("level") == "ok"
        assert window.preview.shown_frame_id > 0
    finally:
        window.close()
        window.source.stop()


def test_typing_a_student_number_and_enter(qtbot, station: Station) -> None:
    window = make_window(qtbot, station, DEMO_DIR / "kiosk")
    try:
        qtbot.keyClicks(window.code_input, "2021010201")
        qtbot.keyClick(window.code_input, Qt.Key_Return)
        assert window.card.name.text() == "孙明轩"
        assert window.code_input.text() == ""
        assert "不在当前时段" in window.warnings.text()  # 演示2102 is scheduled for the next hour
    finally:
        window.close()
        window.source.stop()


def test_unknown_code_keeps_the_current_student_and_says_why(qtbot, station: Station) -> None:
    window = make_window(qtbot, station, DEMO_DIR / "kiosk")
    try:
        window.identify("DEMO0001")
        window.identify("garbage\x07code")
        window.identify("NOT-A-CODE")
        assert window.card.name.text() == "林晓雯"
        assert "NOT-A-CODE" in window.message.text() and window.message.property("level") == "bad"
    finally:
        window.close()
        window.source.stop()


def test_import_report_dialog_lists_rejected_rows(qtbot, station: Station, tmp_path: Path) -> None:
    from station.roster.importer import import_roster
    from ui.roster_dialogs import ImportReportDialog

    path = tmp_path / "r.csv"
    path.write_bytes("学号,姓名,班级,身份证号\n2030001,甲,新班,110105194912310021\n2030002,乙,新班,\n".encode("gbk"))
    dialog = ImportReportDialog(import_roster(station.db, path))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == "2" and "校验位" in dialog.table.item(0, 2).text()


def test_schedule_dialog_saves_slots_and_refuses_an_end_before_the_start(qtbot, station: Station, monkeypatch) -> None:
    import datetime as dt

    from PySide6.QtCore import QDateTime
    from PySide6.QtWidgets import QMessageBox

    from station.roster import schedule
    from ui.roster_dialogs import ScheduleDialog

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))  # no modal box in a test
    dialog = ScheduleDialog(station)
    qtbot.addWidget(dialog)
    row = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())].index("演示2102")
    dialog.table.cellWidget(row, 1).setDateTime(QDateTime(dt.datetime(2030, 1, 2, 14, 0)))
    dialog.table.cellWidget(row, 2).setDateTime(QDateTime(dt.datetime(2030, 1, 2, 13, 0)))
    dialog.save()
    assert warnings and "演示2102" in warnings[0]
    dialog.table.cellWidget(row, 2).setDateTime(QDateTime(dt.datetime(2030, 1, 2, 15, 0)))
    dialog.save()
    slot = schedule.slot_of(station.db, "演示2102")
    assert (slot.starts_at, slot.ends_at) == (dt.datetime(2030, 1, 2, 14, 0), dt.datetime(2030, 1, 2, 15, 0))
