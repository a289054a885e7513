"""While a reason box is open, the card beside it is the student it asks about, with no live word on it. On the walk
the retake box for 林晓雯 stood beside the card's 与学籍照片一致, said of whoever had been at the camera before, and an
ID card laid on the chip reader meanwhile put another student on the card (and their live line) beside the box that
still asked why 林晓雯's photo was retaken; a phone held up asked to switch (F4) beside it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from station.adapters.demo import import_demo_references
from station.capture.live_identity import SAID
from station.identify.frames import SeenCode
from station.identify.idcard_protocol import Command
from station.identify.idcard_reader import ChipReader
from tests.ui.conftest import on_next_dialog
from tests.ui.test_closing_and_export import photograph
from ui.i18n import t

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the simulated reader needs a pseudo-terminal")


def test_nothing_switches_the_student_nor_speaks_of_the_face_beside_a_reason_box(qtbot, make_window, frames: Path,
                                                                                 station) -> None:
    from tests.identify.sam_simulator import SimCard, SimulatedReader

    import_demo_references(station, station.demo_key)
    window = make_window(frames, live_identity=True)  # 林晓雯 at the camera
    photograph(qtbot, window, "DEMO0001")
    line = window.card.identity
    seen: list[tuple[str, str, str]] = []
    with SimulatedReader() as sim:  # the chip reader, nothing on it yet
        window.session.card_reader = lambda: ChipReader(sim.port)
        window.session.start_card_reader()
        window.identify("DEMO0001")  # photographed: F2 asks why the photo is retaken
        qtbot.waitUntil(lambda: line.full_text == t(SAID["same"]), timeout=10_000)

        def meanwhile(dialog) -> None:
            asked = len(sim.commands)
            sim.card = SimCard("陈浩然", "1", "110101200203121050")  # the next student's card laid on the reader
            window.session.camera_code(SeenCode("DEMO0003", 0.13, (40, 60, 166, 166)))  # 王思远's phone held up close
            qtbot.waitUntil(lambda: Command.READ_TEXT_PHOTO in sim.commands[asked:], timeout=10_000)
            qtbot.wait(1_500)  # the card's word reaches the window; the live line looks once a second
            seen.append((window.card.name.text(), line.full_text, window.offer.text()))
            sim.card = None
            dialog.reject()

        on_next_dialog(meanwhile)
        window.flow.ask_retake()
        window.session.stop_card_reader()
    assert seen == [("林晓雯", "", "")]
    assert window.session.student.name == "林晓雯"
    qtbot.waitUntil(lambda: line.full_text == t(SAID["same"]), timeout=10_000)  # the box closed: the line looks again
