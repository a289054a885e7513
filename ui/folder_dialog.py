"""Choosing a folder (a USB stick) in the window's language.

On Windows and macOS the system's own dialog speaks the system's language. Where Qt draws its own
(Linux without a desktop theme), some of its labels ("Look in:", "Files of type:", the "Folder" type
column) are not in Qt's Chinese translation and stayed English in a Chinese window: they are set here,
and the list view shows only names.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from station.i18n import Text
from ui.i18n import t

LABELS = {
    QFileDialog.DialogLabel.LookIn: Text("查找范围：", "Look in:"),
    QFileDialog.DialogLabel.FileName: Text("文件夹：", "Folder:"),
    QFileDialog.DialogLabel.FileType: Text("类型：", "Type:"),
    QFileDialog.DialogLabel.Accept: Text("选择", "Choose"),
    QFileDialog.DialogLabel.Reject: Text("取消", "Cancel"),
}


def folder_dialog(parent: QWidget | None, title: str) -> QFileDialog:
    dialog = QFileDialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setViewMode(QFileDialog.ViewMode.List)
    for label, text in LABELS.items():
        dialog.setLabelText(label, t(text))
    return dialog


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    dialog = folder_dialog(parent, title)
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])
