"""工作站 → 输出规格 on a data folder that cannot be written (a write-protected stick: the kernel's EROFS, even to
root): the choice is refused in words, with why, and the profile before stays. Before, the OSError reached the window
as a program error (a full disk was already said, by write_atomic)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from station.chsi.profiles import STATION_PROFILES, load_profiles, select_profile
from station.errors import StationError
from tests.chsi.test_output_profiles import SCHOOL
from tests.full_disk import small_file_system


@pytest.fixture
def write_protected_home(tmp_path: Path):
    """A data folder holding the school's profiles, then made read-only (a tmpfs remounted so); needs root."""
    with small_file_system(tmp_path / "stick", "1m") as home:
        (home / STATION_PROFILES).write_text(SCHOOL, encoding="utf-8")
        subprocess.run(["mount", "-o", "remount,ro", str(home)], check=True)
        yield home


def test_a_profile_that_cannot_be_kept_is_refused_in_words(write_protected_home: Path) -> None:
    with pytest.raises(StationError) as refused:
        select_profile(write_protected_home, "small")
    path = write_protected_home / STATION_PROFILES
    assert refused.value.text.zh == (f"输出规格没有改：{path} 不能写入（磁盘是只读的（U盘可能开了写保护））。"
                                     "照片仍按原来的规格制作。")
    assert refused.value.text.en.startswith(f"The output profile was not changed: {path} cannot be written (the drive")
    assert load_profiles(write_protected_home).current.name == "school16k"
