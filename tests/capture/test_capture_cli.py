"""`photo-station capture`: a tethered camera's still through the station's own flow and rules, from the
command line, read back from the real register."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import cv2
import pytest

from station.chsi.verify import ChsiVerifier
from station.storage.captures import CaptureStore
from station.context import Station
from station.adapters.demo import DEMO_DIR, DEMO_PASSPHRASE, prepare_demo
from tests.chsi.images import in_big_still
from tests.cli import SCRIPT, json_lines

GOOD = DEMO_DIR / "kiosk" / "01_good.jpg"  # her broad smile fails mouth_open


@pytest.fixture
def demo_home(home: Path) -> Path:
    station = Station.open(home, "zh")
    prepare_demo(station)
    station.close()
    return home


def capture(home: Path, *args: str) -> tuple[int, dict]:
    env = {**os.environ, "PHOTO_STATION_PASSPHRASE": DEMO_PASSPHRASE}
    result = subprocess.run([str(SCRIPT), "capture", *args, "--json", "--home", str(home)], capture_output=True,
                            timeout=180, env=env)
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result.returncode, json_lines(result)[0]


def test_a_tethered_still_goes_through_the_same_rules_as_the_shutter(demo_home: Path, tmp_path: Path) -> None:
    code, refused = capture(demo_home, str(GOOD), "--student", "2021010101")
    assert code == 1 and refused["ok"] is False and refused["reason"] == "checks_failed"
    assert "mouth_open" in refused["failed"] and refused["verdict"] == "fail"

    code, saved = capture(demo_home, str(GOOD), "--student", "2021010101", "--reason", "已目视确认，系统误报",
                          "--operator", "影楼王老师")
    assert code == 0 and saved["ok"] is True and saved["version"] == 1 and saved["student_no"] == "2021010101"

    code, again = capture(demo_home, str(GOOD), "--student", "DEMO0001", "--reason", "已目视确认，系统误报")
    assert code == 1 and again["reason"] == "already_captured"
    code, retaken = capture(demo_home, str(GOOD), "--student", "DEMO0001", "--reason", "已目视确认，系统误报",
                            "--retake", "学生要求重拍")
    assert code == 0 and retaken["version"] == 2

    # her face again, for a classmate: the command line verifies the face as the window does (a swap)
    code, swap = capture(demo_home, str(GOOD), "--student", "DEMO0002", "--reason", "已目视确认，系统误报")
    assert code == 1 and swap["reason"] == "not_the_same_person"
    assert any(check["against"] == "swap" for check in swap["identity"]), swap
    code, kept = capture(demo_home, str(GOOD), "--student", "DEMO0002", "--reason", "已目视确认，系统误报",
                         "--identity-reason", "双胞胎，已核对身份证")
    assert code == 0 and kept["ok"] is True

    station = Station.open(demo_home, "zh")
    try:
        rows = list(station.db.query("SELECT version, operator, reason, override_reason FROM captures "
                                     "WHERE student_no = '2021010101' ORDER BY version"))
        assert [(r["version"], r["operator"]) for r in rows] == [(1, "影楼王老师"), (2, "影楼王老师")]
        assert rows[1]["reason"] == "学生要求重拍" and rows[0]["override_reason"] == "已目视确认，系统误报"
        assert station.db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 3  # all queued for upload
        from station.storage.station_key import unlock_station_key

        photo = CaptureStore(station, unlock_station_key(demo_home, DEMO_PASSPHRASE)).load_for_review("2021010101", 2)
        assert photo[:2] == b"\xff\xd8"  # the CHSI JPEG, decrypted back
    finally:
        station.close()


def test_nobody_in_the_picture_unknown_students_and_bad_files_are_refused(demo_home: Path, tmp_path: Path) -> None:
    code, black = capture(demo_home, str(DEMO_DIR / "kiosk" / "06_black.jpg"), "--student", "2021010102",
                          "--reason", "测试")
    assert code == 1 and black["ok"] is False and black["reason"] == "no_face"
    code, nobody = capture(demo_home, str(GOOD), "--student", "NOT-A-STUDENT")
    assert code == 1 and nobody["reason"] == "unknown_student"
    broken = tmp_path / "IMG_0001.jpg"
    broken.write_bytes(b"half a jpeg")
    code, unreadable = capture(demo_home, str(broken), "--student", "2021010102")
    assert code == 1 and unreadable["reason"] == "unreadable"


def test_the_school_s_own_rules_in_the_data_folder_apply_to_the_shutter_and_check(demo_home: Path) -> None:
    """A school that does not mind a broad smile says so once in the station's data folder (policy.toml, only what
    it changes): the same frame is then taken without an override, and `check` agrees, with no --policy."""
    (demo_home / "policy.toml").write_text("[mouth_open]\nenforced = false\n\n[teeth]\nenforced = false\n",
                                           encoding="utf-8")
    result = subprocess.run([str(SCRIPT), "check", str(GOOD), "--json", "--home", str(demo_home)],
                            capture_output=True, timeout=180)
    [checked] = json_lines(result)
    assert checked["checks"]["mouth_open"]["level"] == "pass" and checked["checks"]["mouth_open"]["score"] > 0.5
    code, saved = capture(demo_home, str(GOOD), "--student", "2021010101")  # no reason needed now
    assert code == 0 and saved["ok"] is True, saved
    (demo_home / "policy.toml").write_text("[mouth_open]\nenforce = false\n", encoding="utf-8")  # a typo
    result = subprocess.run([str(SCRIPT), "check", str(GOOD), "--json", "--home", str(demo_home)],
                            capture_output=True, timeout=180)
    assert result.returncode != 0 and "enforce" in result.stderr.decode("utf-8")
    assert b"Traceback" not in result.stderr


def test_a_small_face_in_a_24_mp_still_is_saved_as_crop_makes_it(demo_home: Path, tmp_path: Path) -> None:
    """A tethered camera's 6000x4000 still of 王思远 with his face about 270 px wide (4.5 % of the width): the shutter's
    checks planned it on their 1600 px copy and refused it (人脸太小，请靠近相机, an override needed) while crop, planning
    on the original, makes a valid photo of it; the checks now plan as crop does and it is saved without a reason."""
    still = tmp_path / "DSC_0001.jpg"
    cv2.imwrite(str(still), in_big_still(cv2.imread(str(DEMO_DIR / "students" / "DEMO0003_2_good.jpg")), 1900))
    code, saved = capture(demo_home, str(still), "--student", "DEMO0003")
    assert code == 0 and saved["ok"] is True and saved["verdict"] == "pass" and saved["version"] == 1, saved
    station = Station.open(demo_home, "zh")
    try:
        from station.storage.station_key import unlock_station_key

        photo = CaptureStore(station, unlock_station_key(demo_home, DEMO_PASSPHRASE)).load_for_review("2021010103", 1)
    finally:
        station.close()
    verifier = ChsiVerifier()
    measure = verifier.verify(photo)  # the photo kept, measured again: hair top, eyes, face width, roll, centre
    verifier.close()
    assert measure.ok and measure.faces == 1, measure.problems
