"""Uploads that gave up: which photo, how often it was tried, and why — with a retry."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from station.i18n import Text
from station.upload.outbox import QueueHealth
from ui.i18n import t

TITLE = Text("失败的上传", "Failed uploads")
NONE = Text("没有失败的上传。照片都已上传或在等待上传。", "No failed uploads: every photo is sent or waiting.")
COLUMNS = (Text("学号", "Student no."), Text("版本", "Version"), Text("尝试次数", "Attempts"), Text("原因", "Reason"))
RETRY = Text("全部重试", "Retry all")


class FailedUploadsDialog(QDialog):
    def __init__(self, health: QueueHealth, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t(TITLE))
        layout = QVBoxLayout(self)
        if not health.failed:
            layout.addWidget(QLabel(t(NONE)))
        self.table = QTableWidget(len(health.failed), len(COLUMNS))
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        for row, job in enumerate(health.failed):
            for column, value in enumerate((job.student_no, str(job.version), str(job.attempts), t(job.reason))):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.setVisible(bool(health.failed))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.retry = buttons.addButton(t(RETRY), QDialogButtonBox.AcceptRole)
        self.retry.setEnabled(bool(health.failed))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(700, 360 if health.failed else 120)
