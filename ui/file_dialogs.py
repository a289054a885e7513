"""Choosing a file (a roster) or a folder (a USB stick) in the window's language.

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
    QFileDialog.DialogLabel.FileName: Text("文件名：", "File name:"),
    QFileDialog.DialogLabel.FileType: Text("类型：", "Type:"),
    QFileDialog.DialogLabel.Accept: Text("选择", "Choose"),
    QFileDialog.DialogLabel.Reject: Text("取消", "Cancel"),
}


FOLDER_NAME = Text("文件夹：", "Folder:")
SAVE = Text("保存", "Save")


def _dialog(parent: QWidget | None, title: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, str(Path.home()))  # not the program's own folder
    dialog.setViewMode(QFileDialog.ViewMode.List)
    for label, text in LABELS.items():
        dialog.setLabelText(label, t(text))
    return dialog


def _chosen(dialog: QFileDialog) -> Path | None:
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    dialog = _dialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, t(FOLDER_NAME))
    return _chosen(dialog)


def choose_file(parent: QWidget | None, title: str, name_filter: str) -> Path | None:
    """An existing file, e.g. the roster (`name_filter`: "名单表格 (*.xlsx *.csv)")."""
    dialog = _dialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(name_filter)
    return _chosen(dialog)


def choose_save_file(parent: QWidget | None, title: str, name_filter: str, suggested: Path) -> Path | None:
    """A file to write (a print sheet, a report), starting from `suggested`; its ending is kept when the name
    typed has none."""
    dialog = _dialog(parent, title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setNameFilter(name_filter)
    dialog.setDirectory(str(suggested.parent))
    dialog.selectFile(suggested.name)
    dialog.setDefaultSuffix(suggested.suffix.lstrip("."))
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, t(SAVE))
    return _chosen(dialog)
