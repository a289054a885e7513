"""The slot editor's rules, on a real station database: a table is saved whole or not at all, a slot must end after
it starts, and every class of the roster is offered in calling order with its slot or a suggested one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from station.context import Station
from station.errors import StationError
from station.roster import schedule
from station.roster.importer import import_roster
from station.roster.schedule import Slot

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
