"""A station that captures and uploads in a loop, for the SIGKILL test (run as a subprocess).

Usage: kill_driver.py HOME TOTAL LOG. Photo number i has deterministic bytes
(`photo_bytes(i)`) and is saved with operator "op-<i>"; once save() returns, "i uid"
is appended to LOG (fsynced): that line is the operator's acceptance. The process keeps
going until TOTAL photos are logged and the queue is empty, then exits 0.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from station.storage.captures import CaptureStore
from station.context import Station
from station.storage.station_key import unlock_station_key
from station.storage import outbox
from station.storage.outbox import RetryPolicy
from station.upload.uploader import UploadSettings, Uploader

STUDENTS = [f"2020{n:04d}" for n in range(1, 11)]


def photo_bytes(i: int) -> tuple[bytes, bytes]:
    rng = random.Random(i)
    return rng.randbytes(6000), rng.randbytes(15000)


def logged(log: Path) -> list[tuple[int, str]]:
    if not log.exists():
        return []
    entries = []
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:  # a line cut by the kill is not an acceptance
            entries.append((int(parts[0]), parts[1]))
    return entries


def main(home: Path, total: int, log: Path) -> int:
    station = Station.open(home)
    key = unlock_station_key(home)
    uploader = Uploader(home, key, UploadSettings(policy=RetryPolicy(base=0.05, cap=0.2), idle_wait=0.05))
    uploader.start()
    store = CaptureStore(station, key)
    store.recover()
    done = logged(log)
    i = max((n for n, _ in done), default=-1) + 1
    with log.open("a") as out:
        while len(done) < total:
            version = store.save(STUDENTS[i % len(STUDENTS)], *photo_bytes(i), operator=f"op-{i}")
            out.write(f"{i} {version.uid}\n")
            out.flush()
            os.fsync(out.fileno())
            done.append((i, version.uid))
            uploader.wake()
            i += 1
            time.sleep(0.03)  # an operator's pace, compressed: uploads interleave with saves
    while (h := outbox.queue_health(station.db)).waiting or h.sending or h.failed:
        time.sleep(0.05)
    uploader.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])))
