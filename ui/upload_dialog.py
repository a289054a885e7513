"""The Upload menu's dialogs: uploads that gave up (whose photo, how often it was tried, when and why, with a retry),
the queue written to a USB stick, and the registrar's settings line pasted to link the laptop."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QInputDialog, QLabel, QMessageBox, QPlainTextEdit, QProgressDialog,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from station.capture.desk import QueueHealth
from station.capture.session import CaptureSession
from station.errors import StationError
from station.i18n import Name, Text
from station.localtime import local_time
from ui.file_dialogs import choose_folder
from ui.i18n import t
from ui.modal import ask
from ui.tasks import run_task

TITLE = Text("失败的上传", "Failed uploads")
NONE = Text("没有失败的上传。照片都已上传或在等待上传。", "No failed uploads: every photo is sent or waiting.")
EXPLAIN = Text("这些照片已安全保存在本机，但自动上传已停止重试。排除原因（如网络、服务器设置）后点“全部重试”。",
               "These photos are safe on this laptop, but the station has stopped retrying their upload. "
               "Fix the cause (network, server settings), then press Retry all.")
COLUMNS = (Text("班级", "Class"), Text("学号", "Student no."), Text("姓名", "Name"), Text("版本", "Version"),
           Text("尝试次数", "Attempts"), Text("最后尝试", "Last tried"), Text("原因", "Reason"))
RETRY = Text("全部重试", "Retry all")
EXPORT_PICK = Text("选择U盘（或要导出到的文件夹）", "Choose the USB stick (or a folder to export to)")
LINK_ASK = Text("请粘贴学校管理员给出的整行设置：\nphoto-station server-config --station-id … --url … --token … --public-key … "
                "--server-cert-sha256 …\n（由 photo-station-server add-station 打印，每台电脑一行，不要与其他电脑共用）",
                "Paste the whole settings line the registrar gives you:\nphoto-station server-config --station-id … "
                "--url … --token … --public-key … --server-cert-sha256 …\n(printed by photo-station-server add-station: "
                "one line per laptop, never shared with another)")
STRANDED = Text("本机还有 {n} 张照片在等待上传，它们是为现在连接的服务器加密的，新的服务器无法打开（更换之后再导出到U盘也一样）。"
                "请先让它们上传完，或先用“上传 → 导出到U盘…”交给现在这台服务器的管理员，再更换服务器。\n\n仍要现在更换吗？",
                "{n:photo is|photos are} waiting to upload, sealed for the server linked now. The new server cannot open "
                "what was sealed for another (nor a USB package made after the change). Let the queue upload first, or "
                "export it with Upload → Export to USB stick… for this server's registrar, then change servers.\n\n"
                "Change now anyway?")
LINKED = Text("已保存服务器连接设置：工作站 {station_id}，服务器 {url}。服务器已应答，照片会加密后上传到这台服务器。",
              "The server link is saved: station {station_id}, server {url}. The server answered: photos are encrypted "
              "and uploaded to it.")
# the line is tried once saved: "saved" alone, then 服务器未连接 in the status bar whatever the cause, sent a photographer
# whose line had a mistyped fingerprint or token to check the network (seen on Xvfb)
NOT_ANSWERED = Text("已保存服务器连接设置：工作站 {station_id}，服务器 {url}。刚才试连：{why}\n\n"
                    "若是设置有误，请粘贴改正后的一行。照片仍可拍摄，加密保存在本机。",
                    "The server link is saved: station {station_id}, server {url}. Tried just now: {why}\n\n"
                    "If the settings were wrong, paste the corrected line. Photos can still be taken; they are kept "
                    "here, encrypted.")
TRYING = Text("正在连接服务器 {url} …", "Connecting to the server {url}…")


class FailedUploadsDialog(QDialog):
    def __init__(self, health: QueueHealth, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(TITLE))
        layout = QVBoxLayout(self)
        note = QLabel(t(EXPLAIN if health.failed else NONE))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = QTableWidget(len(health.failed), len(COLUMNS))
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, job in enumerate(health.failed):
            values = (job.class_name, job.student_no, job.name, str(job.version), str(job.attempts),
                      local_time(job.updated_at), t(job.reason))
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.Stretch)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.table.setVisible(bool(health.failed))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.retry = buttons.addButton(t(RETRY), QDialogButtonBox.AcceptRole)
        self.retry.setEnabled(bool(health.failed))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 400 if health.failed else 140)


def export_interactively(session: CaptureSession, title: str, parent: QWidget) -> None:
    """上传 → 导出到U盘: the queue written to a stick the photographer picks, then what was written. An empty queue is
    said before a folder is asked for."""
    try:
        session.desk.check_export()
    except StationError as exc:
        QMessageBox.information(parent, title, t(exc.text))
        return
    folder = choose_folder(parent, t(EXPORT_PICK))
    if folder is None:
        return
    try:
        report = session.desk.export_to(folder)
    except StationError as exc:
        QMessageBox.warning(parent, title, t(exc.text))
        return
    QMessageBox.information(parent, title, t(report.summary()))


def link_interactively(session: CaptureSession, title: str, parent: QWidget) -> bool:
    """上传 → 连接服务器…: the registrar's settings line pasted and saved, as `photo-station server-config` would; what
    is wrong with it said, and nothing saved. True once saved."""
    box = QInputDialog(parent)
    box.setWindowTitle(title)
    box.setLabelText(t(LINK_ASK))
    box.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    pasted = box.findChild(QPlainTextEdit)
    # the whole line in sight: QInputDialog makes its box NoWrap (the line ran off sideways under a scroll bar), and a
    # key or token is one long word; five lines' room holds a real add-station line at this width (four left a
    # scroll bar on Xvfb with Noto Sans CJK)
    pasted.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    pasted.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
    pasted.setMinimumHeight(pasted.fontMetrics().lineSpacing() * 5 + 2 * pasted.frameWidth() + 8)
    pasted.setTabChangesFocus(True)  # Tab goes on to 确定, as in every other box (it typed a tab into the line)
    box.resize(720, 0)
    if not ask(box):
        return False
    line = box.textValue()
    try:
        stranded = session.desk.stranded_by(line)
        no, yes = QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes
        if stranded and QMessageBox.question(parent, title, t(STRANDED.format(n=stranded)), defaultButton=no) != yes:
            return False
        link = session.desk.link_server(line)
    except StationError as exc:
        QMessageBox.warning(parent, title, t(exc.text))
        return False
    url = Name(link.url)  # on one line: https:// / 127.0.0.1:8420 was broken after the slashes
    why = _tried(session, t(TRYING.format(url=url)), title, parent)
    if why is None:
        QMessageBox.information(parent, title, t(LINKED.format(station_id=link.station_id, url=url)))
    else:
        QMessageBox.warning(parent, title, t(NOT_ANSWERED.format(station_id=link.station_id, url=url, why=why)))
    return True


def _tried(session: CaptureSession, trying: str, title: str, parent: QWidget) -> Text | None:
    """The server just linked, asked off the UI thread (the live picture goes on) while a busy box says so: None when it
    answered, else why not."""
    waiting = QProgressDialog(trying, "", 0, 0, parent)
    waiting.setWindowTitle(title)
    waiting.setCancelButton(None)
    waiting.setMinimumDuration(0)
    waiting.setWindowModality(Qt.WindowModality.WindowModal)
    answer: list[Text | None] = []
    over = QEventLoop()

    def said(why: Text | None) -> None:
        answer.append(why)
        over.quit()

    run_task(session.desk.server_answers, said, failed=lambda exc: said(Text(str(exc), str(exc))))
    waiting.show()
    if not answer:
        over.exec()
    waiting.close()
    return answer[0]
