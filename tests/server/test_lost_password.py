"""A registrar who lost the password printed by init gets a new one from the server's console, and the old one stops
opening the pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from station.adapters.server.home import ServerContext, init_server
from tests.upload.kit import LiveServer

BIN = Path(sys.executable).parent


def test_new_password_replaces_the_lost_one(tmp_path: Path) -> None:
    old = init_server(tmp_path / "srv").registrar_password
    done = subprocess.run([str(BIN / "photo-station-server"), "--home", str(tmp_path / "srv"), "new-password"],
                          capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    new = re.search(r"（用户名 registrar）：(\S+)", done.stdout).group(1)
    server = LiveServer(ServerContext(tmp_path / "srv"))
    server.start()
    try:
        with server.client() as web:
            assert web.get("/", auth=("registrar", new)).status_code == 200
            assert web.get("/", auth=("registrar", old)).status_code == 401
    finally:
        server.stop()


def test_a_running_server_takes_the_new_password_at_once(tmp_path: Path) -> None:
    """The registrar who lost it is at the browser: a restart of serve was a step nobody told them on the page."""
    old = init_server(tmp_path / "srv").registrar_password
    server = LiveServer(ServerContext(tmp_path / "srv"))
    server.start()
    try:
        with server.client() as web:
            assert web.get("/", auth=("registrar", old)).status_code == 200
            done = subprocess.run([str(BIN / "photo-station-server"), "--home", str(tmp_path / "srv"), "new-password"],
                                  capture_output=True, text=True, timeout=60, env=dict(os.environ))
            assert done.returncode == 0 and "立即生效" in done.stdout, done.stderr
            new = re.search(r"（用户名 registrar）：(\S+)", done.stdout).group(1)
            assert web.get("/", auth=("registrar", new)).status_code == 200
            assert web.get("/", auth=("registrar", old)).status_code == 401
    finally:
        server.stop()
