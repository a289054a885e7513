"""An atomic write to any name the file system takes."""

from __future__ import annotations

from pathlib import Path

from station.storage.atomic import write_atomic


def test_a_name_as_long_as_the_file_system_takes_is_written(tmp_path: Path) -> None:
    """The temporary file beside the target was named after all of it, 14 bytes longer: a photo named with 242 to
    255 bytes (83 Chinese characters) could not be cropped, 'File name too long', though its output's name fits."""
    for name in ("a" * 251 + ".jpg", "长" * 83 + ".jpg"):
        target = tmp_path / name
        assert len(name.encode()) <= 255
        write_atomic(target, b"photo")
        assert target.read_bytes() == b"photo"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a" * 251 + ".jpg", "长" * 83 + ".jpg"])
