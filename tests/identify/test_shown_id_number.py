"""The ID number a screen shows of an identified student: masked by the station, so no window decides how much of it
to show."""

from __future__ import annotations

from pathlib import Path

from station.identify.identify import identify
from tests.roster_kit import station_with_roster

ROSTER = (
    "学号,姓名,性别,身份证号,班级\n"
    "2021001,张三,男,11010519491231002X,软件2101\n"
    "2021002,李四,女,,软件2101\n"
)


def test_the_id_number_is_shown_masked_and_missing_shows_nothing(home: Path, tmp_path: Path) -> None:
    station = station_with_roster(home, tmp_path, ROSTER.encode("utf-8"))
    try:
        with_number, without = identify(station.db, "2021001"), identify(station.db, "2021002")
        unknown = identify(station.db, "2029999")
    finally:
        station.close()
    assert with_number.student.id_number == "11010519491231002X"  # whole in memory
    assert with_number.shown_id_number == "110105********002X"  # the first 6 and the last 4 on screen
    assert without.shown_id_number == "" and unknown.shown_id_number == ""
