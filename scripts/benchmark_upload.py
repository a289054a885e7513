"""Simulated stations upload to the receiving server over HTTPS on loopback; prints uploads/s and p95.

The server runs as its own process (`photo-station-server serve --workers N`); stations are real
station data homes (photos saved through the real CaptureStore, so each upload is a real sealed
envelope), drained at once, a thread per station spread over a few processes. Each upload is timed
from claim to the server's answer. Every (stations, workers) pair gets a fresh server and database.

  .venv/bin/python scripts/benchmark_upload.py --stations 10,50 --workers 1,4 --db-url postgresql://u@127.0.0.1:5432/postgres

With a PostgreSQL URL, each run creates its own database on that cluster (the user needs CREATEDB);
without one the metadata is SQLite (several workers then share one SQLite file).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.storage.captures import CaptureStore  # noqa: E402
from station.context import Station  # noqa: E402
from station.adapters.server.home import ServerContext, init_server  # noqa: E402
from station.storage.station_key import unlock_station_key  # noqa: E402
from station.storage import outbox  # noqa: E402
from station.storage.server_link import load_link, save_link  # noqa: E402
from station.pinning import pinned_context  # noqa: E402
from station.upload.uploader import Uploader, client_for  # noqa: E402

PASSPHRASE = "benchmark passphrase"
DRAIN_PROCESSES = 6  # station threads are spread over this many processes (2 cores: more only adds switching)


def prepare_station(home: Path, station_id: str, public_key: str, photos: int, chsi_kb: int, original_kb: int) -> float:
    """Roster and captures for one station; returns saves per second."""
    station = Station.open(home)
    save_link(station.db, station_id=station_id, public_key=public_key)
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


def relink(home: Path, url: str, token: str, pin: str) -> None:
    """Point a prepared station at this run's server and queue its photos again."""
    station = Station.open(home)
    save_link(station.db, url=url, token=token, cert_sha256=pin)
    outbox.requeue(station.db, outbox.done_uids(station.db))
    station.close()


def drain_stations(homes: list[Path]) -> list[float]:
    """Every station drains at once, a thread each; the time of each upload in seconds."""
    times: list[float] = []
    errors: list[BaseException] = []

    def drain(home: Path) -> None:
        try:
            uploader = Uploader(home, unlock_station_key(home, PASSPHRASE))
            with client_for(load_link(uploader.db), 120) as client:
                while True:
                    start = time.perf_counter()
                    sent = uploader.send_next(client)
                    if sent is None:
                        return
                    if not sent:
                        raise RuntimeError("server unreachable")
                    times.append(time.perf_counter() - start)
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)

    threads = [threading.Thread(target=drain, args=(home,)) for home in homes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return times


def run(homes: list[Path], workers: int, server_dir: Path) -> tuple[list[float], float, int]:
    port = _free_port()
    url = f"https://127.0.0.1:{port}"
    server = ServerContext(server_dir)
    for n, home in enumerate(homes):
        relink(home, url, server.add_station(f"S{n:02d}"), server.cert_sha256)
    serve = subprocess.Popen([sys.executable, "-m", "station.adapters.server.cli", "--home", str(server_dir), "serve",
                              "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_up(url, server.cert_sha256)
        groups = [homes[i::DRAIN_PROCESSES] for i in range(min(DRAIN_PROCESSES, len(homes)))]
        with ProcessPoolExecutor(len(groups)) as pool:
            start = time.perf_counter()
            times = [t for group in pool.map(drain_stations, groups) for t in group]
            wall = time.perf_counter() - start
    finally:
        serve.terminate()
        serve.wait(30)
    return times, wall, len(server.store.uploads())


def _fresh_server(root: Path, db_url: str | None, public_key_home: Path) -> Path:
    """A new server folder with its own database, sharing the first run's key pair so the stations' sealed photos
    open on every run."""
    folder = root / f"server-{uuid.uuid4().hex[:8]}"
    url = None
    if db_url:
        import psycopg

        name = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = db_url.rsplit("/", 1)[0] + "/" + name
    init_server(folder, url)
    for name in ("server_private_key.pem", "server_public_key.txt"):
        (folder / name).write_bytes((public_key_home / name).read_bytes())
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stations", default="10,50", help="comma-separated station counts")
    parser.add_argument("--workers", default="1,4", help="comma-separated server process counts")
    parser.add_argument("--photos", type=int, default=6, help="per station")
    parser.add_argument("--chsi-kb", type=int, default=40)
    parser.add_argument("--original-kb", type=int, default=1500)
    parser.add_argument("--db-url", default=None, help="PostgreSQL URL of a cluster to make databases on (default SQLite)")
    args = parser.parse_args()
    os.environ["PHOTO_STATION_PASSPHRASE"] = PASSPHRASE
    station_counts = [int(n) for n in args.stations.split(",")]
    worker_counts = [int(n) for n in args.workers.split(",")]

    with tempfile.TemporaryDirectory(prefix="photo-station-bench-") as scratch:
        root = Path(scratch)
        keys = root / "keys"
        init_server(keys)
        homes = [root / f"station{n}" for n in range(max(station_counts))]
        with ProcessPoolExecutor(4) as pool:
            saves = list(pool.map(prepare_station, homes, [f"S{n:02d}" for n in range(len(homes))],
                                  [ServerContext(keys).public_key] * len(homes), [args.photos] * len(homes), [args.chsi_kb] * len(homes),
                                  [args.original_kb] * len(homes)))
        print(f"photos per station {args.photos}, files {args.chsi_kb} KB + {args.original_kb} KB, HTTPS, "
              f"metadata {'PostgreSQL' if args.db_url else 'SQLite'}; saves per second per station "
              f"(encrypt + fsync + register): {statistics.mean(saves):.1f}", flush=True)
        failed = False
        for stations in station_counts:
            for workers in worker_counts:
                server_dir = _fresh_server(root, args.db_url, keys)
                times, wall, received = run(homes[:stations], workers, server_dir)
                times.sort()
                p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
                print(f"stations {stations:3d}, server processes {workers}: {len(times)} uploads (server holds "
                      f"{received}) in {wall:.1f} s = {len(times) / wall:.1f} uploads/s; upload time median "
                      f"{statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms",
                      flush=True)
                failed |= not received == len(times) == stations * args.photos
    return 1 if failed else 0


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_up(url: str, pin: str) -> None:
    deadline = time.monotonic() + 60
    with httpx.Client(verify=pinned_context(pin), timeout=1) as client:
        while time.monotonic() < deadline:
            try:
                client.get(url + "/")
                return
            except httpx.TransportError:
                time.sleep(0.2)
    raise RuntimeError("server did not start")


if __name__ == "__main__":
    sys.exit(main())
