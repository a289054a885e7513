"""The offline route: `photo-station export --to DIR`, then `photo-station-server import`, exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from station.audit.trail import Action, AuditTrail
from station.storage.captures import CaptureStore
from station.errors import StationError
from station.adapters.server.intake import read_blob
from station.adapters.server.usb_import import import_package
from station.storage.envelope import EnvelopeError, open_with_station_key
from station.storage import outbox
from station.upload.package import MANIFEST, write_package
from station.upload.uploader import Uploader
from tests.upload.kit import PASSPHRASE

BIN = Path(sys.executable).parent


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PHOTO_STATION_PASSPHRASE": PASSPHRASE})


def test_usb_package_imports_exactly_once_alongside_the_network(station, key, server, tmp_path):
    store = CaptureStore(station, key)
    photos = {f"2020{n:04d}": os.urandom(3000) for n in (1, 2, 3)}
    uids = {no: store.save(no, jpeg, b"orig", operator="op").uid for no, jpeg in photos.items()}
    stick = tmp_path / "usb"
    result = _cli("photo-station", "export", "--to", str(stick), "--home", str(station.home), "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("已把 3 张照片写入 ") and "{" not in result.stdout  # a sentence, not JSON
    as_json = _cli("photo-station", "export", "--to", str(tmp_path / "usb2"), "--home", str(station.home), "--json")
    assert json.loads(as_json.stdout)["exported"] == 3
    package = next(stick.iterdir())
    for path in package.iterdir():  # nothing on the stick opens without the server's private key
        with pytest.raises(EnvelopeError):
            open_with_station_key(path.read_bytes(), key.key)

    imported = _cli("photo-station-server", "--home", str(server.context.home), "import", str(stick))
    assert imported.returncode == 0 and "stored 3" in imported.stdout, imported.stdout + imported.stderr
    # the audit line in words: it was a bare number (审计日志 / audit log: 0; a real day's said 38)
    assert "审计日志：服务器还没有工作站 S01 的操作记录（导出包中也没有）。" in imported.stdout, imported.stdout
    again = import_package(server.context, package)
    assert (again.stored, again.duplicate, again.refused) == (0, 3, [])
    Uploader(station.home, key).drain()  # the network copy of the same photos is a duplicate too
    assert outbox.queue_health(station.db).done == 3
    uploads = server.context.store.uploads()
    assert len(uploads) == 3 and {u.source for u in uploads} == {"usb"}
    for upload in uploads:
        assert upload.uid == uids[upload.student_no]
        assert read_blob(server.context, upload, "chsi") == photos[upload.student_no]


def test_the_import_says_what_became_of_the_station_s_audit_log_in_words(station, key, server, tmp_path):
    """`import` said "审计日志 / audit log: 38": a number nobody could read (s32 registrar walk)."""
    trail = AuditTrail(station, "摄影师甲")
    for n in range(3):
        trail.record(Action.IDENTIFY, "20200001", n=n)
    CaptureStore(station, key).save("20200001", os.urandom(3000), b"orig", operator="op")
    assert _cli("photo-station", "export", "--to", str(tmp_path / "usb"), "--home", str(station.home)).returncode == 0
    imported = _cli("photo-station-server", "--home", str(server.context.home), "import", str(tmp_path / "usb"))
    assert "审计日志：已接上，服务器现有工作站 S01 的操作记录 3 条。" in imported.stdout, imported.stdout
    english = _cli("photo-station-server", "--home", str(server.context.home), "--lang", "en", "import",
                   str(tmp_path / "usb"))
    assert "Audit log: continued; the server holds 3 entries of station S01's log." in english.stdout, english.stdout


def test_a_tampered_or_incomplete_package_is_refused(station, key, server, tmp_path):
    CaptureStore(station, key).save("20200001", b"c" * 100, b"o", operator="op")
    report = write_package(station, key, tmp_path)
    manifest = report.folder / MANIFEST
    blob = bytearray(manifest.read_bytes())
    blob[-5] ^= 1
    manifest.write_bytes(bytes(blob))
    with pytest.raises(StationError):
        import_package(server.context, report.folder)
    manifest.unlink()
    with pytest.raises(StationError):
        import_package(server.context, report.folder)

    report = write_package(station, key, tmp_path / "second")
    next(report.folder.glob("*.chsi.pse")).unlink()
    result = import_package(server.context, report.folder)
    assert result.stored == 0 and len(result.refused) == 1 and "缺少文件" in result.refused[0][1].zh
    assert server.context.store.uploads() == []


def test_an_empty_queue_has_nothing_to_export(station, key, tmp_path):
    with pytest.raises(StationError) as info:
        write_package(station, key, tmp_path)
    assert "队列为空" in info.value.text.zh


def test_a_stick_that_cannot_be_written_is_named_and_nothing_half_written_counts(station, key, tmp_path,
                                                                                 read_only_disk):
    CaptureStore(station, key).save("20200001", b"c" * 100, b"o", operator="op")
    pulled = tmp_path / "E盘"
    pulled.write_text("a file where the stick's folder should be", encoding="utf-8")
    with pytest.raises(StationError) as info:
        write_package(station, key, pulled)
    assert "无法写入" in info.value.text.zh and "E盘" in info.value.text.zh
    assert outbox.unsent_uids(station.db)  # still queued for the network
    with pytest.raises(StationError) as info:  # write-protected, said so (not "Read-only file system" in English)
        write_package(station, key, read_only_disk / "folder")
    assert info.value.text.zh == (f"无法写入 {read_only_disk / 'folder'}：磁盘是只读的（U盘可能开了写保护）。请检查U盘是否插好、"
                                  "是否已满，然后再试。")
    report = write_package(station, key, tmp_path / "stick")
    assert report.exported == 1 and "已把 1 张照片导出到" in report.summary().zh


def test_a_station_id_windows_cannot_name_a_folder_with_still_exports_one_package_on_the_stick(home, tmp_path):
    """add-station takes any visible characters as the id (图书馆:1/2): the package's folder is named from it,
    and a ':' is refused on Windows and on a FAT stick, a '/' made a folder inside a folder that `import STICK`
    never looked into."""
    from tests.upload.kit import add_students, linked_station, new_server, station_key

    server = new_server(tmp_path)
    station_id = "图书馆:1/2"
    station = linked_station(home, server, "https://127.0.0.1:1", server.add_station(station_id, "借阅台"), station_id)
    add_students(station, "计科2001", ["20200001"])
    key = station_key(home)
    CaptureStore(station, key).save("20200001", b"c" * 100, b"o", operator="op")
    stick = tmp_path / "usb"
    report = write_package(station, key, stick)
    assert [p.parent for p in stick.glob(f"*/{MANIFEST}")] == [report.folder]  # one folder, where import looks
    assert not set('<>:"/\\|?*') & set(report.folder.name)
    imported = import_package(server, report.folder)
    assert (imported.station_id, imported.stored) == (station_id, 1)
    station.close()
