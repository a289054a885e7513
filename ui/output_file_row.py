"""The output file of a print sheet or report: a path to read and edit, and 浏览… for the system's save dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QWidget

from station.i18n import Text
from ui.file_dialogs import choose_save_file
from ui.i18n import t

BROWSE = Text("浏览…", "Browse…")
OPEN = Text("打开（可从中打印）", "Open (print from there)")
CLOSE = Text("关闭", "Close")
NO_FILE = Text("请填写要保存的文件名", "Give the name of the file to write")


class OutputFileRow(QWidget):
    def __init__(self, suggested: Path, title: Text, name_filter: Text, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.name_filter = title, name_filter
        self.path = QLineEdit(str(suggested))
        browse = QPushButton(t(BROWSE))
        browse.clicked.connect(self.browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.path, 1)
        layout.addWidget(browse)

    def chosen(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def set_suffix(self, suffix: str) -> None:
        """Keep the name, change its ending (the report's format was switched)."""
        current = self.chosen()
        if current is not None:
            self.path.setText(str(current.with_suffix(suffix)))

    def browse(self) -> None:
        current = self.chosen() or Path.home()
        picked = choose_save_file(self, t(self.title), t(self.name_filter), current)
        if picked is not None:
            self.path.setText(str(picked))


def tell_written(parent: QWidget | None, title: str, text: str, path: Path) -> None:
    """Say what was written; 打开 opens it in the system's viewer (a PDF viewer prints with its own dialog)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    open_button = box.addButton(t(OPEN), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(t(CLOSE), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
