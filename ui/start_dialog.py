"""Who is photographing today and, where the OS has no keyring, the station passphrase: chosen (typed twice)
on first use, typed at every later start."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLayout, QLineEdit, QWidget

from station.i18n import Text
from station.adapters.startup import NO_NAME, NO_PASSPHRASE, PassphraseNeed, sign_in_problem
from ui.i18n import t

TITLE = Text("开始采集", "Start capturing")
OPERATOR = Text("摄影师姓名", "Photographer")
PASSPHRASE = Text("工作站口令", "Station passphrase")
NEW_PASSPHRASE = Text("设定工作站口令", "New station passphrase")
CONFIRM = Text("再次输入口令", "Type it again")
HINTS = {
    PassphraseNeed.SET: Text("照片在本机加密保存。本机首次使用，请设定工作站口令（至少 8 个字符）。以后每次启动都要输入；"
                             "忘记口令将无法打开本工作站及其保存的照片，请记下并妥善保管。",
                             "Photos are stored encrypted on this laptop. This is its first use: choose a station "
                             "passphrase (8 characters or more). It is asked at every start, and without it neither "
                             "this station nor the photos it saved can be opened, so write it down and keep it safe."),
    PassphraseNeed.UNLOCK: Text("请输入本机首次使用时设定的工作站口令。",
                                "Enter the station passphrase chosen when this laptop was first used."),
}
WIDTH = 480  # of the wrapped texts: a fixed width lets Qt give them their full height


class StartDialog(QDialog):
    def __init__(self, operator: str = "", need: PassphraseNeed = PassphraseNeed.NONE, problem: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.need = need
        self.setWindowTitle(t(TITLE))
        form = QFormLayout(self)
        form.setSizeConstraint(QLayout.SetFixedSize)  # as tall as the wrapped hint and error, never clipped
        self.operator = QLineEdit(operator)
        form.addRow(t(OPERATOR), self.operator)
        self.passphrase = QLineEdit()
        self.confirm = QLineEdit()
        for field in (self.passphrase, self.confirm):
            field.setEchoMode(QLineEdit.Password)
        if need is not PassphraseNeed.NONE:
            form.addRow(t(NEW_PASSPHRASE if need is PassphraseNeed.SET else PASSPHRASE), self.passphrase)
            if need is PassphraseNeed.SET:
                form.addRow(t(CONFIRM), self.confirm)
            hint = QLabel(t(HINTS[need]))
            hint.setWordWrap(True)
            hint.setFixedWidth(WIDTH)
            form.addRow(hint)
        self.error = QLabel(problem)
        self.error.setObjectName("message")
        self.error.setProperty("level", "bad")
        self.error.setWordWrap(True)
        self.error.setFixedWidth(WIDTH)
        self.error.setVisible(bool(problem))
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self._accept_if_complete)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        (self.passphrase if operator and need is not PassphraseNeed.NONE else self.operator).setFocus()

    def _accept_if_complete(self) -> None:
        problem = sign_in_problem(self.need, self.operator.text(), self.passphrase.text(), self.confirm.text())
        if problem is None:
            self.accept()
            return
        self.error.setText(t(problem))
        self.error.show()
        if problem not in (NO_NAME, NO_PASSPHRASE) and self.need is PassphraseNeed.SET:
            # 请重新输入 (they differ, or too short): typed afresh, not after the dots left in both fields, where the
            # cursor stood at the end of the second (s28 walk: typed again, it differed again)
            self.passphrase.clear()
            self.confirm.clear()
            self.passphrase.setFocus()
