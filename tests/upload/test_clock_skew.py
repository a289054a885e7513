"""A laptop whose clock or time zone is wrong cannot make an older photo the registered one: the server puts
each capture time on its own clock, from the station's clock at sending."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from station.storage.captures import CaptureStore
from station.adapters.server.intake import read_blob
from station.adapters.server.store import Upload, in_capture_order
from station.upload.uploader import Uploader
from tests.upload.kit import add_students, linked_station, station_key
from tests.upload.test_upload_roundtrip import FAST

EIGHT_HOURS = timedelta(hours=8)


def fast_clock() -> datetime:
    """A laptop set to Beijing time but to the UTC time zone: its 'UTC' is eight hours ahead."""
    return datetime.now(timezone.utc) + EIGHT_HOURS


def test_a_retake_on_a_correct_station_replaces_a_photo_from_a_fast_one(station, key, server, tmp_path: Path):
    fast = CaptureStore(station, key, clock=fast_clock).save("20200001", b"first", b"o", operator="甲")
    Uploader(station.home, key, FAST, clock=fast_clock).drain()

    other_home = tmp_path / "station-b"
    other = linked_station(other_home, server.context, server.url, server.context.add_station("S02"), "S02")
    add_students(other, "计科2001", ["20200001"])
    other_key = station_key(other_home)
    retake = CaptureStore(other, other_key).save("20200001", b"retake", b"o", operator="乙", reason="闭眼")
    Uploader(other_home, other_key, FAST).drain()
    other.close()

    assert fast.captured_at > retake.captured_at  # on the stations' own clocks the first photo looks newer
    held = server.context.store
    first = next(u for u in held.uploads() if u.station_id == "S01")
    assert abs(first.clock_offset_ms + EIGHT_HOURS.total_seconds() * 1000) < 60_000
    assert read_blob(server.context, held.registered()["20200001"], "chsi") == b"retake"


def test_one_station_s_versions_keep_their_order_whatever_the_offset_jitter() -> None:
    def upload(uid: str, version: int, captured: str, offset_ms: int, station_id: str = "S01") -> Upload:
        return Upload(uid, station_id, "1", version, captured, "", "", "", "", "", "", "network", offset_ms)

    # two photos 5 ms apart, sent with offsets measured 20 ms apart: the second stays the newer
    ordered = in_capture_order([upload("b", 2, "2026-06-01T09:00:00.005+00:00", 1000),
                                upload("a", 1, "2026-06-01T09:00:00.000+00:00", 1020)])
    assert [u.uid for u in ordered] == ["a", "b"]
    # across stations the server's clock decides
    ordered = in_capture_order([upload("x", 1, "2026-06-01T17:00:00+00:00", -8 * 3600 * 1000),
                                upload("y", 1, "2026-06-01T09:30:00+00:00", 0, "S02")])
    assert [u.uid for u in ordered] == ["x", "y"]


def test_a_usb_package_from_a_fast_station_is_corrected_by_its_last_network_offset(station, key, server,
                                                                                   tmp_path: Path):
    from station.adapters.server.usb_import import import_package
    from station.upload.package import write_package

    CaptureStore(station, key, clock=fast_clock).save("20200001", b"first", b"o", operator="甲")
    Uploader(station.home, key, FAST, clock=fast_clock).drain()  # the server learns this station's offset
    CaptureStore(station, key, clock=fast_clock).save("20200002", b"usb", b"o", operator="甲")
    import_package(server.context, write_package(station, key, tmp_path).folder)
    by_student = {u.student_no: u for u in server.context.store.uploads()}
    assert by_student["20200002"].source == "usb"
    assert abs(by_student["20200002"].clock_offset_ms - by_student["20200001"].clock_offset_ms) < 60_000


def test_a_nonsense_station_clock_is_ignored_and_never_breaks_the_listing() -> None:
    from station.adapters.server.intake import _clock_offset_ms

    assert _clock_offset_ms("9999-12-31T00:00:00+00:00", "2026-06-01T09:00:00+00:00") == 0
    assert _clock_offset_ms("2019-01-01T00:00:00+00:00", "2026-06-01T09:00:00+00:00") > 2**31  # BIOS date: kept
    stray = Upload("z", "S9", "1", 1, "2026-06-01T09:00:00+00:00", "", "", "", "", "", "", "network", -10**17)
    assert [u.uid for u in in_capture_order([stray])] == ["z"]
