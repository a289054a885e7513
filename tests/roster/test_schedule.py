"""The slot editor's rules, on a real station database: a table is saved whole or not at all, a slot must end after
it starts, and every class of the roster is offered in calling order with its slot or a suggested one."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from station.context import Station
from station.errors import StationError
from station.roster import schedule
from station.roster.importer import import_roster
from station.roster.schedule import Slot
from tests.cli import run_cli

NOW = dt.datetime(2030, 1, 2, 9, 20)


@pytest.fixture
def classes(station: Station, tmp_path: Path) -> Station:
    roster = tmp_path / "r.csv"
    roster.write_text("学号,姓名,班级\n2030001,甲,计科01\n2030002,乙,计科02\n2030003,丙,计科03\n", encoding="utf-8")
    import_roster(station.db, roster)
    schedule.set_slot(station.db, Slot("计科02", dt.datetime(2030, 1, 2, 10), dt.datetime(2030, 1, 2, 11), "体育馆"))
    return station


def test_classes_are_offered_in_calling_order_with_their_slot_or_the_next_free_hour(classes: Station) -> None:
    offered = schedule.class_slots(classes.db, NOW)
    assert [c.class_name for c in offered] == ["计科02", "计科01", "计科03"]  # a class with a slot first, then by name
    first, *others = offered
    assert first.slot is not None and first.offered == first.slot and first.slot.venue == "体育馆"
    for line in others:  # after the last slot still to come, nothing stored yet
        assert line.slot is None
        assert (line.offered.starts_at, line.offered.ends_at) == (dt.datetime(2030, 1, 2, 11), dt.datetime(2030, 1, 2, 12))
    assert [s.class_name for s in schedule.slots(classes.db)] == ["计科02"]


def test_a_table_is_saved_whole_or_not_at_all(classes: Station) -> None:
    before = schedule.slots(classes.db)
    good = Slot("计科01", dt.datetime(2030, 1, 2, 13), dt.datetime(2030, 1, 2, 14))
    backwards = Slot("计科03", dt.datetime(2030, 1, 2, 15), dt.datetime(2030, 1, 2, 15))  # ends as it starts
    with pytest.raises(StationError) as refused:
        schedule.save_slots(classes.db, [good, backwards], ["计科02"])
    assert "计科03" in refused.value.text.zh and "计科03" in refused.value.text.en
    assert schedule.slots(classes.db) == before  # neither the good slot nor the clearing
    schedule.save_slots(classes.db, [good], ["计科02"])
    assert schedule.slots(classes.db) == [good]


def test_the_calling_order_of_classes_is_the_students_order(classes: Station) -> None:
    """class_order asks the database for the classes alone: the same order as walking every student in queue order."""
    schedule.set_slot(classes.db, Slot("计科03", dt.datetime(2030, 1, 2, 8), dt.datetime(2030, 1, 2, 9)))
    schedule.set_slot(classes.db, Slot("没有学生的班", dt.datetime(2030, 1, 2, 7), dt.datetime(2030, 1, 2, 8)))
    walked = list(dict.fromkeys(s.class_name for s in schedule.ordered_students(classes.db)))
    assert schedule.class_order(classes.db) == walked == ["计科03", "计科02", "计科01"]


def test_a_timetable_is_imported_whole_or_not_at_all(classes: Station, tmp_path: Path) -> None:
    """Each row's slot joins the import's one transaction (set_slot inside it): a write that fails on the third row
    keeps none of the rows before it. The failure is a real SQLite refusal, raised by a trigger on that class."""
    before = schedule.slots(classes.db)
    timetable = tmp_path / "时间表.csv"
    timetable.write_text("班级,日期,时间段,地点\n计科01,2030-01-03,8:30-9:30,体育馆\n计科02,2030-01-03,9:30-10:30,体育馆\n"
                         "计科03,2030-01-03,10:30-11:30,体育馆\n", encoding="utf-8")
    classes.db.execute("CREATE TRIGGER refuse_third BEFORE INSERT ON class_slots WHEN NEW.class_name = '计科03' "
                       "BEGIN SELECT RAISE(ABORT, 'the disk failed on the third row'); END")
    with pytest.raises(sqlite3.IntegrityError):
        schedule.import_schedule(classes.db, timetable)
    assert schedule.slots(classes.db) == before
    classes.db.execute("DROP TRIGGER refuse_third")
    assert schedule.import_schedule(classes.db, timetable).slots == 3
    assert [s.class_name for s in schedule.slots(classes.db)] == ["计科01", "计科02", "计科03"]


def test_a_timetable_spelling_a_class_otherwise_gives_the_roster_class_its_slot(classes: Station,
                                                                                 tmp_path: Path) -> None:
    """The timetable comes from another office than the roster: 计科 01 (a space, a full-width one, full-width digits)
    is the roster's 计科01, and its slot must reach that class (else it is never called); a class no roster student is
    in is kept but said, by the import and by `schedule import`."""
    timetable = tmp_path / "时间表.csv"
    timetable.write_text("班级,日期,时间段\n计科 01,2030-01-03,8:30-9:30\n计科\u3000０３,2030-01-03,9:30-10:30\n"
                         "计科04,2030-01-03,10:30-11:30\n计科 ０4,2030-01-03,11:30-12:30\n", encoding="utf-8")
    report = schedule.import_schedule(classes.db, timetable)
    # a class the roster lacks, named twice and spaced otherwise the second time: one class, its later slot
    assert report.slots == 4 and report.not_in_roster == ["计科04"]
    assert schedule.slot_of(classes.db, "计科04").starts_at == dt.datetime(2030, 1, 3, 11, 30)
    assert {s.class_name for s in schedule.slots(classes.db)} == {"计科01", "计科02", "计科03", "计科04"}
    offered = {c.class_name: c.slot for c in schedule.class_slots(classes.db, NOW)}
    assert offered["计科01"] is not None and offered["计科03"] is not None
    assert offered["计科01"].starts_at == dt.datetime(2030, 1, 3, 8, 30)
    imported = run_cli("schedule", "import", str(timetable), home=classes.home)
    err = imported.stderr.decode("utf-8")
    assert imported.returncode == 0 and "计科04" in err and "计科01" not in err
    said = run_cli("schedule", "set", "计科 02", "2030-01-04 8:00-9:00", home=classes.home)
    assert said.returncode == 0 and "计科02" in said.stdout.decode("utf-8") and said.stderr == b""  # the roster's class
    assert schedule.slot_of(classes.db, "计科02").starts_at == dt.datetime(2030, 1, 4, 8)


def test_a_roster_spelling_a_known_class_otherwise_joins_it(classes: Station, tmp_path: Path) -> None:
    """A second roster (or a second sheet) writing 计科 02 keeps its students in 计科02, and says so; a class the
    timetable named first is written as the timetable wrote it."""
    schedule.set_slot(classes.db, Slot("软工 01", dt.datetime(2030, 1, 2, 14), dt.datetime(2030, 1, 2, 15)))
    roster = tmp_path / "补充.csv"
    roster.write_text("学号,姓名,班级\n2030004,丁,计科 02\n2030005,戊,软工01\n2030006,己,软工０１\n",
                      encoding="utf-8")
    report = import_roster(classes.db, roster)
    assert report.imported == 3
    assert report.respelled == {"计科 02": "计科02", "软工01": "软工 01"}
    assert {s.student_no: s.class_name for s in schedule.ordered_students(classes.db)}["2030004"] == "计科02"
    assert [s.student_no for s in schedule.ordered_students(classes.db) if s.class_name == "软工 01"] == [
        "2030005", "2030006"]
    assert "计科 02 → 计科02" in report.summary().zh and "计科 02 → 计科02" in report.summary().en
    assert report.to_json()["classes_respelled"] == {"计科 02": "计科02", "软工01": "软工 01"}
