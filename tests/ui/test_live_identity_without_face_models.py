"""The face models cannot load (a copy that stopped half-way, a file deleted): the live identity line said nothing at
all (its thread raised once and the comparison stopped), while the shutter failed as a program error. The line now
says the comparison is unavailable and why, in words that fit beside the name; the photo is still taken, and its
review says nothing was compared. The damaged file is a real one, in a models folder of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from station.adapters.demo import import_demo_references
from station.capture.identity_check import MODELS_UNUSABLE
from station.identity import embedder
from tests.ui.conftest import on_next_dialog, shoot
from tests.ui.test_side_panel_fits import fits
from ui.i18n import t
from ui.theme import WARN


def damaged_face_models(folder: Path) -> Path:
    """A face models folder with its recogniser cut short, as a copy that stopped half-way leaves it."""
    folder.mkdir()
    shutil.copy(embedder.FOLDER / embedder.DETECTOR_FILE, folder)
    whole = (embedder.FOLDER / embedder.RECOGNISER_FILE).read_bytes()
    (folder / embedder.RECOGNISER_FILE).write_bytes(whole[: len(whole) // 2])
    return folder


def test_the_line_says_the_comparison_is_unavailable_and_the_shutter_still_takes_the_photo(
        qtbot, themed, make_window, frames: Path, station, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import_demo_references(station, station.demo_key)  # with the shipped models: the students have enrolment photos
    monkeypatch.setattr(embedder, "FOLDER", damaged_face_models(tmp_path / "face_verify"))  # the station's models
    window = make_window(frames, live_identity=True)
    window.resize(1366, 700)
    line = window.card.identity
    window.identify("DEMO0001")
    said = t(MODELS_UNUSABLE[False])
    qtbot.waitUntil(lambda: line.full_text == said, timeout=8_000)
    assert WARN in line.styleSheet()
    qtbot.wait(50)
    assert line.text() == said and fits(window.card.name), themed  # whole beside the name, not cut with …
    # a check the frame fails on this machine's models asks for a reason: given, as a photographer would
    on_next_dialog(lambda box: (box.setTextValue("背景已核对"), box.accept()))
    shoot(qtbot, window)
    assert window.review.isVisible()  # the photo is taken
    assert window.review.identity.text() == said  # and its review says why nothing was compared
