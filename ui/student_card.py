"""The student the station believes is in front of it: name big, identifiers beside it, two to a row so the whole
card stays in sight above the checks on a 1280x720 laptop. A long college or major is cut with … rather than
wrapped: the card keeps its height whatever the messages below it say (they scroll in their own area)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from station.i18n import Text
from station.identify.identify import Identification
from ui.elided_label import ElidedLabel
from ui.i18n import t
from ui.theme import BAD, MUTED, OK, WARN

# caption and value pairs, two to a row, what a photographer looks at first on top (whose turn, the ID number to
# compare with the card, paid or not); a long college or major is cut with … in the last row (whole in its tooltip)
ROWS: tuple[tuple[tuple[str, Text], ...], ...] = (
    (("student_no", Text("学号", "No.")), ("class_name", Text("班级", "Class"))),
    (("id_number", Text("证件号", "ID")), ("status", Text("状态", "Status"))),
    (("fee", Text("缴费", "Fee")),),  # a row of its own: 已缴费（微信 20.00 元，…） is long
    (("college", Text("学院", "College")), ("major", Text("专业", "Major"))),
)
NUMBERS = ("student_no", "id_number")
ONE_LINE = ("college", "major")
CAPTURED = Text("已拍摄（{n} 版）", "photographed ×{n}")
NOT_CAPTURED = Text("未拍摄", "not photographed")
# marked absent (F3) earlier and come after all: said, or the photographer who marked them wonders (review finding)
ABSENT_CAME = Text("未拍摄（曾标缺席）", "not photographed (was marked absent)")
PAY_KEY = Text("{fee}（F6 登记）", "{fee} (F6 to record)")
NOBODY = Text("请扫描采集码或输入学号", "Scan the capture code or type the student number")
# a face that may be someone else's in bold; no enrolment photo, no face in view: muted; no comparison possible at all
# (the face models cannot load): warned
IDENTITY_STYLE = {"same": f"color: {OK}", "uncertain": f"color: {WARN}; font-weight: 600",
                  "different": f"color: {BAD}; font-weight: 600", "unavailable": f"color: {WARN}"}


class StudentCard(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(2)
        self.name = QLabel()
        self.name.setObjectName("studentName")
        self.name.setWordWrap(True)
        # the live identity line beside the name, where a short name leaves room: no row of its own, which took
        # the F4 question's second line on a 1280x680 window
        self.identity = ElidedLabel()
        self.identity.setObjectName("liveIdentity")
        self.identity.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.name)
        top.addWidget(self.identity, 1)
        layout.addLayout(top)
        grid = QGridLayout()
        grid.setVerticalSpacing(2)
        grid.setHorizontalSpacing(6)
        self.values: dict[str, QLabel] = {}
        for row, pairs in enumerate(ROWS):
            for column, (key, label) in enumerate(pairs):
                caption = QLabel(t(label))
                caption.setStyleSheet(f"color: {MUTED}")
                value = ElidedLabel() if key in ONE_LINE else QLabel()
                value.setObjectName(f"value_{key}")
                # a status or fee wraps inside its part of the card; a number is never cut or broken
                value.setWordWrap(key not in NUMBERS + ONE_LINE)
                grid.addWidget(caption, row, 2 * column, Qt.AlignTop)
                grid.addWidget(value, row, 2 * column + 1, 1, 3 if len(pairs) == 1 else 1, Qt.AlignTop)
                self.values[key] = value
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
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
            "id_number": found.shown_id_number or "—",  # masked by the station
            "status": t(CAPTURED.format(n=status.versions) if status.captured else
                        ABSENT_CAME if student.absent else NOT_CAPTURED),
        }
        for key, value in shown.items():
            self._show(key, value)
        self._show_identity("", "")  # until the live comparison speaks about this student
        self.identity.show()

    def show_identity(self, said: Text, level: str) -> None:
        """The live comparison of the face at the camera with the student's enrolment photo, as the session says."""
        self._show_identity(t(said), IDENTITY_STYLE.get(level, f"color: {MUTED}"))

    def _show_identity(self, text: str, style: str) -> None:
        # the style first: a bold verdict cut to its room in the regular weight before it ran past the card's edge,
        # unmarked by … (s33 English walk at 1280x680)
        self.identity.setStyleSheet(style)
        self.identity.ensurePolished()
        self.identity.show_text(text)
        self.identity.setToolTip(text)

    def show_fee(self, fee: Text, paid: bool) -> None:
        """Paid (green) or not paid (red, with the key that records it), as the capture session says."""
        value = self.values["fee"]
        value.setText(t(fee) if paid else t(PAY_KEY.format(fee=fee)))
        value.setStyleSheet(f"color: {OK if paid else BAD}; font-weight: 600")

    def clear(self) -> None:
        self._show_name(t(NOBODY), nobody=True)
        self.identity.hide()  # the prompt takes the whole line
        for key, value in self.values.items():
            self._show(key, "—")
            value.setStyleSheet("")

    def _show(self, key: str, text: str) -> None:
        value = self.values[key]
        if isinstance(value, ElidedLabel):
            value.show_text(text)
            value.setToolTip(text)
        else:
            value.setText(text)

    def _show_name(self, text: str, nobody: bool) -> None:
        """A name big; the prompt for nobody smaller and grey (in English it took three lines at the name's size
        and pushed the fee out of a 1280x720 laptop's panel)."""
        self.name.setText(text)
        self.name.setProperty("nobody", nobody)
        self.name.style().unpolish(self.name)
        self.name.style().polish(self.name)
