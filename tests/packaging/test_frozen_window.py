"""The frozen folder's demo window on a real X display (Xvfb, Qt's xcb platform from the folder): it opens with the
demo's enrolment photos imported, shows the live picture, closes from its close button and stops cleanly, as on a
photographer's laptop."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

from station.adapters.demo import DEMO_REFERENCES
from station.paths import database_path
from tests.packaging.frozen import PROGRAM, needs_frozen_build
from tests.packaging.test_frozen_build import FROZEN_ENV
# The first-run test's X server and window helpers; importing it skips this module where python-xlib is missing.
from tests.ui.test_first_run_xcb import (  # noqa: F401 (x_display is a fixture)
    MAIN_TITLE, QUEUE_TITLE, _close, _screenshot, _top_windows, x_display, xdisplay,
)
from tests.ui.test_first_run_xcb import pytestmark as needs_xvfb

pytestmark = [needs_frozen_build, needs_xvfb]


def test_the_frozen_demo_opens_and_stops_cleanly(x_display: str, tmp_path: Path) -> None:
    env = {k: v for k, v in FROZEN_ENV.items() if not k.startswith("QT_")}
    env.update(DISPLAY=x_display, PHOTO_STATION_LANG="zh")
    stderr = tmp_path / "stderr.txt"
    started = time.monotonic()
    with stderr.open("wb") as err:
        station = subprocess.Popen([str(PROGRAM), "--demo", "--home", str(tmp_path / "demo")], cwd=tmp_path, env=env,
                                   stdout=subprocess.DEVNULL, stderr=err)
    conn = xdisplay.Display(x_display)
    try:
        deadline, windows = started + 90, {}
        while time.monotonic() < deadline and station.poll() is None:
            windows = _top_windows(conn)
            if any(MAIN_TITLE in title for title in windows) and QUEUE_TITLE in windows:
                break
            time.sleep(0.2)
        assert station.poll() is None, f"the frozen station exited with {station.returncode}: {stderr.read_text()}"
        print(f"frozen demo: windows open {time.monotonic() - started:.1f} s after the start")
        main = next(w for title, w in windows.items() if MAIN_TITLE in title)
        x, y, w, h = main[1:5]
        while True:  # until the demo camera's frames reach the screen
            preview = _screenshot(conn)[y:y + h, x:x + w][h // 4: 3 * h // 4, w // 10: w // 2]
            if preview.std() > 20 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert preview.std() > 20, "the live picture is blank"
        time.sleep(3)  # the live checks run on a few frames: an error in them would reach the log
        _close(conn, main[0])
        assert station.wait(30) == 0
    finally:
        station.terminate()
        station.wait(20)
        conn.close()
    log = (tmp_path / "demo" / "logs" / "station.log").read_text("utf-8")
    assert "station starting" in log and "station stopped (exit code 0)" in log, log
    console = stderr.read_text("utf-8", "replace")
    assert "Traceback" not in console and "Traceback" not in log, console + log
    references = len(list(DEMO_REFERENCES.glob("*.jpg")))  # the demo's enrolment photos, imported from the folder
    with closing(sqlite3.connect(database_path(tmp_path / "demo"))) as db:
        assert db.execute("SELECT COUNT(*) FROM reference_photos").fetchone()[0] == references > 0
