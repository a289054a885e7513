"""At most one watcher of a kind runs: a tethered camera's folder watched again, or the chip reader reopened, stops
the one before first (two threads filing the same photo, or polling one serial port, would each report it)."""

from __future__ import annotations

import threading
from pathlib import Path

from station.camera.tether import TetherWatcher
from station.watcher import Running


def watching() -> int:
    return sum(thread.name == "tether folder" and thread.is_alive() for thread in threading.enumerate())


def test_a_new_watcher_replaces_the_running_one_and_none_stops_it(tmp_path: Path) -> None:
    running = Running()
    first = TetherWatcher(tmp_path, lambda file: None, interval_s=0.05)
    running.replace(first)
    assert running.watcher is first and watching() == 1
    second = TetherWatcher(tmp_path, lambda file: None, interval_s=0.05)
    running.replace(second)
    assert running.watcher is second and watching() == 1 and not first._thread.is_alive()
    running.replace(None)
    assert running.watcher is None and watching() == 0


def test_the_uploader_resting_between_looks_is_woken_and_ended_by_stop(home: Path) -> None:
    """The upload worker is a watcher too: stop wakes it from its rest (here 5 minutes, a server long away) and
    its thread ends; the queue stays in the database for the next start."""
    from station.context import Station
    from station.storage import outbox
    from station.upload.uploader import NOT_LINKED, UploadSettings, Uploader
    from tests.upload.kit import station_key, wait_until

    station = Station.open(home)
    uploader = Uploader(home, station_key(home), UploadSettings(idle_wait=300.0)).start()
    try:
        assert wait_until(lambda: outbox.get_status(station.db).get("error_en") == NOT_LINKED.en)  # now resting
    finally:
        uploader.stop()
        station.close()
    assert not uploader._thread.is_alive()
