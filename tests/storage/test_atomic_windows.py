"""An atomic write over a file that another handle holds open, as Windows treats it.

Windows refuses os.replace onto a file opened without FILE_SHARE_DELETE (Python's open() never asks for it): an
antivirus or the search indexer reading the file just written, OneDrive, Excel holding a report. Linux renames over
open files, so the refusal is emulated here: os.replace raises PermissionError (WinError 5's errno) while the target
is held, exactly as the Windows call does, and a real handle on the file is held and let go by another thread.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from station.errors import OS_REASONS, os_reason
from station.storage.atomic import write_atomic


class WindowsHandles:
    """The files held open elsewhere, and os.replace, os.rename and os.unlink as Windows does them while they are: a
    held file can be neither moved, replaced nor deleted."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.held: dict[str, object] = {}
        self.for_seconds: dict[str, float] = {}
        self.refused = 0
        for name in ("replace", "rename"):
            monkeypatch.setattr(os, name, self._refusing(getattr(os, name)))
        monkeypatch.setattr(os, "unlink", self._refusing_removal(os.unlink))

    def _refusing_removal(self, remove):  # noqa: ANN001, ANN202
        def windows_remove(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
            if os.fspath(path) in self.held:
                self._refuse(os.fspath(path))
                raise PermissionError(13, "Access is denied", os.fspath(path))
            remove(path, *args, **kwargs)
        return windows_remove

    def _refusing(self, move):  # noqa: ANN001, ANN202
        def windows_move(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
            if held := {os.fspath(source), os.fspath(target)} & set(self.held):
                self._refuse(*held)
                raise PermissionError(13, "Access is denied", os.fspath(source), None, os.fspath(target))
            move(source, target)
        return windows_move

    def hold(self, path: Path, seconds: float | None) -> None:
        """Hold the file open; with seconds, let it go that long after the first refusal (counting from the hold
        itself would let go before anything tried on a loaded machine, and the test would prove nothing)."""
        self.held[os.fspath(path)] = path.open("rb")
        if seconds is not None:
            self.for_seconds[os.fspath(path)] = seconds

    def _refuse(self, *paths: str) -> None:
        self.refused += 1
        for path in paths:
            if (seconds := self.for_seconds.pop(path, None)) is not None:
                threading.Timer(seconds, self.let_go, [Path(path)]).start()

    def let_go(self, path: Path) -> None:
        self.held.pop(os.fspath(path)).close()


def test_a_file_held_open_for_a_moment_is_still_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "照片 目录" / "camera.json"
    write_atomic(target, b"old")
    windows = WindowsHandles(monkeypatch)
    windows.hold(target, 0.15)  # an antivirus scanning what was just written
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and windows.refused >= 1
    assert [p.name for p in target.parent.iterdir()] == ["camera.json"]


def test_a_file_held_open_for_good_is_refused_with_the_old_one_intact(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "报表.xlsx"
    write_atomic(target, b"yesterday")
    windows = WindowsHandles(monkeypatch)
    windows.hold(target, None)  # open in Excel
    try:
        with pytest.raises(PermissionError):
            write_atomic(target, b"today")
    finally:
        windows.let_go(target)
    assert target.read_bytes() == b"yesterday" and [p.name for p in tmp_path.iterdir()] == ["报表.xlsx"]


def test_a_file_held_for_good_is_said_to_be_in_use_not_a_folder_without_permission(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows says a file held open (an antivirus scanning the photo just written, longer than the waits) with the
    code of a refused permission: the shutter's save said 没有权限（请检查文件夹的权限…）, sending the photographer to the
    folder's permissions, which had just let the station write its temporary file there (s34 Windows review)."""
    target = tmp_path / "captures" / "ab" / "photo.pse"
    write_atomic(target, b"earlier")
    windows = WindowsHandles(monkeypatch)
    windows.hold(target, None)
    monkeypatch.setattr("station.storage.atomic.REPLACE_WAITS", (0.01,))
    try:
        with pytest.raises(PermissionError) as refused:  # still a PermissionError for the callers that catch one
            write_atomic(target, b"now")
    finally:
        windows.let_go(target)
    assert os_reason(refused.value) is OS_REASONS["in_use"] and refused.value.filename == str(target)
