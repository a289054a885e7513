"""The tethered camera's folder: a JPEG is reported once, only when completely written, whatever way the tether
software writes it (slowly under its final name, or under a temporary name then renamed)."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from station.adapters.demo import DEMO_DIR
from station.camera.tether import TetherWatcher, set_aside, tether_folder
from station.errors import StationError

JPEG = (DEMO_DIR / "kiosk" / "01_good.jpg").read_bytes()


def names(files) -> list[str]:
    return [f.path.name for f in files]


def test_a_file_written_in_two_parts_is_reported_once_when_whole(tmp_path: Path) -> None:
    watcher = TetherWatcher(tmp_path, print)
    shot = tmp_path / "IMG_0001.JPG"
    shot.write_bytes(JPEG[: len(JPEG) // 2])  # the writer pauses half-way: the same size on several polls
    assert [watcher.poll(t) for t in (1.0, 2.0, 3.0)] == [[], [], []]
    with shot.open("ab") as f:
        f.write(JPEG[len(JPEG) // 2:])
    assert watcher.poll(4.0) == []  # grown since the last poll: not yet
    [ready] = watcher.poll(5.0)
    assert ready.path == shot and ready.image.shape == (720, 1280, 3)
    assert watcher.poll(6.0) == [] and watcher.poll(7.0) == []  # once only
    shot.write_bytes(JPEG + b"\x00" * 16)  # the same name written again (a camera that reuses it): a new photo
    watcher.poll(8.0)
    assert names(watcher.poll(9.0)) == ["IMG_0001.JPG"]


def test_earlier_shots_temporary_names_and_other_files_are_not_photos(tmp_path: Path) -> None:
    (tmp_path / "yesterday.jpg").write_bytes(JPEG)
    watcher = TetherWatcher(tmp_path, print)
    (tmp_path / ".IMG_0002.JPG.part").write_bytes(JPEG)
    (tmp_path / "~IMG_0002.JPG").write_bytes(JPEG)
    (tmp_path / "IMG_0002.CR3").write_bytes(b"raw")
    (tmp_path / "notes.txt").write_text("x")
    assert watcher.poll(1.0) == [] and watcher.poll(2.0) == []
    (tmp_path / ".IMG_0002.JPG.part").rename(tmp_path / "IMG_0002.JPG")  # EOS Utility / digiCamControl style
    watcher.poll(3.0)
    assert names(watcher.poll(4.0)) == ["IMG_0002.JPG"]


def test_a_damaged_file_is_given_up_on_without_a_picture(tmp_path: Path) -> None:
    watcher = TetherWatcher(tmp_path, print, give_up_s=5.0)
    (tmp_path / "broken.jpg").write_bytes(JPEG[:4000])  # never finished
    assert watcher.poll(1.0) == [] and watcher.poll(2.0) == [] and watcher.poll(5.0) == []
    [ready] = watcher.poll(7.0)
    assert ready.path.name == "broken.jpg" and ready.image is None


def test_the_watcher_thread_reports_a_dropped_file(tmp_path: Path) -> None:
    seen, arrived = [], threading.Event()
    watcher = TetherWatcher(tmp_path, lambda f: (seen.append(f.path.name), arrived.set()), interval_s=0.05).start()
    try:
        (tmp_path / "IMG_0003.JPG").write_bytes(JPEG)
        assert arrived.wait(5.0) and seen == ["IMG_0003.JPG"]
    finally:
        watcher.stop()


def test_set_aside_never_overwrites(tmp_path: Path) -> None:
    folder, unfiled = tmp_path / "tether", tmp_path / "home" / "tether-unfiled"
    folder.mkdir()
    for _ in range(2):
        (folder / "IMG_0004.JPG").write_bytes(JPEG)
        set_aside(folder / "IMG_0004.JPG", unfiled)
    assert sorted(p.name for p in unfiled.iterdir()) == ["IMG_0004-2.JPG", "IMG_0004.JPG"]
    assert not (folder / "IMG_0004.JPG").exists() and (unfiled / "IMG_0004-2.JPG").read_bytes() == JPEG


def test_a_still_set_aside_across_drives_while_still_held_stays_in_one_place(tmp_path: Path, monkeypatch) -> None:
    """The tether folder on another drive than the data home: the move is a copy and then the original's deletion,
    which Windows refuses while the tether software still holds the file. The station said the file stayed where it
    was, and a copy was in tether-unfiled as well (s34 Windows review). Now it stays where it was, once."""
    from tests.storage.test_atomic_windows import WindowsHandles

    folder, unfiled = tmp_path / "EOS", tmp_path / "home" / "tether-unfiled"
    folder.mkdir()
    (folder / "IMG_0005.JPG").write_bytes(JPEG)

    def across_drives(source, target, *args, **kwargs):  # noqa: ANN001, ANN202
        raise OSError(errno.EXDEV, "Invalid cross-device link", os.fspath(source))

    monkeypatch.setattr(os, "rename", across_drives)
    windows = WindowsHandles(monkeypatch)
    windows.hold(folder / "IMG_0005.JPG", None)
    try:
        with pytest.raises(OSError):
            set_aside(folder / "IMG_0005.JPG", unfiled)
    finally:
        windows.let_go(folder / "IMG_0005.JPG")
    assert (folder / "IMG_0005.JPG").read_bytes() == JPEG and list(unfiled.iterdir()) == []


def test_the_window_is_started_with_the_folder_and_a_folder_it_cannot_use_is_said(home: Path, tmp_path: Path) -> None:
    from station.adapters.cli import parse_args
    from station.adapters.startup import open_station

    opened = open_station(parse_args(["--home", str(home), "--tether", str(tmp_path / "EOS" / "today")]))
    try:
        assert opened.tether == (tmp_path / "EOS" / "today").resolve() and opened.tether.is_dir()  # made for the software
    finally:
        opened.close()
    a_file = tmp_path / "photo.jpg"
    a_file.write_bytes(JPEG)
    with pytest.raises(StationError) as err:
        tether_folder(a_file)
    assert "联机相机的文件夹" in err.value.text.zh
