"""Picking a student from the roster (a retake for someone who is not carrying their code)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHeaderView, QLineEdit, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from station.capture.desk import RosterRow
from station.i18n import Text
from ui.i18n import t

TITLE = Text("选择学生", "Pick a student")
FILTER = Text("输入学号、姓名或班级筛选，双击或回车选择", "Filter by number, name or class; double-click or Enter to pick")
COLUMNS = (Text("学号", "Student no."), Text("姓名", "Name"), Text("班级", "Class"), Text("已拍版本", "Versions"))


class StudentPicker(QDialog):
    def __init__(self, roster: list[RosterRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(TITLE))
        self.chosen: str | None = None
        self.rows = [(r.student.student_no, r.student.name, r.student.class_name, str(r.versions)) for r in roster]
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(t(FILTER))
        self.filter.textChanged.connect(self._show)
        self.filter.returnPressed.connect(self._pick_current)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.verticalHeader().hide()  # its 1, 2, 3 beside the student numbers would read as data
        self.table.cellDoubleClicked.connect(lambda row, _column: self._pick(row))
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        self.resize(640, 520)
        self._show("")

    def _show(self, text: str) -> None:
        needle = text.strip().lower()
        shown = [r for r in self.rows if not needle or any(needle in cell.lower() for cell in r[:3])]
        self.table.setRowCount(len(shown))
        for row, cells in enumerate(shown):
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignCenter)
                self.table.setItem(row, column, item)
        if shown:
            self.table.selectRow(0)

    def _pick_current(self) -> None:
        if self.table.rowCount():
            self._pick(max(0, self.table.currentRow()))

    def _pick(self, row: int) -> None:
        self.chosen = self.table.item(row, 0).text()
        self.accept()
