"""`photo-station crop IMAGE... --out DIR --json`: the command-line contract, through the real console script."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
from PIL import Image

from station.chsi.verify import ChsiVerifier
from tests.chsi.images import KIOSK, demo_frame, grainy, in_big_still
from tests.cli import json_lines, run_cli

OK_KEYS = {"path", "out", "ok", "width", "height", "bytes", "hair_top_y", "eyes_y", "face_width", "roll"}


def test_crop_command_contract(tmp_path: Path, home: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    good = inputs / "学生 照片.jpg"  # non-ASCII name with a space: read through np.fromfile
    shutil.copy(KIOSK / "03_tilted.jpg", good)
    black = inputs / "black.jpg"
    shutil.copy(KIOSK / "06_black.jpg", black)
    two = inputs / "two.jpg"
    shutil.copy(KIOSK / "05_two_people.jpg", two)
    broken = inputs / "broken.jpg"
    broken.write_bytes(b"not a picture")
    out = tmp_path / "输出"

    result = run_cli("crop", str(good), str(black), str(two), str(broken), "--out", str(out), "--json", home=home)
    assert result.returncode == 1, result.stderr.decode()  # some were refused: a script can tell
    records = json_lines(result)
    assert [r["path"] for r in records] == [str(good), str(black), str(two), str(broken)]

    ok = records[0]
    assert ok["ok"] is True and OK_KEYS <= set(ok)
    assert Path(ok["out"]) == out / "学生 照片.jpg" and Path(ok["out"]).is_file()
    assert (ok["width"], ok["height"]) == (480, 640)
    assert ok["bytes"] == Path(ok["out"]).stat().st_size and 20 * 1024 <= ok["bytes"] <= 40_000
    assert 50 <= ok["hair_top_y"] <= 110 and 200 <= ok["eyes_y"] <= 300 and 180 <= ok["face_width"] <= 300
    assert isinstance(ok["roll"], float) and abs(ok["roll"]) < 1.0
    with Image.open(ok["out"]) as img:
        assert img.size == (480, 640) and img.mode == "RGB" and round(img.info["dpi"][0]) == 300

    reasons = [r.get("reason") for r in records[1:]]
    assert reasons == ["no_face", "several_faces", "unreadable"]
    for refused in records[1:]:
        assert refused["ok"] is False and "out" not in refused
    assert sorted(p.name for p in out.iterdir()) == ["学生 照片.jpg"], "refused images write no file"


def test_a_grainy_photo_is_made_with_noise_reduction_and_says_how_much(tmp_path: Path, home: Path) -> None:
    """A dim hall's grain (about 13 grey levels) fitted no JPEG quality of 60 or more in 40 KB: refused as jpeg_size."""
    grainy_path, worse = tmp_path / "grainy.png", tmp_path / "worse.png"
    cv2.imwrite(str(grainy_path), grainy(demo_frame("01_good"), 13))
    cv2.imwrite(str(worse), grainy(demo_frame("01_good"), 28))
    clean = tmp_path / "clean.jpg"
    shutil.copy(KIOSK / "01_good.jpg", clean)
    records = json_lines(run_cli("crop", str(grainy_path), str(clean), str(worse), "--out", str(tmp_path / "out"),
                                 "--json", home=home))
    made, untouched, refused = records
    assert made["ok"] is True and made["denoised"] > 0 and made["quality"] >= 60
    assert 20 * 1024 <= Path(made["out"]).stat().st_size <= 40_000
    assert untouched["ok"] is True and untouched["denoised"] == 0
    assert refused["ok"] is False and refused["reason"] == "too_grainy" and "add light" in refused["message"]


def test_crop_without_json_speaks_chinese_by_default(tmp_path: Path, home: Path) -> None:
    result = run_cli("crop", str(KIOSK / "06_black.jpg"), "--out", str(tmp_path), home=home)
    assert result.returncode == 1
    assert "未检测到人脸" in result.stdout.decode("utf-8") and "1 / 1 张照片没有生成" in result.stdout.decode("utf-8")


