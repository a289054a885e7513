"""打开 in the box that says a PDF or report was written, on a computer with no program for the file: the click
did nothing (QDesktopServices.openUrl returned False unheard); now the photographer is told where the file is.
Qt's offscreen platform has no program for any file, as a fresh laptop without a PDF viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDesktopServices
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import on_next_dialog
from ui.output_file_row import OPEN, tell_written
from ui.i18n import t


def test_open_with_no_program_for_the_file_says_where_it_is(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "照片.pdf"
    out.write_bytes(b"%PDF-1.4\n")
    assert not QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))  # the premise: nothing opens it here
    seen: list[str] = []

    def press_open(box: QMessageBox) -> None:
        [button] = [b for b in box.buttons() if b.text() == t(OPEN)]
        on_next_dialog(lambda warning: (seen.append(warning.text()), warning.accept()), kind=QMessageBox)
        button.click()

    on_next_dialog(press_open, kind=QMessageBox)
    tell_written(None, "打印照片", "已生成 1 页", out)
    assert len(seen) == 1
    assert "没有能打开此文件的程序" in seen[0] and str(out) in seen[0]
