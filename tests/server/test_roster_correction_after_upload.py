"""A corrected roster imported on the receiving server after photos were uploaded: the students photographed whose
name or ID number it changed are named, as the station's own import names them (station.roster.importer's rule,
changed_entries), in the server import's report and by `photo-station-server import-roster`. Before, the server read
the file into an empty scratch database, which held no photos, so it never named anyone."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from PIL import Image

from station.adapters.server.roster import import_server_roster
from station.storage.captures import CaptureStore
from station.upload.uploader import Uploader

HEADER = "学号,姓名,班级,身份证号\n"
FIRST = HEADER + "20200001,王思远,计科2001,110101199903070025\n20200002,刘子涵,计科2001,110101199903070041\n" \
                 "20200003,吴俊杰,计科2001,110101199903070068\n"
# the school's correction: 20200001's name was 20200003's, and 20200002's ID number was mistyped
CORRECTED = HEADER + "20200001,吴俊杰,计科2001,110101199903070025\n20200002,刘子涵,计科2001,110101199903070084\n" \
                     "20200003,王思远,计科2001,110101199903070068\n"


def _jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (480, 640), (shade, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def test_the_server_names_the_photographed_students_a_corrected_roster_changed(station, key, server, tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text(FIRST, encoding="utf-8")
    assert import_server_roster(server.context, roster).report.photographed_changed == []
    store = CaptureStore(station, key)
    for no, shade in (("20200001", 10), ("20200002", 20)):  # 20200003 not photographed yet
        store.save(no, _jpeg(shade), b"o", operator="op")
    Uploader(station.home, key).drain()  # over HTTP to the server on 127.0.0.1
    assert set(server.context.store.registered()) == {"20200001", "20200002"}

    roster.write_text(CORRECTED, encoding="utf-8")
    imported = import_server_roster(server.context, roster)
    assert imported.report.photographed_changed == ["20200001", "20200002"]  # 20200003 has no photo: nothing to check
    assert imported.report.to_json()["photographed_changed"] == ["20200001", "20200002"]
    said = imported.report.summary()
    assert "已拍照的 2 名学生的姓名、证件号码或采集码改了（20200001、20200002）" in said.zh
    assert imported.stored == 3

    # the same file again changes nothing more: nobody named
    assert import_server_roster(server.context, roster).report.photographed_changed == []

    roster.write_text(FIRST, encoding="utf-8")  # back again: the command says it, in words and in its JSON
    command = [sys.executable, "-m", "station.adapters.server.cli", "--home", str(server.context.home), "import-roster",
               str(roster)]
    printed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert printed.returncode == 0, printed.stderr[-2000:]
    assert "（20200001、20200002）" in printed.stdout
    roster.write_text(CORRECTED, encoding="utf-8")
    answer = json.loads(subprocess.run([*command, "--json"], capture_output=True, text=True, timeout=120).stdout)
    assert answer["photographed_changed"] == ["20200001", "20200002"] and answer["stored"] == 3
