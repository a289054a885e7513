"""The student card's payment dialog (F6): how the student paid, the amount preset to the price, and a reason
for a free set. The capture session records it; a refusal (no reason for a free set, an amount that is not
money, a student who has paid already) is said inside the dialog, which stays open. A student who has paid is told
so at F6, with a refund one button away."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMessageBox,
    QRadioButton, QVBoxLayout, QWidget,
)

from station.capture.session import CaptureSession
from station.errors import StationError
from station.fees.amounts import class_total, yuan
from station.fees.ledger import FeeStatus, Method
from station.i18n import Name, Text
from ui.i18n import t
from ui.modal import ask
from ui.scanner_guard import SCANNED_INTO_THE_BOX, ScannerGuard
from ui.theme import BAD
from ui.wrapped_height import tall_enough

TITLE = Text("登记缴费", "Record a payment")
STUDENT = Text("{name}（{no}）", "{name} ({no})")
CLASS = Text("{name} 班集体缴费：每名未缴费的学生", "Class {name} pays for every student not yet paid")
METHOD = Text("方式（Alt+1–4）", "Method (Alt+1–4)")
AMOUNT = Text("金额（元）", "Amount (yuan)")
# a class pays per student: said beside the amount, with the total, so the class's whole sum is not typed as each one's
AMOUNT_EACH = Text("每人金额（元）", "Amount per student (yuan)")
TOTAL = Text("{n} 人，合计 {total} 元", "{n:student|students}, {total} yuan in all")
REASON = Text("原因", "Reason")
REASON_HINT = Text("免费时必填，如：学校减免", "required if free, e.g. school waiver")
RECORD = Text("登记（回车）", "Record (Enter)")
CANCEL = Text("取消（Esc）", "Cancel (Esc)")
RECORDED = Text("已登记：{name}{payment}", "Recorded: {name} {payment}")
PICK_CLASS = Text("哪个班集体缴费？", "Which class pays together?")
CLASS_PAID = Text("已登记 {name} 班集体缴费：{n} 人，共 {amount} 元{skipped}",
                  "Recorded for class {name}: {n:student|students}, {amount} yuan in all{skipped}")
ALREADY_PAID = Text("；已缴费的 {n} 人未重复登记", "; not recorded again for {n:student|students} who had paid already")
HAS_PAID = Text("{name}（{no}）{paid}。\n登记有误（方式或金额不对）时，可先退费，再重新登记。",
                "{name} ({no}): {paid}.\nIf it was recorded wrongly (method or amount), refund it, then record it again.")
REFUND = Text("退费…", "Refund…")
REFUND_TITLE = Text("退费", "Refund")
REFUND_ASK = Text("退费原因（将被记录），如：方式登记错误", "Reason for the refund (recorded), e.g. the wrong method was recorded")
REFUNDED = Text("已退费：{name}", "Refunded: {name}")
# under the refusal (退费需要填写原因) in the window's message line, as an override box closed empty is: what was not
# done and the way on
NOT_REFUNDED = Text("{refusal}\n未退费：要退费请再按 F6 并填原因", "{refusal}\nNothing refunded: press F6 again, give a reason")
TITLE_BAR_BUTTONS_PX = 160  # a window manager's close/maximise buttons and margins beside a dialog's title


class PaymentDialog(QDialog):
    def __init__(self, heading: Text, price: str, record: Callable[[Method, str, str], None], parent=None,
                 students: int | None = None) -> None:
        """`heading`: who pays (STUDENT or CLASS); `record(method, amount, reason)`: the session's, raising
        StationError to refuse; `students`: how many a class payment charges (None: one student's own)."""
        super().__init__(parent)
        self._record = record
        self._price = price
        self._students = students
        self.setWindowTitle(t(TITLE))
        who = QLabel(t(heading))
        who.setObjectName("title")
        self.methods = QButtonGroup(self)
        row = QHBoxLayout()
        for number, method in enumerate(Method, start=1):
            label = t(method.label)  # "cash" inside a sentence ("paid (cash 20.00 yuan, …)"), "Cash" as a choice
            button = QRadioButton(f"{number} {label[:1].upper()}{label[1:]}")
            # Alt+digit, not the digit alone: the amount field takes digits
            QShortcut(QKeySequence(f"Alt+{number}"), self, lambda b=button: b.setChecked(True))
            button.setProperty("method", method.value)
            self.methods.addButton(button, number)
            row.addWidget(button)
        self.methods.button(1).setChecked(True)
        self.methods.idToggled.connect(lambda _id, on: on and self._method_changed())
        self.amount = QLineEdit(price)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(t(REASON_HINT))
        self.total = QLabel()  # a class payment's sum, as typed: n x the amount
        self.total.setVisible(students is not None)
        self.amount.textChanged.connect(self._show_total)
        self._show_total()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {BAD}")
        self.error.hide()
        ScannerGuard(self.reason, lambda: self._say(SCANNED_INTO_THE_BOX))  # the next student's code is no reason
        form = QFormLayout()
        form.addRow(t(METHOD), row)
        form.addRow(t(AMOUNT if students is None else AMOUNT_EACH), self.amount)
        if students is not None:
            form.addRow("", self.total)
        form.addRow(t(REASON), self.reason)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(t(RECORD), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(t(CANCEL), QDialogButtonBox.ButtonRole.RejectRole)
        ok.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.amount.setFocus()
        self.amount.selectAll()

    @property
    def method(self) -> Method:
        return Method(self.methods.checkedButton().property("method"))

    def choose(self, method: Method) -> None:
        next(b for b in self.methods.buttons() if b.property("method") == method.value).setChecked(True)

    def _show_total(self) -> None:
        if self._students is None:
            return
        total = class_total(self.amount.text(), self._students)  # None: not money (yet), said at 登记
        self.total.setText("" if total is None else t(TOTAL.format(n=self._students, total=total)))

    def _method_changed(self) -> None:
        free = self.method is Method.FREE  # a free set has no amount: the reason is what is asked
        self.amount.setText("" if free else self._price)
        self.amount.setEnabled(not free)
        (self.reason if free else self.amount).setFocus()

    def submit(self) -> None:
        try:
            self._record(self.method, self.amount.text(), self.reason.text())
        except StationError as exc:
            self._say(exc.text)
            return
        self.accept()

    def _say(self, refusal: Text) -> None:
        # wrapped at the box's width: shown at its own, the box grew to 620 px, over the picture (English). The
        # width its rows ask for, not the layout's geometry: on a fresh clone's CI that was once a few px wide
        # (the refusal wrapped a word a line, 462 px tall in an 82 px box)
        margins = self.layout().contentsMargins()
        self.error.setFixedWidth(self.layout().sizeHint().width() - margins.left() - margins.right())
        self.error.setText(t(refusal))
        self.error.show()
        tall_enough(self)  # a code refused as the reason takes three lines in English: its last was cut, the rows squeezed


def pay_interactively(session: CaptureSession, parent: QWidget, place: Callable[[QWidget], None]) -> str:
    """F6: the student on the card pays. What to say once it is recorded; '' when nobody is on the card or the
    dialog was cancelled. A student who has paid is told so first, with a refund (and a reason) one button away
    for a payment recorded wrongly, then the payment can be recorded again (a refund refused: StationError).
    `place` puts the payment box where it leaves the student's face and card in sight (the window's to say)."""
    student = session.student
    if student is None:
        return ""
    status = session.desk.fee_status(student.student_no)
    refunded = ""
    if status.paid:
        refunded = refund_interactively(session, student.name, student.student_no, status, parent, place)
        if not refunded:
            return ""
    recorded = []
    dialog = PaymentDialog(STUDENT.format(name=Name(student.name), no=student.student_no), session.desk.fee_price(),
                           lambda method, amount, reason: recorded.append(
                               session.desk.record_payment(student.student_no, method, amount, reason)), parent)
    place(dialog)
    if not (ask(dialog) and recorded):
        return refunded
    return t(RECORDED.format(name=Name(student.name), payment=session.desk.fee_status(student.student_no).describe()))


def refund_interactively(session: CaptureSession, name: str, student_no: str, status: FeeStatus,
                         parent: QWidget, place: Callable[[QWidget], None]) -> str:
    """The student has paid: said, with 退费… beside 关闭. What to say once refunded; '' when closed. A refund
    refused (no reason) raises StationError, saying so and how to refund. `place` puts each box where it leaves
    the student's face and card in sight."""
    box = QMessageBox(QMessageBox.Icon.Information, t(TITLE), t(HAS_PAID.format(name=Name(name), no=student_no,
                                                                             paid=status.describe())),
                      QMessageBox.StandardButton.Close, parent)
    refund_button = box.addButton(t(REFUND), QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(QMessageBox.StandardButton.Close)  # Enter dismisses: it was 退费…, and opened the refund
    place(box)  # and again once shown, sized then (in_the_column places a box again when its size changes)
    ask(box)
    if box.clickedButton() is not refund_button:
        return ""
    why = QInputDialog(parent)
    why.setWindowTitle(t(REFUND_TITLE))
    why.setLabelText(t(REFUND_ASK))
    why.setInputMode(QInputDialog.InputMode.TextInput)
    ScannerGuard(why.findChild(QLineEdit), lambda: why.setLabelText(f"{t(REFUND_ASK)}\n\n{t(SCANNED_INTO_THE_BOX)}"))
    place(why)
    if not ask(why):
        return ""
    try:
        session.desk.refund_payment(student_no, why.textValue())
    except StationError as exc:  # no reason given, a code given as one: the window says it, not a box of its own
        raise StationError(NOT_REFUNDED.format(refusal=exc.text)) from exc
    return t(REFUNDED.format(name=Name(name)))


def pay_for_class_interactively(session: CaptureSession, classes: list[str], title: str, parent: QWidget,
                                place: Callable[[QWidget], None]) -> str:
    """Which of `classes` pays together (the class at the camera offered first), then its payment for everyone in it
    not yet paid. What to say once it is recorded; '' when cancelled. `place` puts the picker and the payment box
    where they leave the student's face and card in sight."""
    picker = QInputDialog(parent)
    picker.setWindowTitle(title)
    picker.setLabelText(t(PICK_CLASS))
    picker.setComboBoxItems(classes)
    current = session.student
    if current is not None:
        picker.setTextValue(current.class_name)
    # the box is as narrow as a class name: its title ("Class p…gether") needs room beside the frame's buttons. Its
    # list is made that wide, not the box: placed over the side column (not centred over the student's face), the box
    # takes its contents' size (in_the_column)
    wide = picker.fontMetrics().horizontalAdvance(picker.windowTitle()) + TITLE_BAR_BUTTONS_PX
    picker.adjustSize()  # laid out: a QInputDialog makes its layout when first measured
    margins = picker.layout().contentsMargins()
    picker.findChild(QComboBox).setMinimumWidth(wide - margins.left() - margins.right())
    place(picker)
    if not ask(picker):
        return ""
    class_name = picker.textValue()
    done = []
    dialog = PaymentDialog(CLASS.format(name=class_name), session.desk.fee_price(),
                           lambda method, amount, reason: done.append(
                               session.desk.record_class_payment(class_name, method, amount, reason)), parent,
                           students=session.desk.unpaid_in_class(class_name))
    place(dialog)
    if not (ask(dialog) and done):
        return ""
    paid = done[0]
    skipped = ALREADY_PAID.format(n=len(paid.already_paid)) if paid.already_paid else Text("", "")
    return t(CLASS_PAID.format(name=class_name, n=len(paid.entries), skipped=skipped, amount=yuan(paid.total_fen)))
