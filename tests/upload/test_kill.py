"""SIGKILL the station at random points during save and upload, many times: every accepted
photo still arrives exactly once and decrypts to the same bytes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from station.adapters.server.intake import read_blob
from station.storage import outbox
from tests.upload.kill_driver import logged, photo_bytes
from tests.upload.kit import PASSPHRASE, add_students, linked_station

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("kill_driver.py")
TOTAL = 150
KILLS = 12


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_random_kills_during_save_and_upload_lose_nothing_and_duplicate_nothing(home, server, tmp_path):
    station = linked_station(home, server.context, server.url, server.context.add_station("K1"), "K1")
    add_students(station, "计科2001", [f"2020{n:04d}" for n in range(1, 11)])
    station.close()
    log = tmp_path / "accepted.log"
    env = {**os.environ, "PHOTO_STATION_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, str(DRIVER), str(home), str(TOTAL), str(log)]
    rng = random.Random(5)
    busy_kills = 0  # kills that landed while the station was saving or uploading
    def progress() -> tuple[int, int]:
        return len(logged(log)), len(server.context.store.uploads())

    for _ in range(KILLS):
        before = progress()
        process = subprocess.Popen(command, env=env, cwd=ROOT)
        # Start-up time depends on the machine's load: wait until the driver is saving or uploading,
        # then kill it at a random point of that work.
        deadline = time.monotonic() + 60
        while progress() == before and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.6))
        if process.poll() is not None:
            break
        process.send_signal(signal.SIGKILL)
        process.wait()
        busy_kills += progress() != before
    assert busy_kills >= KILLS // 2
    assert subprocess.run(command, env=env, cwd=ROOT, timeout=120).returncode == 0

    accepted = logged(log)
    assert len(accepted) >= TOTAL
    uploads = server.context.store.uploads()
    counts = Counter(u.uid for u in uploads)
    assert all(n == 1 for n in counts.values())
    assert Counter((u.student_no, u.version) for u in uploads).most_common(1)[0][1] == 1
    assert {uid for _, uid in accepted} <= set(counts)  # every acceptance arrived
    from station.context import Station

    station = Station.open(home)
    local = {r[0] for r in station.db.execute("SELECT uid FROM captures").fetchall()}
    assert set(counts) == local  # and nothing arrived that the station does not hold
    assert outbox.queue_health(station.db).done == len(local)
    for upload in uploads:
        i = int(upload.operator.removeprefix("op-"))
        assert (read_blob(server.context, upload, "chsi"), read_blob(server.context, upload, "original")) == photo_bytes(i)
    assert not list(home.rglob("*.tmp"))  # the driver's start-up recovery swept what kills left
    station.close()
