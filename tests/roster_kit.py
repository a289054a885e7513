"""A station holding a small roster, the starting point of many tests."""

from __future__ import annotations

from pathlib import Path

from station.context import Station
from station.roster.importer import import_roster


def station_with_roster(home: Path, folder: Path, csv: bytes) -> Station:
    """A station at `home` with the roster `csv` (file content, any encoding the importer reads) imported;
    the caller closes it."""
    path = folder / "roster.csv"
    path.write_bytes(csv)
    station = Station.open(home)
    import_roster(station.db, path)
    return station
