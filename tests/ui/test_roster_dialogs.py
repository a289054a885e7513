"""Importing the roster and editing class slots from the window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QMessageBox

from station.adapters.demo import DEMO_DIR
from station.roster import schedule
from station.roster.importer import import_roster
from tests.roster.test_uncalculated_formulas import write_roster
from ui.i18n import language, set_language
from ui.roster_dialogs import REASON, ImportReportDialog, ScheduleDialog


def slot_editor(station) -> ScheduleDialog:
    """The dialog as the window opens it: the session's class_slots and save_slots, on the test's station."""
    return ScheduleDialog(schedule.class_slots(station.db, dt.datetime.now()),
                          lambda chosen, cleared: schedule.save_slots(station.db, chosen, cleared))


def test_import_report_dialog_lists_rejected_rows(qtbot, station, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("学号,姓名,班级,身份证号\n2030001,甲,新班,110105194912310021\n2030002,乙,新班,\n".encode("gbk"))
    dialog = ImportReportDialog(import_roster(station.db, path))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == "第 2 行" and "校验位" in dialog.table.item(0, REASON).text()


def test_import_report_shows_each_reason_whole_and_read_only(qtbot, station, tmp_path: Path) -> None:
    """A reason says how to fix the row (the Excel one ends with what to do): it is wrapped, never cut."""
    path = tmp_path / "r.csv"
    path.write_text("学号,姓名,班级\n2.02102E+09,甲,新班\n", encoding="utf-8")
    dialog = ImportReportDialog(import_roster(station.db, path))
    qtbot.addWidget(dialog)
    dialog.resize(420, 300)  # narrower than the reason
    dialog.show()
    qtbot.waitExposed(dialog)
    table, reason = dialog.table, dialog.table.item(0, REASON).text()
    assert reason.endswith("请把该列设为文本后重新导出")
    width = table.columnWidth(REASON) - 2 * table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) - 2
    needed = table.fontMetrics().boundingRect(0, 0, width, 10_000, Qt.TextWordWrap, reason).height()
    assert needed > table.fontMetrics().height()  # wrapped onto more lines
    qtbot.waitUntil(lambda: table.rowHeight(0) >= needed, timeout=1_000)  # all shown, once the columns settled
    assert table.verticalHeader().isHidden() and table.editTriggers() == table.EditTrigger.NoEditTriggers


def test_a_reason_that_fits_on_one_line_takes_one_line(qtbot, station, tmp_path: Path) -> None:
    """Seen on the walk: a one-line reason in a row about five lines tall, sized while its column was still narrow."""
    path = tmp_path / "r.csv"
    path.write_text("学号,姓名,班级\n2.02102E+09,甲,新班\n", encoding="utf-8")
    dialog = ImportReportDialog(import_roster(station.db, path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table, reason = dialog.table, dialog.table.item(0, REASON).text()
    assert table.fontMetrics().horizontalAdvance(reason) < table.columnWidth(REASON) - 20  # one line at this width
    qtbot.waitUntil(lambda: table.rowHeight(0) < 2 * table.fontMetrics().height(), timeout=1_000)


def test_the_english_summary_reads_right_for_one_rejected_row(qtbot, station, tmp_path: Path) -> None:
    """Seen on the walk: "0 added, 0 updated, 3 unchanged, 1 rows rejected"."""
    from PySide6.QtWidgets import QLabel

    from ui.i18n import language, set_language

    path = tmp_path / "r.csv"
    path.write_text("学号,姓名,班级\n2.02102E+09,甲,新班\n", encoding="utf-8")
    before = language()
    try:
        set_language("en")
        dialog = ImportReportDialog(import_roster(station.db, path))
    finally:
        set_language(before)
    qtbot.addWidget(dialog)
    summary = dialog.findChildren(QLabel)[0].text()
    assert summary == "0 added, 0 updated, 0 unchanged, 1 row rejected"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_row_says_whose_it_is(qtbot, station, tmp_path: Path, lang: str) -> None:
    """Seen on the walk: a row refused for its 学号 (a formula Excel never calculated) showed only 第 5 行 and the
    reason; nothing said it was 赵雨桐's. The name is read from the row itself, in a workbook as openpyxl writes it."""
    path = write_roster(tmp_path / "名单.xlsx", [
        ["2030001", "甲", "新班", "", ""],
        ['=TEXT(2030002,"0")', "赵雨桐", "新班", "", ""],  # no 学号 to show: the name is all that says who it is
        ["2030003", "欧阳晓雯", "新班", '=UPPER("cjm3")', ""],
    ])
    before = language()
    try:
        set_language(lang)
        dialog = ImportReportDialog(import_roster(station.db, path))
    finally:
        set_language(before)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    headers = [table.horizontalHeaderItem(column).text() for column in range(table.columnCount())]
    assert headers[1:] == (["学号", "姓名", "原因"] if lang == "zh" else ["Student no.", "Name", "Reason"])
    shown = [[table.item(row, column).text() for column in range(REASON)] for row in range(table.rowCount())]
    assert shown == ([["第 3 行", "", "赵雨桐"], ["第 4 行", "2030003", "欧阳晓雯"]] if lang == "zh"
                     else [["row 3", "", "赵雨桐"], ["row 4", "2030003", "欧阳晓雯"]])
    name_width = max(table.fontMetrics().horizontalAdvance(text) for text in ("赵雨桐", "欧阳晓雯", headers[2]))
    assert table.columnWidth(2) > name_width  # the name whole, never cut
    assert table.item(0, REASON).text().startswith(("单元格 A3", "Cell A3"))


