"""Who is photographing today, and (where the OS has no keyring) the station passphrase."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from station.i18n import Text
from ui.i18n import t

TITLE = Text("开始采集", "Start capturing")
OPERATOR = Text("摄影师姓名", "Photographer")
PASSPHRASE = Text("工作站口令", "Station passphrase")
PASSPHRASE_HINT = Text("照片在本机加密保存，需要口令才能查看（首次使用时设定，至少 8 位）",
                       "Photos are encrypted on this laptop; the passphrase unlocks them (set on first use, 8+ characters)")


class StartDialog(QDialog):
    def __init__(self, operator: str = "", ask_passphrase: bool = False, problem: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(TITLE))
        form = QFormLayout(self)
        self.operator = QLineEdit(operator)
        form.addRow(t(OPERATOR), self.operator)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.Password)
        if ask_passphrase:
            form.addRow(t(PASSPHRASE), self.passphrase)
            hint = QLabel(t(PASSPHRASE_HINT))
            hint.setWordWrap(True)
            form.addRow(hint)
        if problem:
            error = QLabel(problem)
            error.setStyleSheet("color: #c62828")
            error.setWordWrap(True)
            form.addRow(error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self._accept_if_named)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _accept_if_named(self) -> None:
        if self.operator.text().strip():
            self.accept()
