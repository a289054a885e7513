"""Times are stored in UTC (ISO 8601) so stations and the server agree; people read them in local time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

Clock = Callable[[], datetime]  # the station's notion of now, timezone-aware


def system_clock() -> datetime:
    """The laptop's own clock, in UTC."""
    return datetime.now(timezone.utc)


def local_time(iso: str, with_date: bool = True) -> str:
    """'2026-11-24T16:51:03.120+00:00' -> '11-25 00:51' on a laptop set to China time; a stored time
    without a zone is UTC too. Unparseable text is shown as it is rather than hidden."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%m-%d %H:%M" if with_date else "%H:%M")
