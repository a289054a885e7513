"""Importing the roster and setting class slots from the window (the same code as the CLI)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QDateTimeEdit, QDialog, QDialogButtonBox, QHeaderView, QLabel, QMessageBox,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.roster import schedule
from station.roster.importer import ImportReport, import_roster
from station.capture.queue_board import class_order
from ui.file_dialogs import choose_file
from ui.i18n import t

TABLES = Text("名单文件 (*.xlsx *.xlsm *.csv *.txt)", "Roster files (*.xlsx *.xlsm *.csv *.txt)")
IMPORT_TITLE = Text("导入名单", "Import roster")
SCHEDULE_TITLE = Text("班级采集时段", "Class capture slots")
SUMMARY = Text("新增 {imported} 人，更新 {updated} 人，未变 {unchanged} 人，拒绝 {rejected} 行",
               "{imported} added, {updated} updated, {unchanged} unchanged, rows rejected: {rejected}")
HEADERS = (Text("位置", "Where"), Text("学号", "Student no."), Text("原因", "Reason"))
SLOT_HEADERS = (Text("班级（勾选即已排定）", "Class (ticked: scheduled)"), Text("开始", "Start"), Text("结束", "End"))
SCHEDULE_EXPLAIN = Text("勾选班级并设定它的采集时段；排队屏按时段顺序叫号，未排定的班级排在最后。",
                        "Tick a class and set its capture slot; the queue screen calls classes in slot order, "
                        "classes without a slot last.")
END_BEFORE_START = Text("{name} 的结束时间必须晚于开始时间", "{name}: the end must be after the start")


class ImportReportDialog(QDialog):
    """What was imported, and every rejected row with its reason, so the registrar can fix the file."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(IMPORT_TITLE))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(t(SUMMARY.format(imported=report.imported, updated=report.updated,
                                                 unchanged=report.unchanged, rejected=len(report.rejected)))))
        self.table = QTableWidget(len(report.rejected), 3)
        self.table.setHorizontalHeaderLabels([t(h) for h in HEADERS])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.verticalHeader().hide()  # its 1, 2, 3 beside "row 2" would read as a second row number
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setWordWrap(True)  # a reason says how to fix the row: all of it must show
        for row, rejected in enumerate(report.rejected):
            for column, value in enumerate((t(rejected.where()), rejected.student_no, t(rejected.reason))):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.setVisible(bool(report.rejected))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        # rows as tall as their wrapped reason at the width the column ends up with: measured once the resize is
        # done (measured in the signal itself, a row kept the height of the column's narrower width before)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents(),
                                                            Qt.QueuedConnection)
        self.resize(820, 480 if report.rejected else 120)


def import_roster_interactively(station: Station, parent: QWidget) -> ImportReport | None:
    path = choose_file(parent, t(IMPORT_TITLE), t(TABLES))
    if path is None:
        return None
    try:
        report = import_roster(station.db, path)
    except StationError as exc:
        QMessageBox.warning(parent, t(IMPORT_TITLE), t(exc.text))
        return None
    ImportReportDialog(report, parent).exec()
    return report


class ScheduleDialog(QDialog):
    """One line per imported class: ticked with its slot's start and end, or unticked when it has none.
    Class names come from the roster and cannot be edited: a typo here would be a slot for nobody."""

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.setWindowTitle(t(SCHEDULE_TITLE))
        layout = QVBoxLayout(self)
        explain = QLabel(t(SCHEDULE_EXPLAIN))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        names = class_order(station.db)
        self.venues: dict[str, str] = {}  # an imported venue survives an edit of the times
        self.table = QTableWidget(len(names), 3)
        self.table.setHorizontalHeaderLabels([t(h) for h in SLOT_HEADERS])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        now = dt.datetime.now()
        for row, name in enumerate(names):
            slot = schedule.slot_of(station.db, name)
            self.venues[name] = slot.venue if slot else ""
            shown = slot or schedule.suggested_slot(station.db, name, now)
            item = QTableWidgetItem(name)
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if slot else Qt.Unchecked)
            self.table.setItem(row, 0, item)
            for column, moment in ((1, shown.starts_at), (2, shown.ends_at)):
                editor = QDateTimeEdit(QDateTime(moment))
                editor.setDisplayFormat("yyyy-MM-dd HH:mm")
                editor.setCalendarPopup(True)
                editor.setEnabled(slot is not None)
                self.table.setCellWidget(row, column, editor)
        self.table.itemChanged.connect(self._ticked)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def _ticked(self, item: QTableWidgetItem) -> None:
        for column in (1, 2):
            self.table.cellWidget(item.row(), column).setEnabled(item.checkState() == Qt.Checked)

    def save(self) -> None:
        """All rows or none: a refused row leaves every slot as it was."""
        chosen: list[schedule.Slot] = []
        cleared: list[str] = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            name = item.text()
            if item.checkState() != Qt.Checked:
                cleared.append(name)
                continue
            begins = self.table.cellWidget(row, 1).dateTime().toPython()
            ends = self.table.cellWidget(row, 2).dateTime().toPython()
            if ends <= begins:
                QMessageBox.warning(self, t(SCHEDULE_TITLE), t(END_BEFORE_START.format(name=name)))
                return
            chosen.append(schedule.Slot(name, begins, ends, self.venues[name]))
        for slot in chosen:
            schedule.set_slot(self.station.db, slot)
        for name in cleared:
            schedule.clear_slot(self.station.db, name)
        self.accept()
