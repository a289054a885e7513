"""Importing the roster and setting class slots from the window (the capture session does both, with the same code
as the CLI; the import off the UI thread)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDateTime, QSize, Qt
from PySide6.QtWidgets import (
    QDateTimeEdit, QDialog, QDialogButtonBox, QHeaderView, QLabel, QMessageBox, QProgressBar,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from station.capture.session import CaptureSession
from station.errors import StationError
from station.i18n import Text
from station.roster.importer import ImportReport
from station.roster.schedule import ClassSlot, Slot
from ui.file_dialogs import choose_file
from ui.i18n import t
from ui.modal import ask
from ui.tasks import run_task

TABLES = Text("名单文件 (*.xlsx *.xlsm *.xls *.csv *.txt)", "Roster files (*.xlsx *.xlsm *.xls *.csv *.txt)")
IMPORT_TITLE = Text("导入名单", "Import roster")
WORKING = Text("正在导入名单，请稍候…", "Importing the roster, please wait…")
SCHEDULE_TITLE = Text("班级采集时段", "Class capture slots")
# who the row is (its number, when readable, and name), so the photographer knows whom to ask; the reason last, wide
HEADERS = (Text("位置", "Where"), Text("学号", "Student no."), Text("姓名", "Name"), Text("原因", "Reason"))
REASON = len(HEADERS) - 1
SLOT_HEADERS = (Text("班级（勾选即已排定）", "Class (ticked: scheduled)"), Text("开始", "Start"), Text("结束", "End"))
SCHEDULE_EXPLAIN = Text("勾选班级并设定它的采集时段；排队屏按时段顺序叫号，未排定的班级排在最后。",
                        "Tick a class and set its capture slot; the queue screen calls classes in slot order, "
                        "classes without a slot last.")


class ImportReportDialog(QDialog):
    """What was imported, and every rejected row with its reason, so the registrar can fix the file. Opened before
    the report exists (`report` None), it says the import is under way until `show_report`; it cannot be closed
    meanwhile."""

    def __init__(self, report: ImportReport | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(IMPORT_TITLE))
        self.report: ImportReport | None = None
        self.error: StationError | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel(t(WORKING))
        layout.addWidget(self.summary)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # how long a roster takes is not known ahead (a second for 3,000 students)
        self.busy.setTextVisible(False)
        layout.addWidget(self.busy)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([t(h) for h in HEADERS])
        self.table.verticalHeader().hide()  # its 1, 2, 3 beside "row 2" would read as a second row number
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setWordWrap(True)  # a reason says how to fix the row: all of it must show
        self.table.hide()
        layout.addWidget(self.table)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.setEnabled(False)
        layout.addWidget(self.buttons)
        # rows as tall as their wrapped reason at the width the column ends up with: measured once the resize is
        # done (measured in the signal itself, a row kept the height of the column's narrower width before)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents(),
                                                            Qt.QueuedConnection)
        self.resize(420, 100)
        if report is not None:
            self.show_report(report)

    def show_report(self, report: ImportReport) -> None:
        self.report = report
        self.busy.hide()
        self.buttons.setEnabled(True)
        self.summary.setText(t(report.summary()))
        self.table.setRowCount(len(report.rejected))
        for row, rejected in enumerate(report.rejected):
            for column, value in enumerate((t(rejected.where()), rejected.student_no, rejected.name,
                                            t(rejected.reason))):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(REASON, QHeaderView.Stretch)
        self.table.setVisible(bool(report.rejected))
        self._grow(QSize(820, 480 if report.rejected else 120))

    def _grow(self, size: QSize) -> None:
        """The report's size, whole on the screen and over the window: opened small while it worked, and centred
        then, the dialog grew right and down from there, off a 1366x768 laptop's screen (seen on the walk)."""
        free = self.screen().availableGeometry()
        frame = self.frameGeometry().size() - self.size()  # the window manager's title bar and borders
        self.resize(size.boundedTo(free.size() - frame))
        if not self.isVisible():  # not shown yet: Qt centres it over its parent when it is
            return
        placed = self.frameGeometry()
        placed.setSize(self.size() + frame)
        parent = self.parentWidget()
        placed.moveCenter(parent.window().frameGeometry().center() if parent is not None else free.center())
        placed.moveLeft(max(free.left(), min(placed.left(), free.right() + 1 - placed.width())))
        placed.moveTop(max(free.top(), min(placed.top(), free.bottom() + 1 - placed.height())))
        self.move(placed.topLeft())

    def refused(self, exc: BaseException) -> None:
        """The whole file was refused (not a roster, no students, unreadable): the caller says why. A program error
        closes the dialog too (it refuses to close until the import ends) and goes to the error reporter."""
        self.done(QDialog.Rejected)
        if not isinstance(exc, StationError):
            raise exc  # a program error: to the error reporter, logged with its details
        self.error = exc

    def reject(self) -> None:
        if self.report is not None:  # Esc waits for the import's end: its rows are being written
            super().reject()


def import_roster_interactively(session: CaptureSession, parent: QWidget) -> ImportReport | None:
    """The file chosen is imported on the worker thread (the live picture goes on) while the dialog says so."""
    path = choose_file(parent, t(IMPORT_TITLE), t(TABLES))
    if path is None:
        return None
    dialog = ImportReportDialog(None, parent)
    run_task(lambda: session.desk.import_roster(path), dialog.show_report, dialog.refused)
    ask(dialog)  # it closes only once the import has ended: nothing is left to call it
    if dialog.error is not None:
        QMessageBox.warning(parent, t(IMPORT_TITLE), t(dialog.error.text))
    return dialog.report


class ScheduleDialog(QDialog):
    """One line per imported class: ticked with its slot's start and end, or unticked when it has none.
    Class names come from the roster and cannot be edited: a typo here would be a slot for nobody. `save(chosen,
    cleared)`: the session's save_slots, which refuses the whole table when a slot ends before it starts."""

    def __init__(self, classes: list[ClassSlot], save: Callable[[list[Slot], list[str]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(t(SCHEDULE_TITLE))
        layout = QVBoxLayout(self)
        explain = QLabel(t(SCHEDULE_EXPLAIN))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.venues: dict[str, str] = {}  # an imported venue survives an edit of the times
        self.table = QTableWidget(len(classes), 3)
        self.table.setHorizontalHeaderLabels([t(h) for h in SLOT_HEADERS])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        for row, line in enumerate(classes):
            self.venues[line.class_name] = line.slot.venue if line.slot else ""
            item = QTableWidgetItem(line.class_name)
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if line.slot else Qt.Unchecked)
            self.table.setItem(row, 0, item)
            for column, moment in ((1, line.offered.starts_at), (2, line.offered.ends_at)):
                editor = QDateTimeEdit(QDateTime(moment))
                editor.setDisplayFormat("yyyy-MM-dd HH:mm")
                editor.setCalendarPopup(True)
                editor.setEnabled(line.slot is not None)
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
        """All rows or none: a refused row is said and leaves every slot as it was; the dialog stays open."""
        chosen: list[Slot] = []
        cleared: list[str] = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            name = item.text()
            if item.checkState() != Qt.Checked:
                cleared.append(name)
                continue
            begins = self.table.cellWidget(row, 1).dateTime().toPython()
            ends = self.table.cellWidget(row, 2).dateTime().toPython()
            chosen.append(Slot(name, begins, ends, self.venues[name]))
        try:
            self._save(chosen, cleared)
        except StationError as exc:
            QMessageBox.warning(self, t(SCHEDULE_TITLE), t(exc.text))
            return
        self.accept()
