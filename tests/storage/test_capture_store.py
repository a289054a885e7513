"""CaptureStore.save / load_for_review: encrypted on disk, versions, damage and a full disk refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from station.storage.captures import CaptureStore, history, stored_capture
from station.errors import StationError
from station.storage.envelope import EnvelopeError
from station.storage import outbox

JPEG = b"\xff\xd8\xff\xe0" + os.urandom(4000)


def _all_files(home: Path) -> list[Path]:
    return [p for p in (home / "captures").rglob("*") if p.is_file()]


def test_no_image_byte_touches_the_disk_unencrypted(station, key):
    original = os.urandom(20000)
    CaptureStore(station, key).save("20200001", JPEG, original, operator="王老师")
    files = _all_files(station.home)
    assert len(files) == 2
    for path in files:
        data = path.read_bytes()
        assert JPEG[:64] not in data and original[:64] not in data and b"\xff\xd8\xff" not in data[:64]
    assert not list(station.home.rglob("*.tmp"))


def test_a_retake_adds_a_version_supersedes_the_last_and_keeps_both(station, key):
    store = CaptureStore(station, key)
    first = store.save("20200002", JPEG, b"orig-1", operator="王老师")
    second = store.save("20200002", JPEG[::-1], b"orig-2", operator="李老师", reason="闭眼")
    versions = history(station.db, "20200002")
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].superseded_at is not None and versions[1].superseded_at is None
    assert versions[1].reason == "闭眼" and versions[1].operator == "李老师"
    assert store.load_for_review("20200002", 1) == JPEG
    assert store.load_for_review("20200002", 2) == JPEG[::-1]
    assert store.load_for_review("20200002", 2, "original") == b"orig-2"
    assert outbox.unsent_uids(station.db) == [first.uid, second.uid]


def test_a_tampered_file_is_reported_never_shown_or_uploaded(station, key):
    store = CaptureStore(station, key)
    version = store.save("20200003", JPEG, b"orig", operator="op")
    path = stored_capture(station.db, station.home, version.uid).files["chsi"]
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x40
    path.write_bytes(bytes(data))
    with pytest.raises(EnvelopeError) as info:
        store.load_for_review("20200003", 1)
    assert info.value.text.zh == ("加密照片文件已损坏或被篡改（内容被改动过或已损坏，或是用另一把钥匙加密的），不会上传或显示。")
    path.write_bytes(bytes(data[:-300]))  # truncated
    with pytest.raises(EnvelopeError) as info:
        store.load_for_review("20200003", 1)
    assert "authentication failed" not in info.value.text.en  # the code's words ('authentication failed') before


def test_the_wrong_station_key_cannot_review(station, key):
    from station.storage.station_key import StationKey

    CaptureStore(station, key).save("20200004", JPEG, b"orig", operator="op")
    with pytest.raises(EnvelopeError):
        CaptureStore(station, StationKey(os.urandom(32), "passphrase")).load_for_review("20200004", 1)


def test_a_nearly_full_disk_refuses_before_writing_and_keeps_earlier_photos(station, key):
    CaptureStore(station, key).save("20200001", JPEG, b"orig", operator="op")
    before = sorted(_all_files(station.home))
    full = CaptureStore(station, key, reserve_bytes=2**62)  # more than any disk has free
    with pytest.raises(StationError) as info:
        full.save("20200005", JPEG, b"orig", operator="op")
    assert "磁盘空间不足" in info.value.text.zh and "disk space" in info.value.text.en
    assert sorted(_all_files(station.home)) == before
    assert history(station.db, "20200005") == []
    assert CaptureStore(station, key).load_for_review("20200001", 1) == JPEG


def test_a_photo_folder_that_cannot_be_written_is_a_message_and_nothing_is_registered(station, key):
    blocked = CaptureStore(station, key)
    blocked.files_dir.parent.mkdir(parents=True, exist_ok=True)
    blocked.files_dir.write_text("a file where the photo folder should be")  # refused even to root
    with pytest.raises(StationError) as info:
        blocked.save("20200001", JPEG, b"orig", operator="op")
    assert "无法把照片写入" in info.value.text.zh and "still in review" in info.value.text.en
    assert history(station.db, "20200001") == []


def test_unknown_student_and_empty_image_are_refused_clearly(station, key):
    store = CaptureStore(station, key)
    with pytest.raises(StationError) as info:
        store.save("99999999", JPEG, b"orig", operator="op")
    assert "99999999" in info.value.text.zh
    with pytest.raises(StationError):
        store.save("20200001", b"", b"orig", operator="op")
    assert not (station.home / "captures").exists() or _all_files(station.home) == []


def test_saving_needs_the_server_key(home, key):
    from station.context import Station
    from tests.upload.kit import add_students

    bare = Station.open(home)
    add_students(bare, "计科2001", ["20200001"])
    with pytest.raises(StationError) as info:
        CaptureStore(bare, key).save("20200001", JPEG, b"orig", operator="op")
    assert "server-config" in info.value.text.zh
    bare.close()


def test_a_disk_that_really_fills_up_refuses_cleanly_and_keeps_earlier_photos(tiny_disk, server):
    from station.context import Station
    from tests.upload.kit import add_students, linked_station, station_key

    home = tiny_disk / "home"
    home.mkdir()
    st = linked_station(home, server.context, server.url, server.context.add_station("S09"), "S09")
    add_students(st, "计科2001", [f"2020{n:04d}" for n in range(1, 40)])
    store = CaptureStore(st, station_key(home), reserve_bytes=0)  # no safety margin: let the kernel say no
    saved = {}
    with pytest.raises(StationError) as info:
        for n in range(1, 40):
            no = f"2020{n:04d}"
            photo = os.urandom(150_000)
            store.save(no, photo, photo[:1000], operator="op")
            saved[no] = photo
    assert "磁盘空间不足" in info.value.text.zh
    assert len(saved) >= 3
    st.close()
    reopened = Station.open(home)
    review = CaptureStore(reopened, station_key(home))
    for no, photo in saved.items():
        assert review.load_for_review(no, 1) == photo
    assert len(outbox.unsent_uids(reopened.db)) == len(saved)
    assert not list(home.rglob("*.tmp"))
    reopened.close()


def _store_with_a_leftover(station, key) -> tuple[CaptureStore, Path]:
    """A store holding one saved photo, and the temporary file a crash during a later save left."""
    store = CaptureStore(station, key)
    store.save("20200001", JPEG, b"original", operator="op")
    leftover = store.files_dir / "ab" / ".abcdef.chsi.pse.x1y2.tmp"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"half a photo")
    return store, leftover


def test_a_leftover_held_open_for_a_moment_is_still_removed_at_start(station, key, monkeypatch):
    """A crash during a save leaves its temporary file; at the next start Windows refuses to delete it while
    another handle holds it (an antivirus scanning it): recover() raised PermissionError and the station did not
    start. The deletion waits as a replace does (the refusal emulated: tests/storage/test_atomic_windows.py)."""
    from tests.storage.test_atomic_windows import WindowsHandles

    store, leftover = _store_with_a_leftover(station, key)
    windows = WindowsHandles(monkeypatch)
    windows.hold(leftover, 0.15)
    assert store.recover() == 1 and windows.refused >= 1
    assert not leftover.exists() and len(_all_files(station.home)) == 2


def test_a_leftover_that_stays_held_does_not_stop_the_start(station, key, monkeypatch, caplog):
    """Windows refuses the deletion for as long as a handle holds the file, and for good while the file has the
    read-only attribute (a data folder restored from a backup or copied off a CD keeps it): after recover()'s waits
    the PermissionError ended the start of the capture day for a file that holds no registered photo. It is left for
    the next start, and the log says so."""
    from tests.storage.test_atomic_windows import WindowsHandles

    store, leftover = _store_with_a_leftover(station, key)
    windows = WindowsHandles(monkeypatch)
    windows.hold(leftover, None)
    monkeypatch.setattr("station.storage.atomic.REPLACE_WAITS", (0.01,))
    assert store.recover() == 0 and leftover.exists() and windows.refused >= 1
    assert str(leftover) in caplog.text
    assert store.load_for_review("20200001", 1) == JPEG
    windows.let_go(leftover)
    assert store.recover() == 1 and not leftover.exists()
