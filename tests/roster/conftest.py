"""A station with an empty roster, for the import tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.context import Station


@pytest.fixture
def station(home: Path) -> Station:
    s = Station.open(home)
    yield s
    s.close()
