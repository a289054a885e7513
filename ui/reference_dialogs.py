"""名单 → 导入参考照片: the school's enrolment or ID photos from a folder, a zip or the receiving server, imported by
the capture session off the UI thread (the same checks as `photo-station roster photos`), and what came of each."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QLabel, QProgressBar, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from station.capture.session import CaptureSession
from station.errors import StationError
from station.i18n import Text
from station.identity.references import ReferenceReport
from ui.file_dialogs import choose_file, choose_folder
from ui.i18n import t
from ui.modal import ask
from ui.tasks import run_task, to_main
from ui.theme import say

FROM_FOLDER = Text("导入参考照片（文件夹）…", "Import reference photos (folder)…")
FROM_ZIP = Text("导入参考照片（压缩包）…", "Import reference photos (zip)…")
FROM_SERVER = Text("从服务器获取参考照片", "Fetch reference photos from the server")
TITLE = Text("导入参考照片", "Import reference photos")
PICK_FOLDER = Text("选择参考照片所在的文件夹（文件名为学号或证件号）",
                   "Choose the folder of reference photos (each named by student or ID number)")
ZIP_FILTER = Text("压缩包 (*.zip)", "Zip files (*.zip)")
WORKING = Text("正在导入参考照片，请稍候…", "Importing the reference photos, please wait…")
FETCHING = Text("正在从服务器获取参考照片，请稍候…", "Fetching the reference photos from the server, please wait…")
CHECKED = Text("已检查 {n} / {total} 张", " {n} of {total} checked")
STOP = Text("停止", "Stop")
STOPPING = Text("正在停止：当前这张照片检查完即停…", "Stopping after the photo being checked…")
STOPPED = Text("已按要求停止，其余照片没有检查；再次导入时已导入的照片算作未变。",
               "Stopped as asked: the other photos were not checked; import again to go on (those imported count as "
               "unchanged).")
SUMMARY = Text("新增 {imported} 张，更新 {updated} 张，未变 {unchanged} 张，拒绝 {refused} 张",
               "{imported} added, {updated} updated, {unchanged} unchanged, {refused} refused")
REFUSED_BY = Text("拒绝原因：{counts}", "Refused: {counts}")
COUNT = Text("{word} {n} 张", "{word} ({n})")  # "several faces (1)", not "1 several faces"
LIST_SEP = Text("，", ", ")
NEXT_PRESS = Text("下次拍照时即与新的参考照片比对。", "The next photo taken is compared with the new reference photos.")
FAILED = Text("导入中断：程序出错，详情已写入日志；已导入的照片保留", "The import stopped: a program error (details in the "
              "log); the photos imported before it are kept")
HEADERS = (Text("文件", "File"), Text("学号", "Student no."), Text("问题", "Problem"), Text("说明", "Details"))
# The codes of `roster photos --json`, in a word each; the table lists refusals grouped in this order.
CODE_WORDS = {
    "no_student": Text("不在名单", "not on the roster"),
    "several_students": Text("对应多人", "several students"),
    "duplicate": Text("重复", "duplicate"),
    "unreadable": Text("无法读取", "unreadable"),
    "too_big": Text("文件过大", "too big"),
    "no_face": Text("没有人脸", "no face"),
    "several_faces": Text("多张人脸", "several faces"),
    "too_small": Text("人脸太小", "face too small"),
}


def code_word(code: str) -> str:
    return t(CODE_WORDS[code]) if code in CODE_WORDS else code


class ReferenceImportDialog(QDialog):
    """Starts the import at once and says how far it got; then the counts, and every refused photo with its
    problem in a word and the reason in full, so the registrar can fix the files. It closes only once the import
    is over (each photo is kept as it is checked, so the count said is what was imported); 停止 ends it after the
    photo being checked."""

    def __init__(self, session: CaptureSession, source: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(TITLE if source is not None else FROM_SERVER))
        self.session, self.source = session, source
        self.report: ReferenceReport | None = None
        self.working = False
        self._stop = threading.Event()
        layout = QVBoxLayout(self)
        self.status = QLabel(t(WORKING if source is not None else FETCHING))
        self.status.setObjectName("message")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # working, until the first photo says how many there are
        self.busy.setTextVisible(False)
        layout.addWidget(self.busy)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([t(h) for h in HEADERS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.hide()
        # rows as tall as their wrapped reason at the width the column ends up with
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        layout.addWidget(self.table)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setEnabled(False)
        self.stop_button = QPushButton(t(STOP))
        self.stop_button.setAutoDefault(False)  # a scanner's Enter typed into the dialog does not stop the import
        self.stop_button.clicked.connect(self.stop)
        self.buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

    def start(self) -> None:
        self.working = True
        run_task(lambda: self.session.import_references(self.source, self._progress, self._stop), self._done,
                 self._failed)

    def stop(self) -> None:
        self._stop.set()
        self.stop_button.setEnabled(False)
        self.status.setText(t(STOPPING))

    def _progress(self, n: int, total: int | None) -> None:
        """On the worker thread: the count goes to the UI thread."""
        to_main(lambda: self._checked(n, total))

    def reject(self) -> None:
        if not self.working:  # photos are being sealed and registered: Esc waits for the end
            super().reject()

    def _checked(self, n: int, total: int | None) -> None:
        if self.working and not self._stop.is_set():
            self.status.setText(f"{t(WORKING if self.source is not None else FETCHING)}"
                                f"{t(CHECKED.format(n=n, total=total if total is not None else '?'))}")
            if total:
                self.busy.setRange(0, total)
                self.busy.setValue(n)

    def _done(self, report: ReferenceReport) -> None:
        self.report = report
        self._finished()
        lines = [t(SUMMARY.format(imported=report.imported, updated=report.updated, unchanged=report.unchanged,
                                  refused=len(report.rejected)))]
        counts = Counter(r.code for r in report.rejected)
        if counts:
            said = (t(COUNT.format(word=code_word(code), n=counts[code])) for code in sorted(counts, key=_order))
            lines.append(t(REFUSED_BY.format(counts=t(LIST_SEP).join(said))))
        if report.stopped:
            lines.append(t(STOPPED))
        if report.imported or report.updated:
            lines.append(t(NEXT_PRESS))
        say(self.status, "\n".join(lines), "warn" if report.rejected or report.stopped else "ok")
        self._list(report)

    def _failed(self, exc: BaseException) -> None:
        self._finished()
        if isinstance(exc, StationError):  # not a folder or zip, no server link, the server unreachable
            say(self.status, t(exc.text), "bad")
            return
        say(self.status, t(FAILED), "bad")
        raise exc  # to the error reporter: logged with its details

    def _finished(self) -> None:
        self.working = False
        self.busy.hide()
        self.stop_button.hide()
        self.close_button.setEnabled(True)

    def _list(self, report: ReferenceReport) -> None:
        refused = sorted(report.rejected, key=lambda r: (_order(r.code), r.file))
        self.table.setRowCount(len(refused))
        for row, r in enumerate(refused):
            for column, value in enumerate((r.shown, r.student_no or "—", code_word(r.code), t(r.reason))):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(bool(refused))
        if refused:
            self.resize(max(self.width(), 860), 460)


def _order(code: str) -> int:
    """A code's place in CODE_WORDS (unknown codes last)."""
    return list(CODE_WORDS).index(code) if code in CODE_WORDS else len(CODE_WORDS)


def import_references_interactively(session: CaptureSession, kind: str,
                                    parent: QWidget | None = None) -> ReferenceReport | None:
    """名单 → 导入参考照片: from a folder or zip (`kind` "folder" or "zip", chosen first) or from the receiving server
    ("server"), in its dialog. The report once the dialog is closed; None when cancelled or failed."""
    source = None
    if kind == "folder":
        source = choose_folder(parent, t(PICK_FOLDER))
    elif kind == "zip":
        source = choose_file(parent, t(TITLE), t(ZIP_FILTER))
    if kind != "server" and source is None:
        return None
    dialog = ReferenceImportDialog(session, source, parent)
    dialog.start()
    ask(dialog)  # it closes only once the import has ended: nothing is left to call it
    report = dialog.report
    if report is not None and (report.imported or report.updated):  # not decrypted at the next press, on this thread
        run_task(session.load_faces, session.adopt_faces)
    return report
