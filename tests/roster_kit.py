"""A station holding a small roster, the starting point of many tests."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.context import Station
from station.roster.importer import import_roster
from station.storage.envelope import public_key_to_b64
from station.storage.server_link import save_link


def station_with_roster(home: Path, folder: Path, csv: bytes) -> Station:
    """A station at `home` with the roster `csv` (file content, any encoding the importer reads) imported;
    the caller closes it."""
    path = folder / "roster.csv"
    path.write_bytes(csv)
    station = Station.open(home)
    import_roster(station.db, path)
    return station


def linked_station_with_roster(home: Path, folder: Path, csv: bytes) -> Station:
    """As station_with_roster, linked to a server (a fresh key pair): reference photos are sealed to its key."""
    station = station_with_roster(home, folder, csv)
    save_link(station.db, station_id="st1", public_key=public_key_to_b64(X25519PrivateKey.generate().public_key()))
    return station
