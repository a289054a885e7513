"""The output file of a print sheet or report: a path to read and edit, 浏览… for the system's save dialog, and
the dialog that has the station write it off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

from PySide6.QtCore import Qt, QUrl, SignalInstance
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QProgressBar, QPushButton, QWidget,
)

from station.errors import StationError
from station.i18n import Text
from station.paths import typed_path
from ui.file_dialogs import WRITE, choose_save_file, remember
from ui.i18n import t
from ui.modal import ask
from ui.tasks import run_task
from ui.theme import say
from ui.wrapped_height import tall_enough

BROWSE = Text("浏览…", "Browse…")
OPEN = Text("打开（可从中打印）", "Open (print from there)")
CLOSE = Text("关闭", "Close")
NO_FILE = Text("请填写要保存的文件名", "Give the name of the file to write")
WRITING = Text("正在生成 {name}，请稍候…", "Writing {name}, please wait…")
FAILED = Text("没有生成文件：程序出错，详情已写入日志", "Nothing was written: a program error (details in the log)")
NO_VIEWER = Text("这台电脑上没有能打开此文件的程序。文件已保存在：\n{path}\n请安装 PDF 阅读器或表格软件，"
                 "或把文件拷到其他电脑上打开、打印。",
                 "No program on this computer opens this file. It is saved at:\n{path}\nInstall a PDF reader or "
                 "spreadsheet program, or copy the file to another computer to open and print it.")


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
        """The path in the field; a path pasted from Explorer's 复制为路径 / 复制文件地址 (Copy as path) comes in double
        quotes, which no Windows file name may hold; %USERPROFILE%\\Desktop as typed into Explorer's address bar is
        the variable's value, as a leading ~ is the home folder."""
        text = self.path.text().strip().strip('"').strip()
        return typed_path(text) if text else None

    def set_suffix(self, suffix: str) -> None:
        """Keep the name, change its ending (the report's format was switched); a drive or root alone has none."""
        current = self.chosen()
        if current is not None and current.name:
            self.path.setText(str(current.with_suffix(suffix)))

    def browse(self) -> None:
        current = self.chosen() or Path.home()
        picked = choose_save_file(self, t(self.title), t(self.name_filter), current)
        if picked is not None:
            self.path.setText(str(picked))


def file_named(chosen: PurePath, name: str) -> PurePath:
    """The file `name` where `chosen` is: in its place, or at the top of a drive or root typed alone (E:\\ or E:, the USB
    stick; /), which has no name to change (pathlib's with_name refuses it)."""
    if chosen.name:
        return chosen.with_name(name)
    if chosen.drive and not chosen.root:  # E: alone would be E:'s current folder; the stick's top is meant
        chosen = type(chosen)(chosen.drive, "\\")
    return chosen / name


def tell_written(parent: QWidget | None, title: str, text: str, path: Path) -> None:
    """Say what was written; 打开 opens it in the system's viewer (a PDF viewer prints with its own dialog), and says
    where the file is when the system has no program for it (a fresh Linux laptop without a PDF viewer: the click did
    nothing before)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    open_button = box.addButton(t(OPEN), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(t(CLOSE), QMessageBox.ButtonRole.RejectRole)
    ask(box)
    if box.clickedButton() is open_button and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        QMessageBox.warning(parent, title, t(NO_VIEWER.format(path=path)))


class WritingDialog(QDialog):
    """A dialog whose OK has the station write a file. The writing runs off the UI thread (ui.tasks; the live
    picture goes on), the dialog says it is working and rests its buttons meanwhile, an error is said inside the
    dialog, which stays open to change the choice, and once written the dialog closes with `written` set."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.written: Any = None
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # moving: how long a class takes is not known ahead
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = QLabel()
        self.status.setObjectName("message")
        self.status.setWordWrap(True)
        self.status.hide()

    def choices(self, *changed: SignalInstance) -> None:
        """The signals of the choices a refusal is about: it goes once one of them changes (seen on the walk: 没有可
        打印的照片 for the current student stayed under the whole class chosen next, as if said of that class)."""
        for signal in changed:
            signal.connect(lambda *_: self._forget_refusal())

    def _forget_refusal(self) -> None:
        if not self.writing:  # the line says it is writing the file chosen: it stays
            say(self.status, "", "")

    def work(self, out: Path) -> Callable[[], Any]:
        """The station's job for the choices made (run on the worker thread)."""
        raise NotImplementedError

    @property
    def writing(self) -> bool:
        return self.busy.isVisible()

    def write(self) -> None:
        out = self.file.chosen()
        if out is None:
            self._say(t(NO_FILE), "bad")
            return
        job = self.work(out)
        self._working(True)
        self._say(t(WRITING.format(name=out.name)), "info")
        run_task(job, self._done, self._failed)

    def reject(self) -> None:
        if not self.writing:  # a file half written cannot be called back: Esc waits for it
            super().reject()

    def _done(self, written: Any) -> None:
        self._working(False)
        self.written = written
        remember(WRITE, self.file.chosen().parent)  # the next PDF or report is offered beside this one
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._working(False)
        if isinstance(exc, StationError):  # nobody printable, a path that cannot be written: change and retry
            self._say(t(exc.text), "bad")
            return
        self._say(t(FAILED), "bad")
        raise exc  # to the error reporter: logged with its details

    def _working(self, working: bool) -> None:
        self.busy.setVisible(working)
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child not in (self.busy, self.status):
                child.setEnabled(not working)

    def _say(self, text: str, level: str) -> None:
        say(self.status, text, level)
        tall_enough(self)  # a long refusal (a class nobody printable in) is read whole, not cut at the bottom
