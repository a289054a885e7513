"""`photo-station check` frames a tethered camera's big still as `photo-station crop` does: where crop makes the
photo, check does not ask the student to come closer; where crop refuses, check says why in crop's words."""

from __future__ import annotations

from pathlib import Path

import cv2

from station import ASSETS_DIR
from station.compliance.messages import TITLES
from station.compliance.results import LEARNED_CHECK_IDS
from tests.chsi.images import demo_frame, in_big_still
from tests.cli import json_lines, run_cli

PASSED = "passed"
STUDENTS = ASSETS_DIR / "demo" / "students"
# The checks that read the face's own pixels (pose and the framing are geometry; the crop levels the head).
FACE_CHECKS = ("exposure", "lighting", "blur", *LEARNED_CHECK_IDS, "coloured_lenses")


def _face_position(table: str) -> dict[str, str | None]:
    """What check's table says of 位置与大小 for each still, by file name: its failing line, PASSED when it is listed
    as passed (measured, not left unchecked), None when neither."""
    title, found, name = TITLES["face_position"].zh, {}, None
    for raw in table.splitlines():
        line = raw.strip()
        if not raw.startswith(" "):  # a still's first line: its path and verdict
            name = Path(line.partition(": ")[0]).name
            found[name] = None
        elif line.startswith(f"✗ {title} "):
            found[name] = line
        elif line.startswith("通过：") and title in line.removeprefix("通过：").split("、"):
            found[name] = PASSED
    return found


def test_check_and_crop_agree_on_big_stills(tmp_path: Path, home: Path) -> None:
    """6000x4000 stills with the demo student's face about 57, 150 and 230 px wide, and the 150 px one cut 24 px to
    the left of the face. check planned on its 1600 px copy and said 人脸太小 for all four; crop, planning on the
    original, makes a photo of the middle two, and refuses the others (too small; beyond the left edge)."""
    frame = demo_frame("01_good")
    stills = {"DSC_0001.jpg": in_big_still(frame, 400), "DSC_0002.jpg": in_big_still(frame, 1024),
              "DSC_0003.jpg": in_big_still(frame, 1600), "DSC_0004.jpg": in_big_still(frame, 1024)[:, 2900:]}
    for name, still in stills.items():
        cv2.imwrite(str(tmp_path / name), still)
    paths = [str(tmp_path / name) for name in stills]
    cropped = run_cli("crop", *paths, "--out", str(tmp_path / "out"), "--json", home=home)
    checked = run_cli("check", *paths, "--lang", "zh", home=home)
    assert checked.returncode in (0, 1), checked.stderr.decode()
    crop = {Path(r["path"]).name: r for r in json_lines(cropped)}
    check = _face_position(checked.stdout.decode("utf-8"))
    assert sorted(check) == sorted(crop) == sorted(stills)
    assert {name: r["ok"] or r["reason"] for name, r in crop.items()} == {
        "DSC_0001.jpg": "face_too_small", "DSC_0002.jpg": True, "DSC_0003.jpg": True, "DSC_0004.jpg": "out_of_frame"}
    for name, record in crop.items():
        if record["ok"]:
            assert check[name] == PASSED, (name, check[name])
        else:
            assert check[name] is not None and check[name].endswith(record["message_zh"]), (name, check[name])


def test_check_reads_a_big_stills_small_face_as_crops_photo_shows_it(tmp_path: Path, home: Path) -> None:
    """The face-level checks of a 150 and a 230 px face in a 6000x4000 still give the levels check gives the CHSI
    photo crop makes of it. They read the face in the 1600 px copy, 40-62 px there: blur failed (照片模糊) for three
    of the four stills, and 陈浩然's teeth were blocked in both of his, where his photos are only asked about."""
    stills = {f"{student}_{width}.jpg": in_big_still(cv2.imread(str(STUDENTS / f"{student}_2_good.jpg")), width)
              for student in ("DEMO0002", "DEMO0003") for width in (1024, 1600)}
    for name, still in stills.items():
        cv2.imwrite(str(tmp_path / name), still)
    paths = [str(tmp_path / name) for name in stills]
    cropped = run_cli("crop", *paths, "--out", str(tmp_path / "photos"), "--json", home=home)
    photos = {Path(r["path"]).name: r["out"] for r in json_lines(cropped) if r["ok"]}
    assert sorted(photos) == sorted(stills), cropped.stdout.decode()
    checked = run_cli("check", *paths, *photos.values(), "--json", home=home)
    levels = {r["path"]: {c: r["checks"][c]["level"] for c in FACE_CHECKS} for r in json_lines(checked)}
    for name, photo in photos.items():
        still = levels[str(tmp_path / name)]
        assert still == levels[photo], (name, still, levels[photo])
    assert all(levels[photo]["blur"] == "pass" for photo in photos.values())
