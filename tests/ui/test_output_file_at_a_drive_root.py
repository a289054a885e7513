"""The print or report file typed as a drive alone: E:\\ or E: (the USB stick the photographer will carry to the
print shop), / on Linux. Choosing the class or the report's format after it asked pathlib for that path's name
changed (with_name, with_suffix), which a path without a name refuses: a ValueError out of the Qt slot, the program
error box, and the field kept a path that is a folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath, PureWindowsPath

from ui.output_file_row import file_named
from ui.print_dialog import PrintDialog
from ui.report_dialog import ReportDialog


def test_a_drive_or_root_typed_as_the_file_gets_the_file_at_its_top() -> None:
    assert file_named(PureWindowsPath("E:\\"), "证件照_计科.pdf") == PureWindowsPath("E:\\证件照_计科.pdf")
    assert file_named(PureWindowsPath("E:"), "证件照_计科.pdf") == PureWindowsPath("E:\\证件照_计科.pdf")
    assert file_named(PureWindowsPath("\\\\nas\\打印\\"), "a.pdf") == PureWindowsPath("\\\\nas\\打印\\a.pdf")
    assert file_named(PurePosixPath("/"), "a.pdf") == PurePosixPath("/a.pdf")
    assert file_named(PureWindowsPath("D:\\打印\\photos.pdf"), "a.pdf") == PureWindowsPath("D:\\打印\\a.pdf")


def test_choosing_a_class_or_a_format_after_typing_a_drive_root(qtbot, tmp_path: Path) -> None:
    printing = PrintDialog(["计科2101", "计科2102"], None, tmp_path, lambda *args: None)
    qtbot.addWidget(printing)
    printing.file.path.setText("/")
    printing.classes.setCurrentText("计科2102")  # raised ValueError: PosixPath('/') has an empty name
    assert printing.file.chosen() == Path("/证件照_计科2102.pdf")
    report = ReportDialog(["计科2101"], dt.date(2026, 12, 7), tmp_path, lambda *args: None)
    qtbot.addWidget(report)
    report.file.path.setText("/")
    report.format.setCurrentIndex(1 - report.format.currentIndex())  # raised ValueError as well
    assert report.file.chosen() == Path("/")
