"""打印照片: for whom (the current student, or a class) and on which paper; the station writes the PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QRadioButton, QVBoxLayout,
    QWidget,
)

from station.capture.session import CaptureSession
from station.errors import StationError
from station.i18n import Text
from ui.i18n import t
from ui.output_file_row import NO_FILE, OutputFileRow, tell_written

TITLE = Text("打印照片（2寸×8张）", "Print photos (2-inch x 8)")
FOR_STUDENT = Text("当前学生：{name}（{no}）", "Current student: {name} ({no})")
NO_STUDENT = Text("当前学生（现在没有）", "Current student (none now)")
FOR_CLASS = Text("整个班级：", "A whole class:")
PAPER = Text("纸张：", "Paper:")
LAYOUTS = (("6inch", Text("6寸相纸（152×102 毫米），每人一张", "6-inch photo paper (152 x 102 mm), one per student")),
           ("a4", Text("A4 纸，每页 4 人", "A4, four students per page")))
FILE = Text("保存为：", "Save as:")
PDF_FILTER = Text("PDF 文件 (*.pdf)", "PDF files (*.pdf)")
PRINTED = Text("已生成 {out}：{n} 名学生，{pages} 页。", "{out} written: {n} student(s), {pages} page(s).")
NOT_PRINTED = Text("未打印 {no} {name}：{reason}", "Not printed {no} {name}: {reason}")
HINT = Text("打印时请选“实际大小 / 100%”，不要“适合页面”，照片才是 35×49 毫米。",
            "Print at actual size / 100 %, not 'fit to page', for 35 x 49 mm photos.")


class PrintDialog(QDialog):
    """`current`: (student number, name) of the student at the camera or just saved, or None."""

    def __init__(self, classes: list[str], current: tuple[str, str] | None, folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(TITLE))
        self.current = current
        self.student = QRadioButton(t(FOR_STUDENT.format(no=current[0], name=current[1]) if current else NO_STUDENT))
        self.student.setEnabled(current is not None)
        self.whole_class = QRadioButton(t(FOR_CLASS))
        group = QButtonGroup(self)
        group.addButton(self.student)
        group.addButton(self.whole_class)
        self.classes = QComboBox()
        self.classes.addItems(classes)
        self.classes.activated.connect(lambda _index: self.whole_class.setChecked(True))
        (self.student if current else self.whole_class).setChecked(True)
        self.paper = QComboBox()
        for key, text in LAYOUTS:
            self.paper.addItem(t(text), key)
        self.file = OutputFileRow(folder / "photos.pdf", TITLE, PDF_FILTER)
        self.student.toggled.connect(self._suggest_name)
        self.classes.currentTextChanged.connect(self._suggest_name)
        self._suggest_name()
        form = QFormLayout()
        form.addRow(self.student)
        form.addRow(self.whole_class, self.classes)
        form.addRow(t(PAPER), self.paper)
        form.addRow(t(FILE), self.file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(t(HINT))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(620, 0)

    def _suggest_name(self) -> None:
        chosen = self.file.chosen()
        who = self.current[0] if self.student.isChecked() and self.current else self.classes.currentText()
        if chosen is not None and who:
            self.file.path.setText(str(chosen.with_name(f"证件照_{who}.pdf")))

    @property
    def class_name(self) -> str | None:
        return None if self.student.isChecked() else self.classes.currentText() or None

    @property
    def student_nos(self) -> list[str]:
        return [self.current[0]] if self.student.isChecked() and self.current else []

    @property
    def layout_name(self) -> str:
        return self.paper.currentData()


def print_interactively(session: CaptureSession, parent: QWidget | None = None) -> None:
    """The dialog, then the PDF written by the station, then what was printed and who was not (with why)."""
    current = session.printable_student()
    dialog = PrintDialog(session.class_names(), (current.student_no, current.name) if current else None,
                         Path.home(), parent)
    if not dialog.exec():
        return
    out = dialog.file.chosen()
    if out is None:
        QMessageBox.warning(parent, t(TITLE), t(NO_FILE))
        return
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a class takes a few seconds
    try:
        sheet = session.print_sheet(out, dialog.layout_name, dialog.class_name, dialog.student_nos)
    except StationError as exc:
        QMessageBox.warning(parent, t(TITLE), t(exc.text))
        return
    finally:
        QGuiApplication.restoreOverrideCursor()
    lines = [t(PRINTED.format(out=out, n=len(sheet.printed), pages=sheet.pages))]
    lines += [t(NOT_PRINTED.format(no=m.student_no, name=m.name, reason=m.reason)) for m in sheet.missing]
    tell_written(parent, t(TITLE), "\n".join(lines), out)
