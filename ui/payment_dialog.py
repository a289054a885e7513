"""The student card's payment dialog (F6): how the student paid, the amount preset to the price, and a reason
for a free set. The capture session records it; a refusal (no reason for a free set, an amount that is not
money, a student who has paid already) is said inside the dialog, which stays open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout,
)

from station.errors import StationError
from station.fees.ledger import Method
from station.i18n import Text
from ui.i18n import t
from ui.theme import BAD

TITLE = Text("登记缴费", "Record a payment")
STUDENT = Text("{name}（{no}）", "{name} ({no})")
CLASS = Text("{name} 班集体缴费：每名未缴费的学生", "Class {name} paying together: each student not yet paid")
METHOD = Text("方式（Alt+1–4）", "Method (Alt+1–4)")
AMOUNT = Text("金额（元）", "Amount (yuan)")
REASON = Text("原因", "Reason")
REASON_HINT = Text("免费时必填，如：学校减免", "required if free, e.g. school waiver")
RECORD = Text("登记（回车）", "Record (Enter)")
CANCEL = Text("取消（Esc）", "Cancel (Esc)")


class PaymentDialog(QDialog):
    def __init__(self, heading: Text, price: str, record: Callable[[Method, str, str], None], parent=None) -> None:
        """`heading`: who pays (STUDENT or CLASS); `record(method, amount, reason)`: the session's, raising
        StationError to refuse."""
        super().__init__(parent)
        self._record = record
        self._price = price
        self.setWindowTitle(t(TITLE))
        who = QLabel(t(heading))
        who.setObjectName("title")
        self.methods = QButtonGroup(self)
        row = QHBoxLayout()
        for number, method in enumerate(Method, start=1):
            button = QRadioButton(f"{number} {t(method.label)}")
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
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {BAD}")
        self.error.hide()
        form = QFormLayout()
        form.addRow(t(METHOD), row)
        form.addRow(t(AMOUNT), self.amount)
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

    def _method_changed(self) -> None:
        free = self.method is Method.FREE  # a free set has no amount: the reason is what is asked
        self.amount.setText("" if free else self._price)
        self.amount.setEnabled(not free)
        (self.reason if free else self.amount).setFocus()

    def submit(self) -> None:
        try:
            self._record(self.method, self.amount.text(), self.reason.text())
        except StationError as exc:
            self.error.setText(t(exc.text))
            self.error.show()
            return
        self.accept()
