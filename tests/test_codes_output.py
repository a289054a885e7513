"""`photo-station codes --out`: a PDF that cannot be written is a message naming the path, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli import run_cli
from tests.roster_kit import station_with_roster

ROSTER = "学号,姓名,班级\n2021001,张三,演示2101\n2021002,李四,演示2101\n"


@pytest.fixture
def roster_home(home: Path, tmp_path: Path) -> Path:
    station_with_roster(home, tmp_path, ROSTER.encode("utf-8")).close()
    return home


def _codes(home: Path, out: Path) -> tuple[int, str]:
    result = run_cli("--lang", "en", "codes", "--class", "演示2101", "--out", str(out), home=home)
    return result.returncode, result.stderr.decode()


def test_slips_cannot_be_written_over_a_folder(roster_home: Path, tmp_path: Path) -> None:
    code, stderr = _codes(roster_home, tmp_path)
    assert code == 2 and "Traceback" not in stderr and f"Cannot write {tmp_path}: it is a folder" in stderr


def test_slips_cannot_be_written_under_a_file(roster_home: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    for out in (a_file / "slips.pdf", a_file / "sub" / "slips.pdf"):
        code, stderr = _codes(roster_home, out)
        assert code == 2 and "Traceback" not in stderr and f"Cannot write {out}" in stderr, stderr
    assert a_file.read_text() == "keep me"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (a device that is always full)")
def test_slips_on_a_full_disk_are_a_message(roster_home: Path) -> None:
    code, stderr = _codes(roster_home, Path("/dev/full"))
    assert code == 2 and "Traceback" not in stderr and "Cannot write /dev/full: No space left on device" in stderr


def test_slips_are_still_written_where_they_can_be(roster_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "new folder" / "slips.pdf"
    code, stderr = _codes(roster_home, out)
    assert code == 0, stderr
    assert out.read_bytes().startswith(b"%PDF")
