"""Several simulated stations upload to one receiving server over loopback; prints the figures.

The server runs as its own process (`photo-station-server serve`), each station as its own
process with its own data home, as on a capture day. Photos are saved first through the
real CaptureStore (timed as saves/s), then every station drains its queue at once;
each upload is timed from claim to the server's answer.

  .venv/bin/python scripts/benchmark_upload.py --stations 4 --photos 40
  .venv/bin/python scripts/benchmark_upload.py --db-url postgresql://user@127.0.0.1/db
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.captures import CaptureStore  # noqa: E402
from station.context import Station  # noqa: E402
from station.server.home import ServerContext, init_server  # noqa: E402
from station.storage.station_key import unlock_station_key  # noqa: E402
from station.upload.link import load_link, save_link  # noqa: E402
from station.upload.uploader import Uploader, client_for  # noqa: E402

PASSPHRASE = "benchmark passphrase"


def prepare_station(home: Path, station_id: str, url: str, token: str, public_key: str, photos: int,
                    chsi_kb: int, original_kb: int) -> float:
    """Roster and captures for one station; returns saves per second."""
    station = Station.open(home)
    save_link(station.db, station_id=station_id, url=url, token=token, public_key=public_key)
    now = datetime.now(timezone.utc).isoformat()
    numbers = [f"{station_id}{n:05d}" for n in range(photos)]
    with station.db.conn:
        for no in numbers:
            station.db.execute("INSERT INTO students(student_no, name, class_name, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?)", [no, no, f"班{station_id}", now, now])
    store = CaptureStore(station, unlock_station_key(home, PASSPHRASE), reserve_bytes=0)
    start = time.perf_counter()
    for no in numbers:
        store.save(no, os.urandom(chsi_kb * 1024), os.urandom(original_kb * 1024), operator="bench")
    elapsed = time.perf_counter() - start
    station.close()
    return photos / elapsed


def drain_station(home: Path) -> list[float]:
    """Upload everything queued; the time of each upload in seconds."""
    uploader = Uploader(home, unlock_station_key(home, PASSPHRASE))
    times = []
    with client_for(load_link(uploader.db), 60) as client:
        while True:
            start = time.perf_counter()
            sent = uploader.send_next(client)
            if sent is None:
                return times
            if not sent:
                raise RuntimeError("server unreachable")
            times.append(time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stations", type=int, default=4)
    parser.add_argument("--photos", type=int, default=40, help="per station")
    parser.add_argument("--chsi-kb", type=int, default=40)
    parser.add_argument("--original-kb", type=int, default=1500)
    parser.add_argument("--db-url", default=None, help="PostgreSQL URL for the server metadata (default SQLite)")
    args = parser.parse_args()
    os.environ["PHOTO_STATION_PASSPHRASE"] = PASSPHRASE

    with tempfile.TemporaryDirectory(prefix="photo-station-bench-") as scratch:
        root = Path(scratch)
        init_server(root / "server", args.db_url)
        server = ServerContext(root / "server")
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        serve = subprocess.Popen([sys.executable, "-m", "station.server.cli", "--home", str(root / "server"), "serve",
                                  "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_up(url)
            homes = [root / f"station{n}" for n in range(args.stations)]
            with ProcessPoolExecutor(args.stations) as pool:
                saves = list(pool.map(prepare_station, homes, [f"S{n:02d}" for n in range(args.stations)],
                                      [url] * args.stations,
                                      [server.add_station(f"S{n:02d}") for n in range(args.stations)],
                                      [server.public_key] * args.stations, [args.photos] * args.stations,
                                      [args.chsi_kb] * args.stations, [args.original_kb] * args.stations))
                start = time.perf_counter()
                times = [t for station_times in pool.map(drain_station, homes) for t in station_times]
                wall = time.perf_counter() - start
        finally:
            serve.terminate()
            serve.wait(10)
        received = len(server.store.uploads())

    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    megabytes = len(times) * (args.chsi_kb + args.original_kb) / 1024
    print(f"stations {args.stations}, photos per station {args.photos}, "
          f"files {args.chsi_kb} KB + {args.original_kb} KB, metadata {'PostgreSQL' if args.db_url else 'SQLite'}")
    print(f"saves per second per station (encrypt + fsync + register): {statistics.mean(saves):.1f}")
    print(f"uploads {len(times)} (server holds {received}) in {wall:.2f} s: {len(times) / wall:.1f} uploads/s, "
          f"{megabytes / wall:.1f} MB/s")
    print(f"upload time: median {statistics.median(times) * 1000:.0f} ms, 95th percentile {p95 * 1000:.0f} ms, "
          f"max {times[-1] * 1000:.0f} ms")
    return 0 if received == len(times) == args.stations * args.photos else 1


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


if __name__ == "__main__":
    sys.exit(main())
