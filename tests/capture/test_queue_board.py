"""The queue screen's content, from a real roster and schedule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from station.capture.queue_board import QueueState, build_board, next_waiting
from station.context import Station
from station.privacy import mask_name, mask_student_no, mask_student_nos
from station.roster import schedule
from station.roster.store import set_absent
from tests.capture import test_swaps
from tests.capture.test_swaps import shoot
from tests.roster_kit import station_with_roster

session = test_swaps.session  # the fixture: a started session on the kiosk frames' file camera, live
ROSTER = "学号,姓名,班级\n3,丙同学,B班\n1,甲,A班\n2,欧阳娜娜,A班\n4,丁,B班\n5,戊,C班\n"


@pytest.fixture
def station(home: Path, tmp_path: Path) -> Station:
    s = station_with_roster(home, tmp_path, ROSTER.encode("utf-8"))
    schedule.set_slot(s.db, schedule.parse_slot("B班", "2024-10-22 8:00-9:00"))
    schedule.set_slot(s.db, schedule.parse_slot("A班", "2024-10-22 9:00-10:00"))
    yield s
    s.close()


@pytest.mark.parametrize("name, masked", [("甲", "*"), ("张三", "张*"), ("张三丰", "张*丰"), ("欧阳娜娜", "欧**娜")])
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize("number, masked", [("2021010102", "2021****02"), ("20210102", "2021**02"),
                                            ("S12345", "S***45"), ("1234", "1***"), ("7", "7")])
def test_mask_student_no(number: str, masked: str) -> None:
    assert mask_student_no(number) == masked


def test_numbers_that_would_look_alike_show_more_of_their_end() -> None:
    shown = mask_student_nos(["2021010102", "2021020102", "2021010103", "2021010215", "1234", "1235", "S12345"])
    assert shown == {"2021010102": "2021*10102", "2021020102": "2021*20102", "2021010103": "2021****03",
                     "2021010215": "2021****15", "1234": "1**4", "1235": "1**5", "S12345": "S***45"}
    assert len(set(shown.values())) == len(shown)


def test_the_queue_screen_never_shows_two_students_of_a_class_under_one_number(home: Path, tmp_path: Path) -> None:
    roster = ("学号,姓名,班级\n2021010102,张三,合班\n2021020102,李四,合班\n2021010103,王五,合班\n"  # a class merged
              "2021030102,赵六,别班\n")  # from two majors: the numbers differ only in the middle
    s = station_with_roster(home, tmp_path, roster.encode("utf-8"))
    try:
        board = build_board(s.db, dt.datetime(2024, 10, 22, 8, 30))
    finally:
        s.close()
    shown = {e.student_no: e.shown_no for e in board.entries}
    assert {board.current_class, board.next_class} == {"合班", "别班"}
    assert shown["2021010103"] == "2021****03" and shown["2021030102"] == "2021****02"  # alone in its class
    assert shown["2021010102"] != shown["2021020102"]


def test_board_is_the_slot_class_then_the_next_with_states(station: Station) -> None:
    with station.db.conn:
        station.db.execute("INSERT INTO captures(student_no, version, captured_at) VALUES ('3', 1, 'x'), ('4', 1, 'x'), ('4', 2, 'y')")
    board = build_board(station.db, dt.datetime(2024, 10, 22, 8, 30))
    assert (board.current_class, board.next_class) == ("B班", "A班")
    assert [(e.student_no, e.name, e.state) for e in board.entries] == [
        ("3", "丙*学", QueueState.DONE), ("4", "*", QueueState.RETAKE),
        ("1", "*", QueueState.WAITING), ("2", "欧**娜", QueueState.WAITING)]
    assert next_waiting(board).student_no == "1"


def test_the_student_at_the_camera_decides_the_class_and_absent_students_are_skipped(station: Station) -> None:
    set_absent(station.db, "1", True)
    board = build_board(station.db, dt.datetime(2024, 10, 22, 8, 30), current_student="2", mask_names=False)
    assert (board.current_class, board.next_class) == ("A班", "C班")
    states = {e.student_no: e.state for e in board.entries}
    assert states == {"1": QueueState.ABSENT, "2": QueueState.NOW, "5": QueueState.WAITING}
    assert next_waiting(board).student_no == "5"


def test_the_next_class_is_one_still_waiting_round_to_the_start(station: Station) -> None:
    """A student of the class without a slot (called last) at the camera: the classes still waiting stay in sight,
    the first of them in calling order; a class all photographed or absent is skipped."""
    board = build_board(station.db, dt.datetime(2024, 10, 22, 8, 30), current_student="5")
    assert (board.current_class, board.next_class) == ("C班", "B班")
    with station.db.conn:
        station.db.execute("INSERT INTO captures(student_no, version, captured_at) VALUES ('3', 1, 'x')")
    set_absent(station.db, "4", True)
    board = build_board(station.db, dt.datetime(2024, 10, 22, 8, 30), current_student="5")
    assert (board.current_class, board.next_class) == ("C班", "A班")
    assert [e.student_no for e in board.entries] == ["5", "1", "2"]
    with station.db.conn:
        station.db.execute("INSERT INTO captures(student_no, version, captured_at) VALUES ('1', 1, 'x'), ('2', 1, 'x')")
    assert build_board(station.db, dt.datetime(2024, 10, 22, 8, 30), current_student="5").next_class is None


def test_between_slots_the_queue_shows_the_first_class_still_waiting(station: Station) -> None:
    """No slot now and nobody at the camera: not B班 (first in calling order, all photographed) but A班."""
    evening = dt.datetime(2024, 10, 22, 18, 0)
    assert build_board(station.db, evening).current_class == "B班"
    with station.db.conn:
        station.db.execute("INSERT INTO captures(student_no, version, captured_at) VALUES ('3', 1, 'x'), ('4', 1, 'x')")
    board = build_board(station.db, evening)
    assert (board.current_class, board.next_class) == ("A班", "C班")
    with station.db.conn:
        station.db.execute("INSERT INTO captures(student_no, version, captured_at) VALUES ('1', 1, 'x'), ('2', 1, 'x'), "
                           "('5', 1, 'x')")
    assert build_board(station.db, evening).current_class == "B班"  # the day done: the first again


def test_a_student_photographed_before_is_being_photographed_only_once_her_retake_begins(session) -> None:
    """林晓雯 saved, then identified again by her phone's code (back to look at her photo, or for a retake): the queue
    screen said 正在拍摄 for her, as if she were not done, while the station offered only a retake (s28 walk,
    /tmp/xv/p_pair.png). She is done until the retake's reason is given, and retaken once it is saved."""
    def hers() -> QueueState:
        return next(e.state for e in session.queue_board().entries if e.student_no == "2021010101")

    shoot(session, "DEMO0001", "01_good.jpg")
    assert hers() is QueueState.NOW  # in review: her first photo is being taken
    session.accept()
    assert hers() is QueueState.DONE
    session.identify("DEMO0001")
    assert hers() is QueueState.DONE
    assert session.queue_board().current_class == "演示2101"  # hers, at the camera though not photographed
    session.start_retake("学生要求重拍")
    assert hers() is QueueState.NOW
    shoot(session, "DEMO0001", "02_good_shifted.jpg", retake="学生要求重拍")
    assert hers() is QueueState.NOW  # her retake in review
    session.accept()
    assert hers() is QueueState.RETAKE
    session.identify("DEMO0001")
    assert hers() is QueueState.RETAKE
