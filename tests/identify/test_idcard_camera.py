"""The camera route: a few rendered ID cards held up to a 1280x720 camera, read by the shipped OCR models
and matched against a real roster. The measurement on hundreds of cards is scripts/benchmark_idcard.py."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import pytest

from station.context import Station
from station.identify.idcard_match import CardSource
from station.identify.idcard_ocr import CardOcr, NumberRead, accepted_number, read_card_from_frame
from station.roster.idnumber import check_digit, mask
from tests.cli import json_lines, run_cli
from tests.identify.idcards import HeldCard, held_card, one_digit_neighbours
from tests.roster_kit import station_with_roster



def _valid(first17: str) -> str:
    return first17 + check_digit(first17)


ZHANG, LI, WANG = _valid("11010520010305123"), _valid("31010419991231001"), _valid("44010620020606063")
ZHANG_NEXT = one_digit_neighbours(ZHANG, 1, random.Random(3))[0]  # a classmate one digit away
STRANGER = _valid("33010620000707001")
STRANGER_NEXT = one_digit_neighbours(STRANGER, 1, random.Random(4))[0]  # in the roster; the stranger is not
ROSTER = (
    "学号,姓名,身份证号,班级\n"
    f"2021001,张三,{ZHANG},软件2101\n"
    f"2021002,李四,{LI},软件2101\n"
    f"2021003,王五,{WANG},软件2101\n"
    f"2021004,张四,{ZHANG_NEXT},软件2101\n"
    f"2021005,陈七,{STRANGER_NEXT},软件2101\n"
)


@pytest.fixture(scope="module")
def ocr() -> CardOcr:
    return CardOcr()


@pytest.fixture(scope="module")
def cards() -> dict[str, HeldCard]:
    rng = random.Random(20241022)
    return {
        "small": held_card(rng, width=400, id_number=ZHANG, name="张三"),
        "large": held_card(rng, width=680, id_number=LI, name="李四"),
        "thumb": held_card(rng, width=560, id_number=WANG, name="王五", thumb=True),
        "stranger": held_card(rng, width=520, id_number=STRANGER, name="赵六"),
        # a card further back that the OCR reads when the size rule is off (most at this size it does not see at all)
        "background": held_card(random.Random(4), width=250, id_number=WANG, name="王五"),
        "renamed": held_card(rng, width=520, id_number=ZHANG, name="张叁"),  # the card's name is not the roster's
    }


@pytest.fixture
def station(home: Path, tmp_path: Path) -> Station:
    s = station_with_roster(home, tmp_path, ROSTER.encode("utf-8"))
    yield s
    s.close()


@pytest.mark.parametrize("which, student_no", [("small", "2021001"), ("large", "2021002")])
def test_a_card_held_up_selects_its_student(station: Station, ocr: CardOcr, cards: dict[str, HeldCard],
                                            which: str, student_no: str) -> None:
    found = read_card_from_frame(cards[which].frame, station.db, ocr)
    assert found is not None and found.source is CardSource.CAMERA
    assert found.student_no == student_no and found.id_number == cards[which].id_number


def test_the_name_beside_the_number_is_read_and_compared_with_the_roster(
        station: Station, ocr: CardOcr, cards: dict[str, HeldCard]) -> None:
    same = read_card_from_frame(cards["large"].frame, station.db, ocr)
    assert same.name_read == "李四" and same.name_mismatch is None
    renamed = read_card_from_frame(cards["renamed"].frame, station.db, ocr)
    assert renamed.student_no == "2021001" and renamed.name_read == "张叁"  # the number decides who it is
    assert "张叁" in renamed.name_mismatch.zh and "张三" in renamed.name_mismatch.zh


def test_a_number_one_digit_from_a_classmate_never_selects_the_classmate(
        station: Station, ocr: CardOcr, cards: dict[str, HeldCard]) -> None:
    found = read_card_from_frame(cards["stranger"].frame, station.db, ocr)
    assert found is not None and found.student_no is None  # read, and not in the roster
    assert found.masked_id in found.message.zh and STRANGER not in found.message.zh


@pytest.mark.parametrize("which", ["thumb", "background"])
def test_covered_or_far_cards_select_nobody(station: Station, ocr: CardOcr, cards: dict[str, HeldCard],
                                            which: str) -> None:
    assert read_card_from_frame(cards[which].frame, station.db, ocr) is None


def test_far_card_is_refused_by_its_size_not_by_luck(ocr: CardOcr, cards: dict[str, HeldCard],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the size rule the card in the background would be read: the rule is what refuses it."""
    import station.identify.idcard_ocr as idcard_ocr

    monkeypatch.setattr(idcard_ocr, "MIN_NUMBER_WIDTH_PX", 0.0)
    assert WANG in {r.number for r in ocr.read_numbers(cards["background"].frame)}


def test_cli_reads_images(station: Station, home: Path, tmp_path: Path, cards: dict[str, HeldCard]) -> None:
    """Files as named, and a wildcard as Windows' cmd and PowerShell hand it over unexpanded (证件\\*.jpg)."""
    folder = tmp_path / "证件 照片"
    folder.mkdir()
    paths = []
    for which in ("small", "thumb"):
        paths.append(folder / f"{which}.jpg")
        cv2.imwrite(str(paths[-1]), cards[which].frame)
    (tmp_path / "notes.txt").write_text("not an image", encoding="utf-8")
    done = run_cli("idcard", str(folder / "*.jpg"), str(tmp_path / "notes.txt"), str(tmp_path / "gone.jpg"), "--json",
                   home=home)
    assert done.returncode == 0, done.stderr.decode()
    small, thumb, notes, gone = json_lines(done)
    assert small == {"path": str(paths[0]), "student_no": "2021001", "id_number": mask(ZHANG), "name": "张三"}
    assert thumb["student_no"] is None and thumb["error"] == "no_number"
    assert notes["error"] == gone["error"] == "unreadable_image"
    assert ZHANG.encode() not in done.stdout


def _seen(number: str, confidence: float, width: float) -> NumberRead:
    return NumberRead(number, confidence, ((100.0, 400.0), (100.0 + width, 400.0)))


def test_only_one_valid_confident_near_number_is_accepted() -> None:
    good = _seen(ZHANG, 0.99, 300.0)
    wrong_check = _seen(ZHANG[:17] + ("1" if ZHANG[17] != "1" else "2"), 0.99, 300.0)
    assert accepted_number([good], 1280) == ZHANG
    assert accepted_number([wrong_check], 1280) is None
    assert accepted_number([_seen(ZHANG, 0.3, 300.0)], 1280) is None  # a digit read unsure
    assert accepted_number([_seen(ZHANG, 0.99, 100.0)], 1280) is None  # a card far behind
    assert accepted_number([_seen(ZHANG, 0.99, 100.0)], 640) == ZHANG  # the same card in a 640 px frame
    assert accepted_number([good, _seen(LI, 0.99, 300.0)], 1280) is None  # two cards: neither
    assert accepted_number([good, wrong_check], 1280) == ZHANG
