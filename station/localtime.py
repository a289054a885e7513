"""Times are stored in UTC (ISO 8601) so stations and the server agree; people read them in local time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone, tzinfo

from station.i18n import Text

Clock = Callable[[], datetime]  # the station's notion of now, timezone-aware
# What a registrar reads the receiving server's times in, whatever zone its machine runs in: a school's server in a
# data centre or cloud often runs UTC, and its pages were then 8 hours off (China keeps one zone and no summer time).
BEIJING = timezone(timedelta(hours=8))
BEIJING_TIME = Text("北京时间", "Beijing time")
# a column of times in a report says its clock once, in its heading ({clock}: clock_of one of them)
TIME_HEADING = Text("时间（{clock}）", "Time ({clock})")


def system_clock() -> datetime:
    """The laptop's own clock, in UTC."""
    return datetime.now(timezone.utc)


def local_time(iso: str, zone: tzinfo | None = None, today: date | None = None) -> str:
    """'2026-11-24T16:51:03.120+00:00' -> '11-25 00:51' on a laptop set to China time (`zone`: another zone than the
    machine's); '00:51' alone when that is `today` (a status line: kept from one day to the next, yesterday evening's
    time read the next morning as if it were today's). Unparseable text is shown as it is rather than hidden."""
    moment = _stored(iso)
    if moment is None:
        return iso
    moment = moment.astimezone(zone)
    return moment.strftime("%H:%M" if moment.date() == today else "%m-%d %H:%M")


def clock_of(moment: datetime) -> Text:
    """Which clock an aware time is read on, said beside it so two screens can be compared: 北京时间 for UTC+8 (China
    keeps one zone and no summer time), else the offset (a laptop left on UTC reads 8 hours off, and says so)."""
    offset = moment.utcoffset() or timedelta()
    if offset == BEIJING.utcoffset(None):
        return BEIJING_TIME
    minutes = round(abs(offset).total_seconds() / 60)
    said = f"UTC{'-' if offset < timedelta() else '+'}{minutes // 60:02d}:{minutes % 60:02d}"
    return Text(said, said)


def iso_in(iso: str, zone: tzinfo | None = None) -> str:
    """A stored time in `zone` (the machine's own by default), to the second, with its offset, so a file read later or
    elsewhere says which clock it is: '2026-06-01T17:00:00+08:00' in Beijing time."""
    moment = _stored(iso)
    return iso if moment is None else moment.astimezone(zone).isoformat(timespec="seconds")


def _stored(iso: str) -> datetime | None:
    """A stored time (one without a zone is UTC too); None when it does not parse."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
