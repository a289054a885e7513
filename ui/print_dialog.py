"""打印照片: for whom (the current student, or a class) and on which paper; the station writes the PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QComboBox, QFormLayout, QLabel, QRadioButton, QVBoxLayout, QWidget

from station.capture.session import CaptureSession
from station.documents.output_file import name_part
from station.i18n import Text
from ui.file_dialogs import WRITE, last_folder
from ui.i18n import t
from ui.modal import ask
from ui.output_file_row import OutputFileRow, WritingDialog, file_named, tell_written

if TYPE_CHECKING:  # fpdf2 and openpyxl load only when a file is written
    from station.printing.sheet import PrintSheet

TITLE = Text("打印照片（2寸×8张）", "Print photos (2-inch x 8)")
FOR_STUDENT = Text("当前学生：{name}（{no}）", "Current student: {name} ({no})")
# the card cleared after a save, the student just saved is offered under their own words: 当前学生 beside an empty card
# read as someone else's photo, or as a mistake (seen on Xvfb after a save)
JUST_SAVED = Text("刚拍完的学生：{name}（{no}）", "Student just photographed: {name} ({no})")
NO_STUDENT = Text("当前学生（现在没有）", "Current student (none now)")
FOR_CLASS = Text("整个班级：", "A whole class:")
PAPER = Text("纸张：", "Paper:")
LAYOUTS = (("6inch", Text("6寸相纸（152×102 毫米），每人一张", "6-inch photo paper (152 x 102 mm), one per student")),
           ("a4", Text("A4 纸，每页 4 人", "A4, four students per page")))
FILE = Text("保存为：", "Save as:")
PDF_FILTER = Text("PDF 文件 (*.pdf)", "PDF files (*.pdf)")
FILE_STEM = Text("证件照", "photos")  # the suggested file's name, in the window's language
PRINTED = Text("已生成 {out}：{n} 名学生，{pages} 页。", "{out} written: {n:student|students}, {pages:page|pages}.")
NOT_PRINTED = Text("未打印 {no} {name}：{reason}", "{name} ({no}) not printed: {reason}")
HINT = Text("打印时请选“实际大小 / 100%”，不要“适合页面”，照片才是 35×49 毫米。",
            "Print at actual size / 100 %, not 'fit to page', for 35 x 49 mm photos.")


class PrintDialog(WritingDialog):
    """`current`: (student number, name, class) of the student at the camera or just saved (`just_saved`: nobody is
    on the card now), or None (整个班级 offers that class first); `write_sheet`: the station's print_sheet (out, layout,
    class, student numbers), run off the UI thread."""

    def __init__(self, classes: list[str], current: tuple[str, str, str] | None, folder: Path,
                 write_sheet: Callable[[Path, str, str | None, list[str]], PrintSheet],
                 parent: QWidget | None = None, just_saved: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(TITLE))
        self.current, self.write_sheet = current, write_sheet
        offered = JUST_SAVED if just_saved else FOR_STUDENT
        self.student = QRadioButton(t(offered.format(no=current[0], name=current[1]) if current else NO_STUDENT))
        self.student.setEnabled(current is not None)
        self.whole_class = QRadioButton(t(FOR_CLASS))
        group = QButtonGroup(self)
        group.addButton(self.student)
        group.addButton(self.whole_class)
        self.classes = QComboBox()
        self.classes.addItems(classes)
        if current and current[2] in classes:
            self.classes.setCurrentText(current[2])
        self.classes.activated.connect(lambda _index: self.whole_class.setChecked(True))
        (self.student if current else self.whole_class).setChecked(True)
        self.paper = QComboBox()
        for key, text in LAYOUTS:
            self.paper.addItem(t(text), key)
        self.file = OutputFileRow(folder / "photos.pdf", TITLE, PDF_FILTER)
        self.student.toggled.connect(self._suggest_name)
        self.classes.currentTextChanged.connect(self._suggest_name)
        self._suggest_name()
        self.choices(self.student.toggled, self.classes.currentTextChanged, self.paper.currentIndexChanged,
                     self.file.path.textChanged)
        form = QFormLayout()
        form.addRow(self.student)
        form.addRow(self.whole_class, self.classes)
        form.addRow(t(PAPER), self.paper)
        form.addRow(t(FILE), self.file)
        hint = QLabel(t(HINT))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(620, 0)

    def work(self, out: Path) -> Callable[[], PrintSheet]:
        layout, class_name, student_nos = self.layout_name, self.class_name, self.student_nos
        return lambda: self.write_sheet(out, layout, class_name, student_nos)

    def _suggest_name(self) -> None:
        chosen = self.file.chosen()
        who = self.current[0] if self.student.isChecked() and self.current else self.classes.currentText()
        if chosen is not None and who:
            self.file.path.setText(str(file_named(chosen, f"{t(FILE_STEM)}_{name_part(who)}.pdf")))

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
    """The dialog (the station writes the PDF off the UI thread), then what was printed and who was not (with why)."""
    current = session.printable_student()
    who = (current.student_no, current.name, current.class_name) if current else None
    dialog = PrintDialog(session.desk.class_names(), who, last_folder(WRITE), session.desk.print_sheet, parent,
                         just_saved=current is not None and session.student is None)
    if not ask(dialog):
        return
    sheet, out = dialog.written, dialog.file.chosen()
    lines = [t(PRINTED.format(out=out, n=len(sheet.printed), pages=sheet.pages))]
    lines += [t(NOT_PRINTED.format(no=m.student_no, name=m.name, reason=m.reason)) for m in sheet.missing]
    tell_written(parent, t(TITLE), "\n".join(lines), out)
