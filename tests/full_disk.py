"""A disk made full for real: what the kernel answers with ENOSPC, as on a laptop whose disk filled during the day."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlite_utils


@contextmanager
def small_file_system(mount_point: Path, size: str) -> Iterator[Path]:
    """A real tmpfs of `size` (mount's words: "3m") mounted at mount_point, unmounted after; the test skips where it
    cannot be mounted (it needs root)."""
    mount_point.mkdir()
    if os.name != "posix" or os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill_up(folder: Path) -> Path:
    """A file in `folder` that takes every byte its file system has left; delete it to free the disk again."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (2**16, 2**12, 2**9, 1):  # down to the last byte
            try:
                while True:
                    os.write(fd, bytes(size))
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def full_under(db: sqlite_utils.Database, folder: Path) -> Path:
    """The disk under the station's database full, its write-ahead log emptied first: SQLite's next write must grow
    that file, and the disk refuses (a log that still had room would take a small write and hide the full disk)."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return fill_up(folder)
