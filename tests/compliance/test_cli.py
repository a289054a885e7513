"""`photo-station check` as a user runs it: JSON lines per the contract, errors per file, the run goes on."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from station import ASSETS_DIR
from station.compliance import CHECK_IDS
from station.compliance.policy import DEFAULT_POLICY
from tests.cli import json_lines, run_cli


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> Path:
    kiosk = ASSETS_DIR / "demo" / "kiosk"
    if not kiosk.is_dir():
        pytest.skip("demo frames absent")
    folder = tmp_path_factory.mktemp("photos")
    shutil.copy(kiosk / "01_good.jpg", folder / "good.JPG")
    nested = folder / "班级" / "二班"
    nested.mkdir(parents=True)
    grey = cv2.imread(str(kiosk / "01_good.jpg"), cv2.IMREAD_GRAYSCALE)
    ok, data = cv2.imencode(".png", grey)
    (nested / "学生照片.png").write_bytes(data.tobytes())  # non-ASCII path, grey PNG
    (nested / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    (nested / "notes.txt").write_text("not an image", encoding="utf-8")
    return folder


def test_json_lines_follow_the_contract(photos: Path, home: Path) -> None:
    black = ASSETS_DIR / "demo" / "kiosk" / "06_black.jpg"
    result = run_cli("check", str(photos), str(black), str(photos / "missing.jpg"), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    lines = json_lines(result)
    by_name = {Path(line["path"]).name: line for line in lines}
    assert set(by_name) == {"good.JPG", "学生照片.png", "broken.jpg", "06_black.jpg", "missing.jpg"}
    for name in ("good.JPG", "学生照片.png", "06_black.jpg"):
        line = by_name[name]
        assert list(line) == ["path", "faces", "verdict", "checks", "questions", "pose"]
        assert list(line["checks"]) == list(CHECK_IDS)
        for check in line["checks"].values():
            assert set(check) == {"ok", "level", "score"} and 0 <= check["score"] <= 1
            assert check["level"] in ("pass", "look", "fail") and check["ok"] == (check["level"] != "fail")
        assert line["questions"] == [c for c, v in line["checks"].items() if v["level"] == "look"]
    good = by_name["good.JPG"]
    assert good["faces"] == 1 and good["verdict"] in ("pass", "fail")
    assert set(good["pose"]) == {"yaw", "pitch", "roll"} and abs(good["pose"]["yaw"]) < 10
    assert good["checks"]["background"]["ok"] and good["checks"]["face_position"]["ok"]
    assert by_name["学生照片.png"]["faces"] == 1 and not by_name["学生照片.png"]["checks"]["background"]["ok"]
    assert by_name["06_black.jpg"]["verdict"] == "no_face" and by_name["06_black.jpg"]["pose"] is None
    assert set(by_name["broken.jpg"]) == {"path", "error"}
    assert set(by_name["missing.jpg"]) == {"path", "error"}


def test_policy_option_and_readable_table(photos: Path, home: Path, tmp_path: Path) -> None:
    relaxed = tmp_path / "relaxed.toml"
    relaxed.write_text(DEFAULT_POLICY.read_text(encoding="utf-8").replace(
        "[background]\nenforced = true", "[background]\nenforced = false"), encoding="utf-8")
    grey = next(photos.rglob("*.png"))
    lines = json_lines(run_cli("check", str(grey), "--json", "--policy", str(relaxed), home=home))
    assert lines[0]["checks"]["background"]["ok"]

    table = run_cli("check", str(grey), home=home)
    assert table.returncode == 0
    text = table.stdout.decode("utf-8")
    assert "背景" in text and "不合格" in text and "✗" in text
    english = run_cli("check", str(grey), "--lang", "en", home=home).stdout.decode("utf-8")
    assert "backdrop" in english and "FAIL" in english


def test_readable_output_gives_each_failure_and_question_its_score_and_thresholds(home: Path, tmp_path: Path) -> None:
    kiosk = ASSETS_DIR / "demo" / "kiosk"
    asking = tmp_path / "asking.toml"  # teeth becomes a question: look from 0.0, block only at 1.0
    asking.write_text(re.sub(r"(\[teeth\]\nenforced = true\n)look = [0-9.]+(.*)\nblock = [0-9.]+",
                             r"\g<1>look = 0.0\g<2>\nblock = 1.0", DEFAULT_POLICY.read_text(encoding="utf-8")),
                      encoding="utf-8")
    result = run_cli("check", str(kiosk / "01_good.jpg"), str(kiosk / "06_black.jpg"), "--policy", str(asking),
                     home=home)
    text = result.stdout.decode("utf-8")
    good, black = (part.splitlines() for part in text.split(str(kiosk / "06_black.jpg")))
    mouth = next(line for line in good if "张嘴" in line)
    assert re.search(r"✗ 张嘴 1\.00（≥ 0\.\d\d 请目视确认，≥ 0\.\d\d 不通过）  请闭上嘴巴$", mouth), mouth
    teeth = next(line for line in good if "露齿" in line)
    assert re.search(r"\? 露齿 0\.\d\d（≥ 0\.00 请目视确认，≥ 1\.00 不通过）  露齿？请目视确认$", teeth), teeth
    assert good[-1].startswith("  通过：人脸数量、位置与大小")
    # not seventeen faults, and the light first: a lens cap finds no face because it is dark
    assert [line.split()[1] for line in black if "✗" in line] == ["曝光", "人脸数量"]
    assert "  ✗ 人脸数量 1.00（≥ 0.50 不通过）  未检测到人脸，请正对镜头" in black  # a rule without a question band
    assert black[-2].startswith("  需要人脸，未检查：位置与大小")
    assert black[-1] == "  画面太暗，未检查：背景、背景光线变化"  # not 背景不是蓝色: the cloth cannot be seen


def test_a_broken_policy_file_is_reported_not_raised(photos: Path, home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[glasses\n", encoding="utf-8")
    result = run_cli("check", str(photos), "--policy", str(bad), home=home)
    assert result.returncode != 0
    assert "检查规则文件有误" in result.stderr.decode("utf-8")
    assert "Traceback" not in result.stderr.decode("utf-8")


def test_parallel_workers_give_the_same_lines_in_the_same_order(photos: Path, home: Path) -> None:
    kiosk = ASSETS_DIR / "demo" / "kiosk"
    args = ("check", str(photos), str(kiosk), str(photos / "missing.jpg"), "--json")
    one, two = run_cli(*args, "--workers", "1", home=home), run_cli(*args, "--workers", "2", home=home)
    assert one.returncode == two.returncode == 0, two.stderr.decode()
    lines = json_lines(two)
    assert [line["path"] for line in lines][-1].endswith("missing.jpg")  # paths in the order given
    assert len(lines) == 3 + 6 + 1  # notes.txt is not an image
    assert lines == json_lines(one)


def test_a_phone_over_the_face_is_one_fault_not_three(home: Path) -> None:
    """The demo's frame of 林晓雯 with the next student's phone over her cheek: the phone blocks; the face's light,
    under the phone's white screen, is said not to be checked rather than failed as glare and a dark side."""
    phone = ASSETS_DIR / "demo" / "qr" / "DEMO0002.jpg"
    lines = run_cli("check", str(phone), home=home).stdout.decode("utf-8").splitlines()
    assert [line.split()[1] for line in lines if "✗" in line] == ["手机/二维码入镜"]
    assert lines[-1] == "  手机挡住了脸，未检查：曝光、光线均匀、清晰度"


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="the address-space limit is set from Linux's /proc")
def test_a_photo_too_big_for_the_memory_left_is_said_so_and_the_run_goes_on(engine, tmp_path: Path, caplog) -> None:
    """A 48-megapixel photo decoded with less memory left than it takes: OpenCV's "Insufficient memory" ended the
    whole run with a traceback (the file was read outside the batch's guard), and an analysis that failed said only
    分析失败：{the library's words}. The memory is limited for real (this process's address space)."""
    import resource

    from station.adapters.cli.check import MSG_NO_MEMORY, check_one, human

    big = tmp_path / "big.jpg"
    cv2.imwrite(str(big), np.full((6000, 8000, 3), 128, np.uint8))  # 144 MB decoded, a few kB on disk
    used = int(re.search(r"VmSize:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (used + 64 * 2**20, hard))
    try:
        outcome = check_one(engine, big)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    assert outcome == MSG_NO_MEMORY
    said = human(big, outcome, engine.policy, "zh")
    assert said == f"{big}: 内存不足，无法分析这张图像：请关闭其他程序后重试，或检查一张缩小的副本"
    assert "Insufficient memory" in caplog.text and str(big) in caplog.text
    assert check_one(engine, ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg").verdict in ("pass", "fail")  # goes on


def test_a_policy_file_that_is_missing_or_a_folder_is_said_to_be_so_not_invalid(home: Path, tmp_path: Path) -> None:
    """`--policy` naming no file said 'the policy file is invalid: [Errno 2] No such file or directory', the
    system's English inside the Chinese message (a broken file is still 'invalid': the test above)."""
    said = {}
    for name, policy in (("missing", tmp_path / "gone.toml"), ("folder", tmp_path)):
        result = run_cli("check", str(ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"), "--policy", str(policy),
                         "--json", "--lang", "zh", home=home)
        assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr.decode()
        (said[name],) = json_lines(result)
    assert said["missing"]["message"].startswith(f"无法读取检查规则文件 {tmp_path / 'gone.toml'}：找不到这个文件")
    assert said["folder"]["message"] == f"无法读取检查规则文件 {tmp_path}：这是一个文件夹"
    assert not re.search(r"Errno|No such file|directory", said["missing"]["message"] + said["folder"]["message"])
