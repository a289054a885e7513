"""Stored UTC times read in the laptop's local time (China time at the kiosk)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from station.context import Station
from station.identify.identify import identify
from station.localtime import BEIJING, clock_of, iso_in, local_time
from station.roster.importer import import_roster

pytestmark = pytest.mark.skipif(not hasattr(time, "tzset"), reason="time zones are switched with tzset (POSIX)")


@pytest.fixture
def china_time(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_utc_becomes_the_local_date_and_time(china_time) -> None:
    assert local_time("2026-11-24T16:51:03.120+00:00") == "11-25 00:51"
    # a status line leaves out the date of a time today, not of yesterday evening's read the next morning
    assert local_time("2026-11-24T16:51:03", today=date(2026, 11, 25)) == "00:51"  # stored without a zone: UTC too
    assert local_time("2026-11-24T09:30:00+00:00", today=date(2026, 11, 25)) == "11-24 17:30"
    assert local_time("not a time") == "not a time"


def test_a_server_running_in_utc_still_shows_beijing_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A school's receiving server in a data centre or cloud often runs UTC: its pages and the CHSI batch's index were
    8 hours off for the registrar (registrar review)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert local_time("2026-06-01T09:00:00+00:00") == "06-01 09:00"  # the machine's own zone
        assert local_time("2026-06-01T09:00:00+00:00", zone=BEIJING) == "06-01 17:00"
        assert iso_in("2026-06-01T09:00:00.123+00:00", BEIJING) == "2026-06-01T17:00:00+08:00"
        assert iso_in("garbled", BEIJING) == "garbled"
        assert iso_in("2026-06-01T09:00:00+00:00") == "2026-06-01T09:00:00+00:00"  # the machine's zone, said
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_time_s_clock_is_named_beijing_time_or_its_offset() -> None:
    """What a report's time column says beside its heading: a laptop left on UTC says UTC+00:00, not nothing."""
    moment = datetime(2026, 12, 6, 22, 1, tzinfo=timezone.utc)
    in_china = clock_of(moment.astimezone(BEIJING))
    assert (in_china.zh, in_china.en) == ("北京时间", "Beijing time")
    assert clock_of(moment).zh == "UTC+00:00"
    assert clock_of(moment.astimezone(timezone(-timedelta(hours=5, minutes=30)))).en == "UTC-05:30"


def test_already_photographed_says_when_in_local_time(china_time, home: Path, tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("学号,姓名,班级\n2021001,张三,软件2101\n", encoding="utf-8")
    station = Station.open(home)
    import_roster(station.db, roster)
    with station.db.conn:
        station.db.execute("INSERT INTO captures(student_no, version, captured_at) "
                           "VALUES ('2021001', 1, '2026-11-24T16:51:03.120+00:00')")
    assert "已于 11-25 00:51 拍摄过" in identify(station.db, "2021001").message.zh
    station.close()
