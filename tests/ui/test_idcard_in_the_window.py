"""An ID card laid on the chip reader identifies its student in the window (asking first, F4, while another student is
at the camera, as a code held up does); a name on the chip that is not the roster's is said; the reader's state is in
the status bar."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from station.identify.idcard_reader import ChipReader
from tests.ui.reading import read

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the simulated reader needs a pseudo-terminal")


def test_a_card_on_the_reader_makes_its_student_current(qtbot, make_window, frames: Path) -> None:
    from tests.identify.sam_simulator import SimCard, SimulatedReader

    window = make_window(frames)
    window.identify("DEMO0002")  # another student is at the camera: the card asks, F4 switches (the queue pressing
    with SimulatedReader(SimCard("林晓文", "2", "110101200302111026")) as sim:  # forward); her name mistyped on the chip
        window.session.card_reader = lambda: ChipReader(sim.port)
        window.session.start_card_reader()
        qtbot.waitUntil(lambda: "F4" in window.offer.text() and "林晓雯" in read(window.offer.text()), timeout=15_000)
        assert window.card.name.text() == "陈浩然"
        qtbot.keyClick(window.code_input, Qt.Key_F4)
        assert window.card.name.text() == "林晓雯"
        assert window.reader_status.isVisible() and window.reader_status.property("level") == "ok"
        assert "林晓文" in read(window.warnings.text())  # the chip's name differs from the roster's
        assert window.card.values["id_number"].text() == "110101********1026"
        sim.unplug()
        qtbot.waitUntil(lambda: window.reader_status.property("level") == "bad", timeout=15_000)
    window.session.stop_card_reader()
