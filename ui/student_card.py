"""The student the station believes is in front of it: name big, identifiers beside it."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout

from station.i18n import Text
from station.identify.identify import Identification
from station.roster.idnumber import mask
from ui.i18n import t
from ui.theme import BAD, OK

FIELDS = (
    ("student_no", Text("学号", "Student no.")),
    ("class_name", Text("班级", "Class")),
    ("college", Text("学院", "College")),
    ("major", Text("专业", "Major")),
    ("id_number", Text("证件号", "ID number")),
    ("status", Text("状态", "Status")),
    ("fee", Text("缴费", "Fee")),
)
CAPTURED = Text("已拍摄（{n} 版）", "photographed (versions: {n})")
NOT_CAPTURED = Text("未拍摄", "not yet photographed")
PAY_KEY = Text("{fee}（F6 登记）", "{fee} (F6 to record)")
NOBODY = Text("请扫描采集码或输入学号", "Scan the capture code or type the student number")


class StudentCard(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        self.name = QLabel()
        self.name.setObjectName("studentName")
        self.name.setWordWrap(True)
        layout.addWidget(self.name)
        grid = QGridLayout()
        grid.setVerticalSpacing(2)  # all seven rows fit beside the messages on a 1280x720 laptop
        self.values: dict[str, QLabel] = {}
        for row, (key, label) in enumerate(FIELDS):
            caption = QLabel(t(label))
            caption.setStyleSheet("color: #616161")
            value = QLabel("—")
            value.setObjectName(f"value_{key}")
            value.setWordWrap(True)  # a long college or major name wraps inside the panel
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)
            self.values[key] = value
        layout.addLayout(grid)
        self.clear()

    def show_identification(self, found: Identification) -> None:
        student, status = found.student, found.status
        if student is None or status is None:
            self.clear()
            return
        self._show_name(student.name, nobody=False)
        shown = {
            "student_no": student.student_no,
            "class_name": student.class_name,
            "college": student.college or "—",
            "major": student.major or "—",
            "id_number": mask(student.id_number) if student.id_number else "—",
            "status": t(CAPTURED.format(n=status.versions)) if status.captured else t(NOT_CAPTURED),
        }
        for key, value in shown.items():
            self.values[key].setText(value)

    def show_fee(self, fee: Text, paid: bool) -> None:
        """Paid (green) or not paid (red, with the key that records it), as the capture session says."""
        value = self.values["fee"]
        value.setText(t(fee) if paid else t(PAY_KEY.format(fee=fee)))
        value.setStyleSheet(f"color: {OK if paid else BAD}; font-weight: 600")

    def clear(self) -> None:
        self._show_name(t(NOBODY), nobody=True)
        for value in self.values.values():
            value.setText("—")
            value.setStyleSheet("")

    def _show_name(self, text: str, nobody: bool) -> None:
        """A name big; the prompt for nobody smaller and grey (in English it took three lines at the name's size
        and pushed the fee out of a 1280x720 laptop's panel)."""
        self.name.setText(text)
        self.name.setProperty("nobody", nobody)
        self.name.style().unpolish(self.name)
        self.name.style().polish(self.name)
