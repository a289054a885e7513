"""`photo-station server-config` with another server's key while photos wait to upload: refused unless --force (the
window asks the same question, tests/ui/test_main_window.py): each waiting photo is sealed for the server linked now,
and the new server could never open it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from station.context import Station
from station.storage.captures import CaptureStore
from station.storage.server_link import load_link
from tests.upload.kit import add_students, linked_station, new_server, station_key

BIN = Path(sys.executable).parent


def server_config(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "photo-station"), "server-config", *args, "--home", str(home)],
                          capture_output=True, text=True, timeout=60)


def test_another_servers_key_is_refused_while_photos_wait(tmp_path: Path, home: Path) -> None:
    first, other = new_server(tmp_path / "a"), new_server(tmp_path / "b")
    station = linked_station(home, first, "https://10.0.0.1:8420", "tok", "S01")
    add_students(station, "软件2101", ["20210001"])
    CaptureStore(station, station_key(home)).save("20210001", b"\xff\xd8 photo", b"original", operator="王老师")
    station.close()

    same = server_config(home, "--public-key", first.public_key, "--url", "https://10.0.0.2:8420")
    assert same.returncode == 0, same.stderr  # the same server at a new address strands nothing
    refused = server_config(home, "--public-key", other.public_key, "--station-id", "S09")
    assert refused.returncode == 1
    assert "没有更改：本机还有 1 张照片在等待上传" in refused.stderr and "--force" in refused.stderr
    as_json = server_config(home, "--public-key", other.public_key, "--json", "--lang", "en")
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["error"] == "photos_waiting"
    assert "1 photo is waiting" in json.loads(as_json.stdout)["message"]
    station = Station.open(home)
    link = load_link(station.db)
    assert (link.public_key, link.station_id, link.url) == (first.public_key, "S01", "https://10.0.0.2:8420")
    station.close()

    forced = server_config(home, "--public-key", other.public_key, "--station-id", "S09", "--force")
    assert forced.returncode == 0, forced.stderr
    station = Station.open(home)
    assert (load_link(station.db).public_key, load_link(station.db).station_id) == (other.public_key, "S09")
    station.close()
