"""`check --json` says where the people beside the main face are ("other_faces"), as the live picture circles them: a
script sorting a folder of stills by 画面中有多张人脸 learnt there were several people, not where. A single student's line
is as it was (no such key, as "turned")."""

from __future__ import annotations

from station import ASSETS_DIR
from tests.cli import json_lines, run_cli

KIOSK = ASSETS_DIR / "demo" / "kiosk"


def test_check_json_gives_the_other_faces_in_the_images_pixels(home) -> None:
    result = run_cli("check", "--json", str(KIOSK / "05_two_people.jpg"), str(KIOSK / "01_good.jpg"), home=home)
    assert result.returncode == 0, result.stderr.decode()
    two, one = json_lines(result)
    assert two["faces"] == 2 and two["checks"]["face_count"]["level"] == "fail"
    [[x, y, width, height]] = two["other_faces"]
    assert all(isinstance(value, int) for value in (x, y, width, height))
    assert abs(x + width / 2 - 900) < width / 2 and 0 < y < 720  # the second person (scripts/make_demo_assets.py)
    assert one["faces"] == 1 and "other_faces" not in one


def test_check_says_who_is_outside_the_photo(home, tmp_path) -> None:
    """Someone queued at the edge, wholly outside the photo, passes face_count: the text says they were seen and where
    they stand (人脸数 2 beside 通过：人脸数量 read as a mistake), and the JSON still gives their box."""
    import cv2

    from tests.chsi.images import with_someone_else

    queued = tmp_path / "queued.jpg"
    cv2.imwrite(str(queued), with_someone_else(0.55, 1160))
    text = run_cli("check", str(queued), home=home).stdout.decode("utf-8")
    assert f"{queued}: 不合格  (人脸数 2，1 人在照片外)" in text  # 不合格: her smile, not the queue
    english = run_cli("check", "--lang", "en", "--json", str(queued), home=home)
    [line] = json_lines(english)
    assert line["checks"]["face_count"]["level"] == "pass" and len(line["other_faces"]) == 1
