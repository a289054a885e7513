"""Backdrop calibration: a station whose blue is outside the default range can measure and accept it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from station.compliance import ComplianceEngine
from station.compliance.calibration import BackdropColour, measure_backdrop
from training.kiosk_scenes import backdrop
from station.errors import StationError
from tests.cli import json_lines, run_cli


def _violet_blue() -> np.ndarray:
    """A deep violet-blue cloth: hue about 128 in OpenCV units, just outside the default 88-125."""
    frame = backdrop("blue", np.random.default_rng(5)).astype(np.float32)
    frame[:] = (200, 40, 70)
    frame += np.random.default_rng(6).normal(0, 3, frame.shape)
    return np.clip(frame, 0, 255).astype(np.uint8)


def test_calibration_widens_the_accepted_blue(tmp_path: Path) -> None:
    frame = _violet_blue()
    with ComplianceEngine.load(backdrop_file=tmp_path / "none.toml") as default:
        assert not default.analyze(frame).checks["background"].ok
    path = tmp_path / "backdrop.toml"
    measure_backdrop(frame).save(path)
    assert BackdropColour.load(path) is not None
    with ComplianceEngine.load(backdrop_file=path) as calibrated:
        assert calibrated.policy["background"]["hue_max"] > 128
        assert calibrated.analyze(frame).checks["background"].ok
        assert not calibrated.analyze(np.full((720, 1280, 3), 150, np.uint8)).checks["background"].ok


def test_a_grey_picture_cannot_calibrate_and_a_broken_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StationError) as err:
        measure_backdrop(np.full((720, 1280, 3), 150, np.uint8))
    assert "不是蓝色" in err.value.text.zh
    broken = tmp_path / "backdrop.toml"
    broken.write_text("hue_min = 'blue'\n", encoding="utf-8")
    with pytest.raises(StationError):
        ComplianceEngine.load(backdrop_file=broken)


def test_cli_refuses_to_calibrate_on_a_grey_picture(tmp_path: Path, home: Path) -> None:
    import cv2

    grey = tmp_path / "grey.png"
    cv2.imwrite(str(grey), np.full((360, 640, 3), 150, np.uint8))
    result = run_cli("check", "--calibrate-backdrop", str(grey), home=home)
    assert result.returncode == 2 and "不是蓝色" in result.stderr.decode("utf-8")
    nothing = run_cli("check", home=home)
    assert nothing.returncode == 2 and "请给出" in nothing.stderr.decode("utf-8")


def _hues(hues: np.ndarray) -> np.ndarray:
    """A saturated, bright frame of the given OpenCV hues (a cloth in good light)."""
    import cv2

    hsv = np.stack([hues, np.full_like(hues, 200), np.full_like(hues, 200)], axis=-1).astype(np.uint8)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)


def test_a_red_backdrop_or_a_frame_of_every_colour_does_not_calibrate_as_blue() -> None:
    """Red's hues lie at both ends of the circle (2 and 178) and averaged a "blue" 90: the calibration was saved as
    hue -6 to 185, after which the background check let any colour pass. A frame of every hue did the same."""
    rng = np.random.default_rng(0)
    red = _hues(rng.integers(-4, 5, (360, 640)) % 180)
    rainbow = _hues(np.tile(np.arange(640) * 180 // 640, (360, 1)))
    for frame in (red, rainbow):
        with pytest.raises(StationError) as err:
            measure_backdrop(frame)
        assert "不是蓝色" in err.value.text.zh
    blue = measure_backdrop(_hues(100 + rng.integers(-2, 3, (360, 640))))
    assert 90 <= blue.hue_min < blue.hue_max <= 110


def test_with_json_stdout_holds_only_the_images_records_as_utf8_under_a_gbk_code_page(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`check --calibrate-backdrop IMAGE --json PATH > out.jsonl` on a Chinese Windows: the calibration's sentence
    went to stdout in the console's GBK before the JSON lines in UTF-8, a file that no JSON reader takes."""
    from station.adapters.demo import DEMO_DIR

    image = str(DEMO_DIR / "kiosk" / "01_good.jpg")
    monkeypatch.setenv("PYTHONIOENCODING", "gbk")  # what Python takes for a redirected stdout there
    result = run_cli("check", "--calibrate-backdrop", image, "--json", image, home=home)
    assert result.returncode == 0, result.stderr
    assert [record["path"] for record in json_lines(result)] == [image]
    assert "已保存背景标定" in result.stderr.decode("gbk")  # still said, to the person
