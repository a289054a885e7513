"""A file name typed for a report, a print sheet or a table holding what Windows does not take in a name.

NTFS reads a colon as the start of a stream's name: 日报 12:07.xlsx (a time in the name) was written as an empty file
日报 12 whose hidden stream 07.xlsx held the report, and the station said it was written as named, a file nobody
could find or open. ? * < > | and " are refused by Windows itself, said as "a read or write error". Linux takes them
all, so Windows' rule is asked for here (output_file.WINDOWS), as the station asks it on Windows.
"""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import pytest

from station.documents import output_file
from station.documents.output_file import refused_in_names, write_output_file
from station.errors import StationError
from station.spreadsheet import Sheet, write_tables


def test_the_characters_windows_refuses_are_found_in_every_name_past_the_drive() -> None:
    assert refused_in_names(PureWindowsPath(r"C:\Users\张三\OneDrive\文档\日报 12:07.xlsx")) == ":"
    assert refused_in_names(PureWindowsPath(r"E:\证件照_计科2101.pdf")) == ""
    assert refused_in_names(PureWindowsPath(r"\\nas\打印\第?批\a|b.pdf")) == "?|"
    assert refused_in_names(PureWindowsPath(r"\\?\C:\很长的路径\a.pdf")) == ""
    assert refused_in_names(PureWindowsPath(r"报表\<草稿>.pdf")) == "<>"


def test_a_report_named_with_a_time_s_colon_is_refused_on_windows(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output_file, "WINDOWS", True)
    for write in (lambda out: write_output_file(out, b"%PDF"),
                  lambda out: write_tables(out, [Sheet("名单", ["学号"], [["2021001"]])])):
        out = tmp_path / "日报 12:07.xlsx"
        with pytest.raises(StationError) as refused:
            write(out)
        said = refused.value.text
        assert "“:”" in said.zh and "12-07" in said.zh and "':'" in said.en and str(out) in said.en
        assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(output_file, "WINDOWS", False)  # Linux takes the name, as before
    write_output_file(tmp_path / "日报 12:07.pdf", b"%PDF")
    assert (tmp_path / "日报 12:07.pdf").read_bytes() == b"%PDF"
