"""报表: the day and class report for a day and one class or all, as a workbook or a PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QVBoxLayout, QWidget

from station.capture.session import CaptureSession
from station.i18n import Text
from ui.file_dialogs import WRITE, last_folder
from ui.i18n import t
from ui.modal import ask
from ui.output_file_row import OutputFileRow, WritingDialog, tell_written

if TYPE_CHECKING:  # fpdf2 and openpyxl load only when a file is written
    from station.reports.day_report import DayReport

TITLE = Text("日报与班级报表", "Day and class report")
DAY = Text("日期：", "Day:")
CLASS = Text("班级：", "Class:")
ALL_CLASSES = Text("全部班级", "All classes")
FORMAT = Text("格式：", "Format:")
FORMATS = ((".xlsx", Text("Excel 表格 (.xlsx)", "Excel workbook (.xlsx)")), (".pdf", Text("PDF (.pdf)", "PDF (.pdf)")))
FILE = Text("保存为：", "Save as:")
FILTER = Text("报表 (*.xlsx *.pdf)", "Reports (*.xlsx *.pdf)")
FILE_STEM = Text("采集日报", "day_report")  # the suggested file's name, in the window's language
WRITTEN = Text("已生成 {out}：{classes} 个班级，未拍摄 {missing} 人；当日确认照片 {photos} 张。",
               "{out} written: {classes:class|classes}, {missing} not yet photographed; {photos:photo|photos} on the day.")


class ReportDialog(WritingDialog):
    """`write`: the station's write_report (out, day, class), run off the UI thread."""

    def __init__(self, classes: list[str], today: dt.date, folder: Path,
                 write_report: Callable[[Path, dt.date, str | None], DayReport], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(TITLE))
        self.write_report = write_report
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.classes = QComboBox()
        self.classes.addItem(t(ALL_CLASSES), None)
        for name in classes:
            self.classes.addItem(name, name)
        self.format = QComboBox()
        for suffix, text in FORMATS:
            self.format.addItem(t(text), suffix)
        self.file = OutputFileRow(folder / f"{t(FILE_STEM)}_{today.isoformat()}.xlsx", TITLE, FILTER)
        self.format.currentIndexChanged.connect(lambda _index: self.file.set_suffix(self.format.currentData()))
        self.choices(self.day.dateChanged, self.classes.currentIndexChanged, self.format.currentIndexChanged,
                     self.file.path.textChanged)
        form = QFormLayout()
        form.addRow(t(DAY), self.day)
        form.addRow(t(CLASS), self.classes)
        form.addRow(t(FORMAT), self.format)
        form.addRow(t(FILE), self.file)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

    def work(self, out: Path) -> Callable[[], DayReport]:
        day, class_name = self.chosen_day, self.class_name
        return lambda: self.write_report(out, day, class_name)

    @property
    def chosen_day(self) -> dt.date:
        return self.day.date().toPython()

    @property
    def class_name(self) -> str | None:
        return self.classes.currentData()


def report_interactively(session: CaptureSession, parent: QWidget | None = None) -> None:
    """The dialog (the station writes the file off the UI thread), then what was written."""
    dialog = ReportDialog(session.desk.class_names(), dt.date.today(), last_folder(WRITE), session.desk.write_report,
                          parent)
    if not ask(dialog):
        return
    report, out = dialog.written, dialog.file.chosen()
    tell_written(parent, t(TITLE), t(WRITTEN.format(out=out, classes=len(report.classes),
                                                   missing=report.missing_count, photos=report.photos)), out)
