"""Fixtures: a real receiving server on 127.0.0.1 and a station linked to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.upload.kit import LiveServer, add_students, linked_station, serving, station_key


@pytest.fixture(autouse=True)
def _no_default_server_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command that forgot --home must not touch the real per-user server folder."""
    monkeypatch.setenv("PHOTO_STATION_SERVER_HOME", str(tmp_path / "default-server-home"))


@pytest.fixture
def server(tmp_path: Path):
    with serving(tmp_path) as live:
        yield live


@pytest.fixture
def station(home: Path, server: LiveServer):
    token = server.context.add_station("S01", "一号工作站")
    st = linked_station(home, server.context, server.url, token, "S01")
    add_students(st, "计科2001", [f"2020{n:04d}" for n in range(1, 6)])
    yield st
    st.close()


@pytest.fixture
def key(home: Path):
    return station_key(home)
