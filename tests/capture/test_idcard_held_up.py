"""An ID card held up to the camera, once read, follows the rule of codes the camera sees: it identifies at once only
while nobody is at the camera, asks to switch (F4) while someone is, and a number not in the roster (one digit from a
classmate's) selects nobody and says so with the name read. The reading itself is tests/ui/test_idcard_held_up_in_the_window.py."""

from __future__ import annotations

import random

import pytest

from station.camera import open_camera
from station.capture.session import CaptureSession, SessionListener
from station.capture.workflow import CaptureWorkflow
from station.storage.captures import CaptureStore
from station.adapters.demo import DEMO_DIR
from station.identify.idcard_match import CardRead
from station.identify.idcard_ocr import CardSight
from station.identify.identify import Identification
from tests.identify.idcards import one_digit_neighbours

LIN, CHEN = "110101200302111026", "110101200203121050"  # 林晓雯 (DEMO0001) and 陈浩然 (DEMO0002) in the demo roster
NOT_LIN = one_digit_neighbours(LIN, 1, random.Random(1))[0]  # valid, one digit from hers, in nobody's hands here


class Heard:
    def __init__(self) -> None:
        self.cards: list[CardRead] = []
        self.offered: list[Identification] = []

    def listener(self) -> SessionListener:
        return SessionListener(card=self.cards.append, offered=lambda found, _text: self.offered.append(found))


@pytest.fixture
def session(demo_station, engine, pipeline):
    heard = Heard()
    source = open_camera(str(DEMO_DIR / "kiosk" / "01_good.jpg"))  # never started: the sights come from the test
    store = CaptureStore(demo_station, key=demo_station.demo_key)
    workflow = CaptureWorkflow(demo_station, store, "测试摄影师", engine=engine, pipeline=pipeline)
    session = CaptureSession(demo_station, store, "测试摄影师", source, listener=heard.listener(), live_checks=False,
                             scan_codes=False, workflow=workflow)
    session.heard = heard
    yield session
    session.stop_watching()  # the engine and pipeline are shared by the whole test run: not closed here


def test_with_nobody_at_the_camera_a_card_held_up_identifies_its_student(session) -> None:
    session.camera_card(CardSight(CHEN, "陈浩然", 0.2))
    assert session.student.student_no == "2021010102"
    [read] = session.heard.cards
    assert read.student_no == "2021010102" and read.name_mismatch is None and read.masked_id == "110101********1050"


def test_while_a_student_is_at_the_camera_a_card_only_asks_and_f4_switches(session) -> None:
    session.identify("DEMO0001")
    session.camera_card(CardSight(CHEN, "陈皓然", 0.2))  # the name read is not the roster's
    assert session.student.student_no == "2021010101" and session.heard.cards == []
    [offer] = session.heard.offered
    assert offer.student.student_no == "2021010102"
    switched = session.accept_offer()
    assert session.student.student_no == "2021010102"
    assert any("陈皓然" in w.zh and "陈浩然" in w.zh for w in switched.warnings)  # said again after the switch


def test_the_students_own_card_changes_nothing(session) -> None:
    session.identify("DEMO0001")
    session.camera_card(CardSight(LIN, "林晓雯", 0.2))
    assert session.student.student_no == "2021010101" and session.heard.cards == [] and session.offer is None


def test_a_number_one_digit_from_a_students_selects_nobody_and_names_the_name_read(session) -> None:
    session.camera_card(CardSight(NOT_LIN, "林晓雯", 0.2))
    assert session.student is None
    [read] = session.heard.cards
    assert read.student_no is None and "林晓雯" in read.message.zh
    assert read.masked_id in read.message.zh and NOT_LIN not in read.message.zh and NOT_LIN not in read.message.en
    session.identify("DEMO0003")
    session.camera_card(CardSight(NOT_LIN, "林晓雯", 0.2))  # someone is at the camera: they stay
    assert session.student.student_no == "2021010103" and session.offer is None
