"""How long the registrar's 身份核验 page takes with a cohort's doubts: the server's render, its thumbnails, and a real
browser's whole load beyond its own start-up. Prints figures; no goal is asserted here (the goal: 2 s in a browser).

A server folder is made here (a cohort photographed, `--doubts` of them doubted: most by their station's verdict,
some as the server's suspected swaps), served by this tree's `photo-station-server serve` as its own process, then
measured:
  - the page's HTML (GET /identity), median of five;
  - every thumbnail the page names, fetched six at a time as a browser does over HTTP/1.1, twice (a second look);
  - headless Chromium, already started and signed in, opening /identity: from navigation until the page's load
    event has fired and every picture in the window is shown (the registrar's wait; pictures further down come as
    they scroll into view), median of five.

  .venv/bin/python scripts/benchmark_identity_page.py --students 2000 --doubts 290
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.adapters.demo import DEMO_REFERENCES  # noqa: E402
from station.adapters.server.home import ServerContext, init_server  # noqa: E402
from station.adapters.server.intake import blob_path  # noqa: E402
from station.adapters.server.store import Upload, UploadFace  # noqa: E402
from station.pinning import pinned_context  # noqa: E402
from station.storage.atomic import write_atomic  # noqa: E402
from station.storage.envelope import image_meta, public_key_from_b64, seal  # noqa: E402
from tests.server.browser import DevTools, chromium  # noqa: E402
from tests.upload.kit import free_port  # noqa: E402

# every picture that shows in the window has arrived (a lazy one not fetched yet is not complete): how many, or -1
SHOWN = """(() => { const seen = [...document.images].filter(i => { const r = i.getBoundingClientRect();
  return r.bottom > 0 && r.top < innerHeight; });
  return seen.every(i => i.complete && i.naturalWidth > 0) ? seen.length : -1; })()"""
BROWSER_CONNECTIONS = 6  # what Chromium opens to one host over HTTP/1.1
SWAP_SHARE = 7  # one doubt in this many is a server-suspected swap, the rest a station's verdict


def photos() -> list[bytes]:
    """The demo's reference faces as 480x640 CHSI-sized JPEGs (what a thumbnail decodes)."""
    made = []
    for path in sorted(DEMO_REFERENCES.glob("*.jpg")):
        with Image.open(path) as image:
            out = io.BytesIO()
            image.convert("RGB").resize((480, 640)).save(out, "JPEG", quality=90)
            made.append(out.getvalue())
    return made


def make_server(home: Path, students: int, doubts: int) -> str:
    """A server folder with `students` photographed and `doubts` of them doubted; returns the registrar password."""
    import hashlib

    password = init_server(home).registrar_password
    context = ServerContext(home)
    context.store.add_station("S01", "一号机位", "0" * 64)
    numbers = [f"2021{n:05d}" for n in range(students)]
    context.store.upsert_students([{"student_no": no, "name": f"学生{n}", "class_name": f"班{n // 30:03d}",
                                    "id_number": ""} for n, no in enumerate(numbers)])
    jpegs, key = photos(), public_key_from_b64(context.public_key)
    start = datetime(2026, 6, 1, 1, 0, tzinfo=timezone.utc)
    uids = []
    for n, no in enumerate(numbers):
        uid, at = uuid.uuid4().hex, (start + timedelta(seconds=20 * n)).isoformat(timespec="milliseconds")
        sealed = seal(jpegs[n % len(jpegs)], image_meta(uid, "chsi", no, 1, at, "S01"), key, None)
        write_atomic(blob_path(context, uid, "chsi"), sealed)
        doubted = n < doubts and n % SWAP_SHARE != 0
        identity = json.dumps({"checks": [{"against": "reference", "level": "uncertain", "score": 0.31}],
                               "reason": "学籍照片是高中时拍的"}, ensure_ascii=False) if doubted else ""
        context.store.insert_upload(Upload(uid, "S01", no, 1, at, at, "王老师", "", "", hashlib.sha256(sealed).hexdigest(),
                                           "0" * 64, "network", 0, identity))
        uids.append(uid)
    for n in range(0, doubts, SWAP_SHARE):  # the server's swap check: this face is the next student's photo
        context.store.insert_face(UploadFace(uids[n], numbers[n], "", uids[n + 1], numbers[n + 1], 0.71))
    context.store.close()
    return password


def median_seconds(work, times: int) -> float:
    spent = []
    for _ in range(times):
        began = time.perf_counter()
        work()
        spent.append(time.perf_counter() - began)
    return statistics.median(spent)


def browser_figures(signed_in: str, cert: Path) -> None:
    browser = DevTools(cert)
    try:
        browser.open(f"{signed_in}/missing")  # start-up, TLS and the sign-in, before anything is timed
        spent, shown = [], 0
        for _ in range(5):
            began = time.perf_counter()
            browser.open(f"{signed_in}/identity")
            loaded = time.perf_counter() - began
            while (shown := int(browser.run(SHOWN))) < 0:
                time.sleep(0.01)
            spent.append((loaded, time.perf_counter() - began))
    finally:
        browser.close()
    print(f"Chromium: /identity's load event after {statistics.median(s[0] for s in spent):.2f} s, its {shown} "
          f"pictures in the window shown after {statistics.median(s[1] for s in spent):.2f} s (medians of 5; "
          f"{min(s[1] for s in spent):.2f}-{max(s[1] for s in spent):.2f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--doubts", type=int, default=290)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="identity-bench-") as scratch:
        home = Path(scratch) / "srv"
        began = time.perf_counter()
        password = make_server(home, args.students, args.doubts)
        print(f"server folder: {args.students} photographed, {args.doubts} doubted ({time.perf_counter() - began:.1f} s)")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "station.adapters.server.cli", "--home", str(home), "serve",
                                   "--host", "127.0.0.1", "--port", str(port)], env={**os.environ, "PYTHONPATH": str(ROOT)},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            context = ServerContext(home)
            base = f"https://127.0.0.1:{port}"
            client = httpx.Client(base_url=base, auth=("registrar", password),
                                  verify=pinned_context(context.cert_sha256), timeout=120,
                                  limits=httpx.Limits(max_connections=BROWSER_CONNECTIONS))
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get("/missing")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
            page = client.get("/identity").text
            print(f"GET /identity: {median_seconds(lambda: client.get('/identity'), 5) * 1000:.0f} ms "
                  f"(median of 5, {len(page) // 1024} KB of HTML)")
            images = re.findall(r'<img src="([^"]+)"', page)
            lazy = len(re.findall(r'<img [^>]*loading="lazy"', page))
            print(f"thumbnails named: {len(images)} ({lazy} loaded lazily, only as they scroll into view)")

            def fetch_all() -> None:
                with ThreadPoolExecutor(BROWSER_CONNECTIONS) as pool:
                    assert all(r.status_code == 200 for r in pool.map(client.get, images))

            for look in ("first", "second"):
                spent = median_seconds(fetch_all, 1)
                print(f"all thumbnails, {look} look, {BROWSER_CONNECTIONS} at a time: {spent * 1000:.0f} ms "
                      f"({spent / max(len(images), 1) * 1000 * BROWSER_CONNECTIONS:.1f} ms each)")
            client.close()
            if chromium() is None:
                print("chromium is not installed: no browser figure")
                return 0
            browser_figures(f"https://registrar:{password}@127.0.0.1:{port}", context.tls_files()[0])
        finally:
            server.terminate()
            server.wait(20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
