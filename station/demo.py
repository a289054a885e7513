"""Demo mode: the real station with a sample roster (invented people) and a file-backed camera.

The demo keeps its own data home, so trying it out on a photographer's laptop never
mixes sample students into a real capture day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from station import ASSETS_DIR
from station.context import Station
from station.paths import data_home
from station.roster import schedule
from station.roster.importer import import_roster
from station.roster.store import class_names

DEMO_DIR = ASSETS_DIR / "demo"
DEMO_ROSTER = DEMO_DIR / "roster.csv"
DEMO_FRAMES = DEMO_DIR / "kiosk"
SLOT_LENGTH = dt.timedelta(hours=1)


def demo_home(explicit: str | Path | None = None) -> Path:
    """--home when given, else a `demo` folder beside the real data."""
    if explicit:
        return data_home(explicit)
    return data_home(data_home() / "demo")


def prepare_demo(station: Station, now: dt.datetime | None = None) -> None:
    """Load the sample roster and give its classes back-to-back slots starting now."""
    import_roster(station.db, DEMO_ROSTER)
    start = (now or dt.datetime.now()).replace(second=0, microsecond=0)
    for i, name in enumerate(class_names(station.db)):
        begins = start + i * SLOT_LENGTH
        schedule.set_slot(station.db, schedule.Slot(name, begins, begins + SLOT_LENGTH, "演示会场"))
