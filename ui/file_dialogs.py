"""Choosing a file (a roster) or a folder (a USB stick) in the window's language.

Each opens where the last one of its kind chose, this run or the one before (station.chosen_folders): the roster's
folder, or the USB stick, for the reference photos and the next class's roster; the folder of the last PDF or report
for the next.

On Windows and macOS the system's own dialog speaks the system's language. Where Qt draws its own
(Linux without a desktop theme), some of its labels ("Look in:", "Files of type:", the "Folder" type
column) are not in Qt's Chinese translation and stayed English in a Chinese window: they are set here,
and the list view shows only names.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from station.chosen_folders import chosen_folders, keep_folder
from station.i18n import Text
from ui.i18n import t
from ui.modal import ask

LABELS = {
    QFileDialog.DialogLabel.LookIn: Text("查找范围：", "Look in:"),
    QFileDialog.DialogLabel.FileName: Text("文件名：", "File name:"),
    QFileDialog.DialogLabel.FileType: Text("类型：", "Type:"),
    QFileDialog.DialogLabel.Accept: Text("选择", "Choose"),
    QFileDialog.DialogLabel.Reject: Text("取消", "Cancel"),
}


FOLDER_NAME = Text("文件夹：", "Folder:")
SAVE = Text("保存", "Save")
READ, WRITE = "read", "write"  # the kinds of place remembered: where files are read from, where they are written
_last: dict[str, Path] = {}
_kept_in: list[Path] = []  # the data folder the places are kept in for the next start (keep_places_in)


def last_folder(kind: str) -> Path:
    """Where the last file of `kind` was chosen or written; at first the home folder (not the program's own, where a
    photographer's files have no place)."""
    folder = _last.get(kind)
    return folder if folder is not None and folder.is_dir() else Path.home()  # a USB stick pulled out since


def keep_places_in(home: Path) -> None:
    """The places the last start remembered in this data folder (the demo's is its own), and it keeps them from now."""
    _kept_in[:] = [home]
    _last.clear()
    _last.update(chosen_folders(home))


def remember(kind: str, folder: Path) -> None:
    _last[kind] = folder
    if _kept_in:
        keep_folder(_kept_in[0], kind, folder)  # a data folder that cannot be written: remembered for this run


def _dialog(parent: QWidget | None, title: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, str(last_folder(READ)))
    dialog.setViewMode(QFileDialog.ViewMode.List)
    for label, text in LABELS.items():
        dialog.setLabelText(label, t(text))
    return dialog


def _chosen(dialog: QFileDialog) -> Path | None:
    if not ask(dialog) or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    dialog = _dialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setLabelText(QFileDialog.DialogLabel.FileName, t(FOLDER_NAME))
    chosen = _chosen(dialog)
    if chosen is not None:
        remember(READ, chosen.parent)  # beside it the next folder, or the roster that goes with it
    return chosen


def choose_file(parent: QWidget | None, title: str, name_filter: str) -> Path | None:
    """An existing file, e.g. the roster (`name_filter`: "名单表格 (*.xlsx *.csv)")."""
    dialog = _dialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(name_filter)
    chosen = _chosen(dialog)
    if chosen is not None:
        remember(READ, chosen.parent)
    return chosen


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
