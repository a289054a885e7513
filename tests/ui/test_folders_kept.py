"""The folders the dialogs open in are kept in the data folder for the next start (station.chosen_folders): a
photographer who wrote the print sheets to the school's share yesterday is offered it again this morning, not the home
folder; each data folder keeps its own (the demo's apart from the real one), and a broken file keeps none."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.chosen_folders import FOLDERS_FILE
from ui import file_dialogs
from ui.file_dialogs import READ, WRITE, keep_places_in, last_folder, remember


@pytest.fixture(autouse=True)
def own_memory(monkeypatch) -> None:
    """This test's places only: the module's memory is put back afterwards."""
    monkeypatch.setattr(file_dialogs, "_last", {})
    monkeypatch.setattr(file_dialogs, "_kept_in", [])


def test_the_folders_last_used_are_offered_at_the_next_start(tmp_path: Path) -> None:
    home, demo = tmp_path / "数据", tmp_path / "demo"
    written, read = tmp_path / "共享盘" / "打印", tmp_path / "U盘"
    for folder in (home, demo, written, read):
        folder.mkdir(parents=True)
    keep_places_in(home)
    assert last_folder(WRITE) == last_folder(READ) == Path.home()
    remember(WRITE, written)
    remember(READ, read)
    keep_places_in(home)  # the next start: only what the data folder kept
    assert (last_folder(WRITE), last_folder(READ)) == (written, read)
    keep_places_in(demo)  # another data folder keeps its own
    assert last_folder(WRITE) == Path.home()
    read.rmdir()  # the USB stick is not plugged in this morning
    keep_places_in(home)
    assert (last_folder(WRITE), last_folder(READ)) == (written, Path.home())
    (home / FOLDERS_FILE).write_text("{not json", encoding="utf-8")
    keep_places_in(home)
    assert last_folder(WRITE) == Path.home()
    remember(WRITE, written)  # a broken file is written anew
    keep_places_in(home)
    assert last_folder(WRITE) == written
