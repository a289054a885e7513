"""Reference photos imported into a data folder that cannot be written (a write-protected stick: the kernel's EROFS,
even to root): the import stops with why, in words, and the photos imported before stay; once it can be written the
same import takes the rest. Before, the OSError reached the window's import as a program error (a full disk was
already said, by write_atomic)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from station.adapters.demo import DEMO_REFERENCES
from station.errors import StationError
from station.identity.embedder import FaceEmbedder
from station.identity.references import import_reference_photos
from station.identity.reference_store import FOLDER


def _read_only(folder: Path) -> None:
    """`folder` made read-only where it is (a bind mount over itself); needs root."""
    if os.name != "posix" or os.geteuid() != 0 or subprocess.run(
            ["mount", "--bind", str(folder), str(folder)], capture_output=True).returncode:
        pytest.skip("cannot bind-mount here (needs root)")
    subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)


def test_a_data_folder_that_cannot_be_written_stops_the_import_in_words(demo_station, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("2021010101.jpg", "2021010102.jpg"):
        shutil.copy(DEMO_REFERENCES / name, photos)
    key, embedder = demo_station.demo_key.key, FaceEmbedder()
    assert import_reference_photos(demo_station, photos, key, embedder).imported == 2
    shutil.copy(DEMO_REFERENCES / "2021010103.jpg", photos)
    _read_only(demo_station.home)
    try:
        with pytest.raises(StationError) as refused:
            import_reference_photos(demo_station, photos, key, embedder)
    finally:
        subprocess.run(["umount", str(demo_station.home)], check=True)
    folder = demo_station.home / FOLDER
    assert refused.value.text.zh == (f"参考照片没有全部导入：{folder} 不能写入（磁盘是只读的（U盘可能开了写保护））。"
                                     "已导入的参考照片不受影响；处理后再导入一次即可，已导入的不会重复。")
    assert "Reference photos imported before are kept" in refused.value.text.en
    assert demo_station.db.execute("SELECT COUNT(*) FROM reference_photos").fetchone() == (2,)
    again = import_reference_photos(demo_station, photos, key, embedder)
    assert (again.imported, again.unchanged) == (1, 2)
