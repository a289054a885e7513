"""A report or table written over a file that Excel, WPS or a PDF reader holds open, as Windows refuses it.

Windows refuses to open for writing (or replace) a file another program holds open: yesterday's day report still
open in Excel is the usual one. Linux never refuses, so the refusal is emulated: opening the held file for writing,
and os.replace onto it, raise PermissionError as the Windows calls do. The photographer is told to close it, instead
of "Permission denied" (an English C-library message on a Chinese laptop) or "Access is denied".
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from station.documents.output_file import write_output_file
from station.errors import StationError
from station.spreadsheet import Sheet, write_tables
from tests.storage.test_atomic_windows import WindowsHandles

CLOSE_IT = "open in another program"


def test_a_report_open_in_excel_is_named_and_the_photographer_told_to_close_it(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "采集日报_2025-05-20.xlsx"
    report.write_bytes(b"yesterday")
    real_open = Path.open

    def windows_open(self: Path, mode: str = "r", *args, **kwargs):  # noqa: ANN202
        if self == report and "w" in mode:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", windows_open)
    with pytest.raises(StationError) as refused:
        write_output_file(report, b"today")
    assert CLOSE_IT in refused.value.text.get("en") and str(report) in refused.value.text.get("en")
    assert report.read_bytes() == b"yesterday"


def test_a_table_open_in_excel_is_named_and_the_photographer_told_to_close_it(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    table = tmp_path / "收费.xlsx"
    write_tables(table, [Sheet("收费", ["学号"], [["2021010101"]])])
    windows = WindowsHandles(monkeypatch)
    windows.hold(table, None)  # open in Excel all along
    try:
        with pytest.raises(StationError) as refused:
            write_tables(table, [Sheet("收费", ["学号"], [["2021010102"]])])
    finally:
        windows.let_go(table)
    assert CLOSE_IT in refused.value.text.get("en") and os.fspath(table) in refused.value.text.get("en")