def test_unwritable_output_is_reported_per_image(tmp_path: Path, home: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("the output folder cannot be created under a file")
    result = run_cli("crop", str(KIOSK / "01_good.jpg"), "--out", str(blocker / "out"), "--json", home=home)
    assert result.returncode == 1, result.stderr.decode()
    [record] = json_lines(result)
    assert record["ok"] is False and record["reason"] == "write_failed"


def test_crop_never_writes_over_its_own_inputs_or_outputs(tmp_path: Path, home: Path) -> None:
    camera_a, camera_b = tmp_path / "a", tmp_path / "b"
    camera_a.mkdir()
    camera_b.mkdir()
    shutil.copy(KIOSK / "01_good.jpg", camera_a / "IMG_0001.jpg")  # two cameras' files, one name
    shutil.copy(KIOSK / "02_good_shifted.jpg", camera_b / "IMG_0001.jpg")
    original = (camera_a / "IMG_0001.jpg").read_bytes()

    result = run_cli("crop", str(camera_a / "IMG_0001.jpg"), str(camera_b / "IMG_0001.jpg"),
                     "--out", str(camera_a), "--json", home=home)  # --out the input's own folder
    assert result.returncode == 0, result.stderr.decode()
    first, second = json_lines(result)
    assert first["ok"] and second["ok"]
    assert Path(first["out"]) == camera_a / "IMG_0001-2.jpg" and Path(second["out"]) == camera_a / "IMG_0001-3.jpg"
    assert (camera_a / "IMG_0001.jpg").read_bytes() == original  # the full-resolution original is untouched
    assert Image.open(first["out"]).size == Image.open(second["out"]).size == (480, 640)


def test_crop_never_writes_over_an_input_or_output_that_differs_only_in_case(tmp_path: Path, home: Path) -> None:
    """Windows (and a Mac) take IMG_0001.jpg and IMG_0001.JPG for one file: a camera's IMG_0001.JPG cropped into its
    own folder was replaced by its 480x640 crop there, and a second camera's img_0001.jpg wrote over the first's."""
    camera_a, camera_b = tmp_path / "a", tmp_path / "b"
    camera_a.mkdir()
    camera_b.mkdir()
    shutil.copy(KIOSK / "01_good.jpg", camera_a / "IMG_0001.JPG")  # as a camera names it
    shutil.copy(KIOSK / "02_good_shifted.jpg", camera_b / "img_0001.jpg")

    result = run_cli("crop", str(camera_a / "IMG_0001.JPG"), str(camera_b / "img_0001.jpg"),
                     "--out", str(camera_a), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    outs = [record["out"] for record in json_lines(result)]
    assert len({name.casefold() for name in [str(camera_a / "IMG_0001.JPG"), *outs]}) == 3, outs


def test_a_wildcard_the_console_left_unexpanded_crops_what_it_matches(tmp_path: Path, home: Path) -> None:
    """Windows' cmd and PowerShell hand `crop D:\\tether\\*.JPG --out DIR` over as written (a POSIX shell expands
    it): it stands for the photos it matches, as in `check`, not for one file of that name that is not there."""
    tether = tmp_path / "联机 相机"
    tether.mkdir()
    shutil.copy(KIOSK / "01_good.jpg", tether / "IMG_0002.JPG")
    shutil.copy(KIOSK / "02_good_shifted.jpg", tether / "IMG_0001.JPG")
    result = run_cli("crop", str(tether / "*.JPG"), "--out", str(tmp_path / "out"), "--json", home=home)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert [(Path(r["path"]).name, Path(r["out"]).name) for r in json_lines(result)] == [
        ("IMG_0001.JPG", "IMG_0001.jpg"), ("IMG_0002.JPG", "IMG_0002.jpg")]


def test_a_small_face_in_a_24_mp_still_is_cropped_from_the_original(tmp_path: Path, home: Path) -> None:
    """6000x4000 with the demo student's face about 150 px wide (2.5 % of the width): crop said 未检测到人脸 (a few
    pixels at the detectors' own input size) while check found it in tiles; with the face about 190 px (3 %) it was
    seen, but planned on the 1600 px copy it would have been enlarged more than 2.5 times: 人脸太小. Both are found
    as check finds them and planned on the original, where that is enough for a face 180-300 px wide in the photo."""
    stills = [tmp_path / "DSC_0001.jpg", tmp_path / "DSC_0002.jpg"]
    for still, width in zip(stills, (1024, 1280)):
        cv2.imwrite(str(still), in_big_still(demo_frame("01_good"), width))
    result = run_cli("crop", *map(str, stills), "--out", str(tmp_path / "out"), "--json", home=home)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    verifier = ChsiVerifier()
    for record in json_lines(result):
        assert record["ok"] is True, record
        data = Path(record["out"]).read_bytes()
        with Image.open(Path(record["out"])) as img:
            assert img.size == (480, 640) and img.mode == "RGB"
        assert 20 * 1024 <= len(data) <= 40_000
        measure = verifier.verify(data)  # the written file measured again: hair top, eyes, face width, roll, centre
        assert measure.ok and measure.faces == 1, measure.problems
        assert round(measure.face_width) == record["face_width"] and round(measure.eyes_y) == record["eyes_y"]
    verifier.close()


def test_a_face_too_small_even_in_the_original_is_said_so(tmp_path: Path, home: Path) -> None:
    """The same still with the face about 60 px wide (1 %): found in tiles, but it would have to be enlarged more than
    2.5 times, so the words say come closer (人脸太小), not that nobody is there (未检测到人脸, before)."""
    still = tmp_path / "DSC_0002.jpg"
    cv2.imwrite(str(still), in_big_still(demo_frame("01_good"), 400))
    out = tmp_path / "out"
    result = run_cli("crop", str(still), "--out", str(out), "--json", home=home)
    assert result.returncode == 1
    [record] = json_lines(result)
    assert record["ok"] is False and record["reason"] == "face_too_small", record
    assert record["message_zh"] == "人脸太小，请靠近相机" and "come closer" in record["message"]
    assert not out.exists() or not any(out.iterdir())
