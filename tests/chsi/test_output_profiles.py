"""Output profiles: a school whose notice asks for another file ("16K以下、640*480") selects or adds a profile in its
data folder, and the photos come out by it, without any code edited."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from station.adapters.demo import DEMO_DIR
from station.chsi.profiles import STATION_PROFILES, load_profiles, select_profile
from station.chsi.spec import SPEC, Range
from station.errors import StationError
from station.adapters.cli import parse_args, run
from tests.cli import json_lines, run_cli


def command(*argv: str) -> int:
    """A station command run in this process (the pipeline's models are loaded once for the test run)."""
    return run(parse_args(list(argv)))

# The notice's "640*480" is the CHSI portrait (480 wide, 640 high), as such notices mean it; 16 KB is read as
# 16 000 bytes, the stricter sense. At that size a 480x640 portrait needs a lower JPEG quality than CHSI's floor.
SCHOOL = """
selected = "school16k"

[profiles.school16k]
label_zh = "本校通知：16K以下、640*480"
label_en = "our notice: under 16K, 640*480"
min_bytes = 0
max_bytes = 16000
min_jpeg_quality = 25

[profiles.small]
label_zh = "小尺寸（360×480）"
width = 360
height = 480
min_bytes = 0
max_bytes = 30000
hair_top_y = [37.5, 82.5]
eyes_y = [150, 225]
face_width = [135, 225]
max_centre_offset_px = 9.0
"""


def test_the_shipped_profile_is_chsi_and_holds_the_chsi_numbers(tmp_path: Path) -> None:
    profiles = load_profiles(tmp_path)
    assert profiles.selected == "chsi" and list(profiles.by_name) == ["chsi"]
    assert profiles.current.spec == SPEC
    assert (SPEC.width, SPEC.height, SPEC.dpi, SPEC.min_bytes, SPEC.max_bytes) == (480, 640, 300, 20480, 40000)
    assert SPEC.eyes_y == Range(200, 300)


def test_a_school_profile_gives_a_photo_of_its_size_under_its_cap(home: Path, tmp_path: Path) -> None:
    (home / STATION_PROFILES).write_text(SCHOOL, encoding="utf-8")
    listed = json_lines(run_cli("profiles", "--json", home=home))[0]
    assert listed["selected"] == "school16k"
    assert [p["name"] for p in listed["profiles"]] == ["chsi", "school16k", "small"]
    school = listed["profiles"][1]
    assert (school["max_bytes"], school["width"], school["height"], school["dpi"]) == (16000, 480, 640, 300)

    kiosk = DEMO_DIR / "kiosk" / "01_good.jpg"
    assert command("crop", str(kiosk), "--out", str(tmp_path / "out"), "--home", str(home)) == 0
    data = (tmp_path / "out" / "01_good.jpg").read_bytes()
    assert len(data) <= 16000
    with Image.open(io.BytesIO(data)) as photo:
        assert photo.size == (480, 640) and photo.info["dpi"] == (300, 300)

    assert command("profiles", "--select", "small", "--home", str(home)) == 0
    assert load_profiles(home).selected == "small" and "本校通知" in (home / STATION_PROFILES).read_text("utf-8")
    assert command("crop", str(kiosk), "--out", str(tmp_path / "small"), "--home", str(home)) == 0
    with Image.open(tmp_path / "small" / "01_good.jpg") as photo:
        assert photo.size == (360, 480)


def test_a_broken_profile_file_or_an_unknown_name_is_said_not_raised(home: Path) -> None:
    path = home / STATION_PROFILES
    path.write_text('[profiles.x]\nmax_bytes = "16K"\n', encoding="utf-8")
    with pytest.raises(StationError) as err:
        load_profiles(home)
    assert "max_bytes" in err.value.text.zh and str(path) in err.value.text.zh
    result = run_cli("profiles", home=home)
    assert result.returncode != 0 and "输出规格文件有误" in result.stderr.decode("utf-8")
    path.write_text('selected = "chsi"\n', encoding="utf-8")
    with pytest.raises(StationError) as err:
        select_profile(home, "nope")
    assert "nope" in err.value.text.zh and "chsi" in err.value.text.zh
    path.write_text('selected = "nope"\n', encoding="utf-8")
    with pytest.raises(StationError):
        load_profiles(home)


def test_the_window_says_a_broken_profile_file_at_start(home: Path) -> None:
    from station.adapters.startup import open_station

    (home / STATION_PROFILES).write_text('selected = "school"\n', encoding="utf-8")  # a profile never written
    with pytest.raises(StationError) as err:
        open_station(parse_args(["--home", str(home)]))
    assert "school" in err.value.text.zh
    (home / STATION_PROFILES).write_text('selected = "chsi"\n', encoding="utf-8")
    open_station(parse_args(["--home", str(home)])).close()  # fixed: it starts (the refused start held nothing)
