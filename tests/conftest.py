"""Shared fixtures: a fresh data home per test, and the shared datasets when present."""

from __future__ import annotations

import gc
import os
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GLOG_minloglevel", "2")

ROOT = Path(__file__).resolve().parent.parent
SHARED_FACES = ROOT.parent / "shared" / "datasets" / "faces"


def data_home(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty station data home at path, also exported as $PHOTO_STATION_HOME for sub-processes."""
    path.mkdir()
    monkeypatch.setenv("PHOTO_STATION_HOME", str(path))
    monkeypatch.setenv("PHOTO_STATION_LANG", "zh")
    return path


@pytest.fixture(autouse=True)
def _cycles_collected_between_tests():
    """Once a window's tasks are installed, automatic collection is off (ui.garbage); between tests the tests' own
    thread, the UI thread, collects what Python would have, as the window's timer does, so memory stays bounded in a
    worker that runs tests without an event loop."""
    yield
    if not gc.isenabled():
        from ui.garbage import collect_due

        collect_due()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return data_home(tmp_path / "home", monkeypatch)


@pytest.fixture(scope="session")
def faces_dir() -> Path:
    """../shared/datasets/faces; tests that need it skip cleanly where it is absent."""
    if not SHARED_FACES.is_dir():
        pytest.skip("../shared/datasets/faces is not present")
    return SHARED_FACES


@pytest.fixture(scope="session")
def engine():
    """The compliance engine, loaded once for the whole run (its models take seconds to load)."""
    from station.compliance.engine import ComplianceEngine

    return ComplianceEngine.load()


@pytest.fixture(scope="session")
def pipeline():
    from station.chsi.pipeline import ChsiPipeline

    return ChsiPipeline()


@pytest.fixture
def demo_station(home: Path):
    """A station holding the demo roster, paired with a demo server's key (so photos can be sealed)."""
    from station.context import Station
    from station.adapters.demo import prepare_demo

    station = Station.open(home, "zh")
    station.demo_key = prepare_demo(station)
    yield station
    station.close()


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A real 3 MiB file system (tmpfs), where the kernel itself answers ENOSPC; needs root."""
    from tests.full_disk import small_file_system

    with small_file_system(tmp_path / "tiny", "3m") as mount_point:
        yield mount_point


@pytest.fixture
def read_only_disk(tmp_path: Path):
    """A real file system mounted read-only (tmpfs), as a write-protected USB stick: the kernel answers EROFS, even to
    root; needs root. It holds an empty folder, `folder`."""
    mount_point = tmp_path / "write-protected"
    mount_point.mkdir()
    if os.name != "posix" or os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    (mount_point / "folder").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)
