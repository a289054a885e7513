"""The operating system's refusals said in words: a write-protected USB stick is "read-only", not "Read-only file
system" (or "Permission denied", "No such file or directory") in English inside a Chinese sentence."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from station.camera.tether import tether_folder
from station.documents.output_file import write_output_file
from station.errors import OS_REASONS, StationError, os_reason
from station.paths import data_home
from station.spreadsheet import Sheet, write_tables

READ_ONLY = "磁盘是只读的（U盘可能开了写保护）"


def _said(refused: pytest.ExceptionInfo[StationError]) -> str:
    text = refused.value.text
    assert "Read-only file system" not in text.zh + text.en and "Errno" not in text.zh + text.en
    return text.zh


def test_a_day_report_or_spreadsheet_on_a_write_protected_stick(read_only_disk: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="station")
    with pytest.raises(StationError) as refused:
        write_tables(read_only_disk / "日报.xlsx", [Sheet("日报", ["学号"], [["2021010101"]])])
    assert _said(refused) == f"无法写入 {read_only_disk / '日报.xlsx'}：{READ_ONLY}"
    assert "Read-only file system" in caplog.text  # the system's own words, for support
    with pytest.raises(StationError) as refused:
        write_output_file(read_only_disk / "folder" / "日报.pdf", b"%PDF-1.4")
    assert _said(refused) == f"无法写入 {read_only_disk / 'folder' / '日报.pdf'}：{READ_ONLY}。请换一个文件名或位置再试。"


def test_a_data_folder_or_tether_folder_on_a_write_protected_stick(read_only_disk: Path) -> None:
    with pytest.raises(StationError) as refused:
        data_home(read_only_disk / "PhotoStation")
    assert _said(refused).startswith(f"无法使用数据目录 {read_only_disk / 'PhotoStation'}：{READ_ONLY}。")
    with pytest.raises(StationError) as refused:
        tether_folder(read_only_disk / "tether")
    assert _said(refused) == f"无法使用联机相机的文件夹 {read_only_disk / 'tether'}：{READ_ONLY}"


@pytest.mark.parametrize(("code", "errno_", "said"), [(206, 2, "too_long"), (32, 13, "in_use"), (19, 13, "read_only")])
def test_windows_own_codes_say_what_happened(code: int, errno_: int, said: str) -> None:
    """Windows' refusals arrive with errno values that say something else: a path over 260 characters (where long
    paths are not enabled) as ENOENT, said as 'is its drive or USB stick unplugged?' (s34 Windows review); a file
    another program holds, or a write-protected stick, as EACCES. Their winerror (as Windows' OSError carries it)
    says what happened."""
    refusal = OSError(errno_, "refused")
    refusal.winerror = code  # what Windows' OSError carries beside errno
    assert os_reason(refusal) is OS_REASONS[said]
