"""A report's or print sheet's file pasted from Windows Explorer: 复制为路径 / 复制文件地址 (Copy as path) puts the
path in double quotes, which Windows refuses in a file name ("Invalid argument": nothing written)."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.i18n import Text
from ui.output_file_row import OutputFileRow


def test_a_path_copied_as_path_in_explorer_is_the_file_itself(qtbot, tmp_path: Path) -> None:
    row = OutputFileRow(tmp_path / "photos.pdf", Text("打印", "Print"), Text("PDF (*.pdf)", "PDF (*.pdf)"))
    qtbot.addWidget(row)
    wanted = tmp_path / "报表 目录" / "采集日报 5月20日.xlsx"
    row.path.setText(f' "{wanted}" ')
    assert row.chosen() == wanted
    row.set_suffix(".pdf")
    assert row.chosen() == wanted.with_suffix(".pdf")


def test_a_windows_variable_typed_as_in_explorer_is_the_folder_it_names(qtbot, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """%USERPROFILE%\\Desktop\\日报.xlsx, as one types it into Explorer's address bar: the report was written into a
    folder named %USERPROFILE% in the station's current folder (s34 Windows review)."""
    monkeypatch.setenv("PHOTO_TEST_DESKTOP", str(tmp_path / "桌面"))
    row = OutputFileRow(tmp_path / "photos.pdf", Text("打印", "Print"), Text("PDF (*.pdf)", "PDF (*.pdf)"))
    qtbot.addWidget(row)
    row.path.setText("%PHOTO_TEST_DESKTOP%/采集日报.xlsx")
    assert row.chosen() == tmp_path / "桌面" / "采集日报.xlsx"