def test_schedule_dialog_saves_slots_and_refuses_an_end_before_the_start(qtbot, station, monkeypatch) -> None:
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))  # no modal box in a test
    dialog = slot_editor(station)
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


def test_a_class_without_a_slot_stays_without_one_until_it_is_ticked(qtbot, station, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("学号,姓名,班级\n2030001,甲,新班\n", encoding="utf-8")
    import_roster(station.db, path)
    schedule.set_slot(station.db, schedule.Slot("演示2102", dt.datetime(2030, 1, 2, 14), dt.datetime(2030, 1, 2, 15),
                                                "体育馆一楼"))
    before = {s.class_name: s for s in schedule.slots(station.db)}

    def open_dialog() -> tuple[ScheduleDialog, dict[str, int]]:
        dialog = slot_editor(station)
        qtbot.addWidget(dialog)
        return dialog, {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}

    dialog, rows = open_dialog()
    new = dialog.table.item(rows["新班"], 0)
    assert new.checkState() == Qt.Unchecked and not dialog.table.cellWidget(rows["新班"], 1).isEnabled()
    assert not new.flags() & Qt.ItemIsEditable  # a typo in a class name would be a slot for nobody
    assert dialog.table.cellWidget(rows["新班"], 1).calendarPopup()
    dialog.save()  # opened and saved without a change: nothing invented, nothing lost
    assert {s.class_name: s for s in schedule.slots(station.db)} == before  # the venue too

    dialog, rows = open_dialog()
    dialog.table.item(rows["新班"], 0).setCheckState(Qt.Checked)
    assert dialog.table.cellWidget(rows["新班"], 2).isEnabled()
    dialog.table.cellWidget(rows["新班"], 1).setDateTime(QDateTime(dt.datetime(2030, 1, 2, 16)))
    dialog.table.cellWidget(rows["新班"], 2).setDateTime(QDateTime(dt.datetime(2030, 1, 2, 17)))
    dialog.table.item(rows["演示2102"], 0).setCheckState(Qt.Unchecked)
    dialog.save()
    assert schedule.slot_of(station.db, "新班").starts_at == dt.datetime(2030, 1, 2, 16)
    assert schedule.slot_of(station.db, "演示2102") is None  # unticked: it goes to the end of the queue


def test_a_refused_row_saves_no_row(qtbot, station, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    before = schedule.slots(station.db)
    dialog = slot_editor(station)
    qtbot.addWidget(dialog)
    for row in range(dialog.table.rowCount()):
        dialog.table.item(row, 0).setCheckState(Qt.Checked)
        dialog.table.cellWidget(row, 1).setDateTime(QDateTime(dt.datetime(2031, 5, 1, 9 + row)))
        dialog.table.cellWidget(row, 2).setDateTime(QDateTime(dt.datetime(2031, 5, 1, 10 + row)))
    dialog.table.cellWidget(dialog.table.rowCount() - 1, 2).setDateTime(QDateTime(dt.datetime(2031, 5, 1, 8)))
    dialog.save()
    assert schedule.slots(station.db) == before


def test_an_empty_station_says_to_import_the_roster(qtbot, fresh_window) -> None:
    window = fresh_window
    assert window.next_label.text().startswith("名单是空的")  # not "everyone in this class is done"
    window.identify("2021010101")
    assert "请先导入名单" in window.message.text()
    import_roster(window.session.station.db, DEMO_DIR / "roster.csv")
    window._tick()
    assert window.next_label.text().startswith("下一位：")

def test_saving_class_slots_from_the_window_says_so(qtbot, make_window, frames: Path, station) -> None:
    """名单 → 班级采集时段… saved: the box closed and the message line still spoke of the student before (s32 walk)."""
    from tests.ui.conftest import on_next_dialog

    window = make_window(frames)

    def tick_one(dialog: ScheduleDialog) -> None:
        rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
        dialog.table.item(rows["演示2101"], 0).setCheckState(Qt.Checked)
        dialog.save()

    on_next_dialog(tick_one, kind=ScheduleDialog)
    window._edit_slots()
    assert schedule.slot_of(station.db, "演示2101") is not None
    scheduled = len(schedule.slots(station.db))  # the demo's own slot and this one
    assert window.message.text() == f"已保存班级采集时段：{scheduled} 个班级已排定，排队屏按时段顺序叫号"
