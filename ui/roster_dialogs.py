"""Importing the roster and setting class slots from the window (the same code as the CLI)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QDateTimeEdit, QDialog, QDialogButtonBox, QFileDialog, QHeaderView, QLabel, QMessageBox,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.roster import schedule
from station.roster.importer import ImportReport, import_roster
from station.roster.store import class_names
from ui.i18n import t

TABLES = Text("名单文件 (*.xlsx *.xlsm *.csv *.txt)", "Roster files (*.xlsx *.xlsm *.csv *.txt)")
IMPORT_TITLE = Text("导入名单", "Import roster")
SCHEDULE_TITLE = Text("班级采集时段", "Class capture slots")
SUMMARY = Text("新增 {imported} 人，更新 {updated} 人，未变 {unchanged} 人，拒绝 {rejected} 行",
               "{imported} added, {updated} updated, {unchanged} unchanged, {rejected} rows rejected")
HEADERS = (Text("位置", "Where"), Text("学号", "Student no."), Text("原因", "Reason"))
SLOT_HEADERS = (Text("班级", "Class"), Text("开始", "Start"), Text("结束", "End"))


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
        # rows as tall as their wrapped reason at the width the column ends up with
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.resize(820, 480 if report.rejected else 120)


def import_roster_interactively(station: Station, parent: QWidget) -> ImportReport | None:
    path, _ = QFileDialog.getOpenFileName(parent, t(IMPORT_TITLE), "", t(TABLES))
    if not path:
        return None
    try:
        report = import_roster(station.db, Path(path))
    except StationError as exc:
        QMessageBox.warning(parent, t(IMPORT_TITLE), t(exc.text))
        return None
    ImportReportDialog(report, parent).exec()
    return report


class ScheduleDialog(QDialog):
    """One line per class: start and end of its capture slot."""

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.setWindowTitle(t(SCHEDULE_TITLE))
        layout = QVBoxLayout(self)
        names = class_names(station.db)
        self.table = QTableWidget(len(names), 3)
        self.table.setHorizontalHeaderLabels([t(h) for h in SLOT_HEADERS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        start = dt.datetime.now().replace(minute=0, second=0, microsecond=0)
        for row, name in enumerate(names):
            slot = schedule.slot_of(station.db, name)
            begins, ends = (slot.starts_at, slot.ends_at) if slot else (start, start + dt.timedelta(hours=1))
            self.table.setItem(row, 0, QTableWidgetItem(name))
            for column, moment in ((1, begins), (2, ends)):
                editor = QDateTimeEdit(QDateTime(moment))
                editor.setDisplayFormat("yyyy-MM-dd HH:mm")
                self.table.setCellWidget(row, column, editor)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 400)

    def save(self) -> None:
        for row in range(self.table.rowCount()):
            begins = self.table.cellWidget(row, 1).dateTime().toPython()
            ends = self.table.cellWidget(row, 2).dateTime().toPython()
            if ends <= begins:
                QMessageBox.warning(self, t(SCHEDULE_TITLE), t(Text(
                    f"{self.table.item(row, 0).text()} 的结束时间必须晚于开始时间",
                    f"{self.table.item(row, 0).text()}: the end must be after the start")))
                return
            schedule.set_slot(self.station.db, schedule.Slot(self.table.item(row, 0).text(), begins, ends))
        self.accept()
