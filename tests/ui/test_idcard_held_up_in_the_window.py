"""An ID card held up to the live camera, read by the shipped OCR on the card scanner's thread, in the window: its
student is selected while nobody is at the camera, only offered (F4) while someone is, a card one digit from a
student's selects nobody and says so, and a card further back is ignored. The camera is a folder of rendered frames."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import pytest

from station.camera import open_camera
from station.identify.idcard_ocr import CardOcr
from tests.identify.idcards import held_card, one_digit_neighbours
from tests.ui.reading import read

LIN, CHEN = "110101200302111026", "110101200203121050"  # 林晓雯 (DEMO0001) and 陈浩然 (DEMO0002) in the demo roster


@pytest.fixture(scope="module")
def ocr() -> CardOcr:
    return CardOcr(threads=1)  # as the window runs it


def card_camera(window, ocr: CardOcr, folder: Path, id_number: str, name: str, width: int, seed: int) -> None:
    """The window's camera becomes a folder showing one rendered card held up `width` px wide, with cards read."""
    folder.mkdir()
    cv2.imwrite(str(folder / "card.png"), held_card(random.Random(seed), width=width, id_number=id_number, name=name).frame)
    window.session.card_ocr = lambda: ocr
    window.use_camera(open_camera(str(folder), fps=20).start())


def test_with_nobody_at_the_camera_a_card_held_up_selects_its_student(qtbot, make_window, frames: Path, ocr,
                                                                     tmp_path: Path) -> None:
    window = make_window(frames)
    card_camera(window, ocr, tmp_path / "card", CHEN, "陈浩然", 560, 1)
    qtbot.waitUntil(lambda: window.card.name.text() == "陈浩然", timeout=20_000)
    assert window.card.values["id_number"].text() == "110101********1050"
    # the name read is the roster's
    assert CHEN not in window.message.text() and "陈浩然" not in read(window.warnings.text())


def test_while_a_student_is_at_the_camera_the_card_asks_and_f4_switches(qtbot, make_window, frames: Path, ocr,
                                                                       tmp_path: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    card_camera(window, ocr, tmp_path / "card", CHEN, "陈皓然", 600, 2)  # the card's name is not the roster's
    qtbot.waitUntil(lambda: window.session.offer is not None, timeout=20_000)
    assert "F4" in window.offer.text() and window.card.name.text() == "林晓雯"
    assert "林晓雯" in read(window.message.text())  # what was said of her stays in sight beside the question
    window.accept_offer()
    assert window.card.name.text() == "陈浩然" and "陈皓然" in read(window.warnings.text())
    assert window.offer.text() == ""  # taken: the question is gone


def test_a_card_one_digit_from_a_students_selects_nobody(qtbot, make_window, frames: Path, ocr, tmp_path: Path) -> None:
    stranger = one_digit_neighbours(LIN, 1, random.Random(1))[0]
    window = make_window(frames)
    card_camera(window, ocr, tmp_path / "card", stranger, "林晓雯", 560, 3)
    # not in the roster, the name read said
    qtbot.waitUntil(lambda: "林晓雯" in read(window.message.text()), timeout=20_000)
    assert window.session.student is None and stranger not in window.message.text()
    assert f"{stranger[:6]}********{stranger[-4:]}" in window.message.text()


def test_a_card_further_back_is_ignored(qtbot, make_window, frames: Path, ocr, tmp_path: Path) -> None:
    window = make_window(frames)
    card_camera(window, ocr, tmp_path / "card", CHEN, "陈浩然", 250, 4)
    qtbot.wait(3000)  # the scanner looks about once a second
    assert window.session.student is None and window.card.name.text() != "陈浩然"
