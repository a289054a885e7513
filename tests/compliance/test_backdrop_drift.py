"""Backdrop drift: the morning's calibration keeps the backdrop's colour, and the live check asks the photographer
to look (never blocks) when the light on the backdrop changes during the day: a lamp failed, the sun moved."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from station.adapters.demo import DEMO_DIR
from station.compliance import ComplianceEngine, LiveAnalyzer
from station.compliance.calibration import BackdropColour, measure_backdrop
from station.compliance.results import LOOK, PASS
from station.face.segmentation import PersonSegmenter
from station.image_io import read_image

KIOSK = DEMO_DIR / "kiosk"


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory) -> ComplianceEngine:
    """An engine calibrated on the morning's frame (the demo student on the backdrop)."""
    path = tmp_path_factory.mktemp("calibration") / "backdrop.toml"
    measure_backdrop(read_image(KIOSK / "01_good.jpg")).save(path)
    with ComplianceEngine.load(backdrop_file=path) as engine:
        yield engine


def backdrop_changed(name: str, gain: tuple[float, float, float]) -> np.ndarray:
    """The frame with only its backdrop's light changed (per BGR channel); the student is as lit as before."""
    frame = read_image(KIOSK / name)
    with PersonSegmenter() as segmenter:
        person = segmenter.mask(frame)
    backdrop = (person < 0.5)[:, :, None]
    changed = np.clip(frame.astype(np.float32) * np.array(gain, np.float32), 0, 255).astype(np.uint8)
    return np.where(backdrop, changed, frame)


def test_the_calibration_keeps_the_backdrop_colour_and_an_old_file_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "backdrop.toml"
    measure_backdrop(read_image(KIOSK / "01_good.jpg")).save(path)
    kept = BackdropColour.load(path)
    assert kept.reference is not None and 45 < kept.lightness < 70 and kept.blue_yellow < -20  # a bright blue
    old = tmp_path / "old.toml"  # written before the colour was kept: the drift check has nothing to compare with
    old.write_text("hue_min = 90.0\nhue_max = 120.0\nmin_saturation = 60.0\nmin_value = 50.0\n", encoding="utf-8")
    assert BackdropColour.load(old).reference is None


def test_the_same_light_passes_and_a_failed_lamp_or_warmer_light_asks_to_look(calibrated: ComplianceEngine) -> None:
    for name in ("01_good.jpg", "02_good_shifted.jpg", "04_off_centre.jpg"):
        assert calibrated.analyze(read_image(KIOSK / name)).checks["backdrop_drift"].level == PASS, name
    darker = calibrated.analyze(backdrop_changed("01_good.jpg", (0.7, 0.7, 0.7)))  # a lamp on the backdrop failed
    warmer = calibrated.analyze(backdrop_changed("02_good_shifted.jpg", (0.85, 1.0, 1.25)))  # afternoon sun
    for analysis in (darker, warmer):
        drift = analysis.checks["backdrop_drift"]
        assert drift.level == LOOK, drift  # a question: the shutter stays free
        assert ("backdrop_drift", drift) in analysis.questions
        assert drift.message.zh == "背景光线变化？请目视确认"
        assert analysis.checks["background"].ok  # still blue and even: only the drift check speaks


def test_the_live_preview_asks_too(calibrated: ComplianceEngine) -> None:
    darker = backdrop_changed("01_good.jpg", (0.7, 0.7, 0.7))
    live = LiveAnalyzer(calibrated)
    results = [live.analyze(darker) for _ in range(6)][-3:]  # a new face is said once it has settled
    assert all(r.checks["backdrop_drift"].level == LOOK and not r.settling for r in results)


def test_without_a_calibration_nothing_drifts(engine: ComplianceEngine) -> None:
    darker = backdrop_changed("01_good.jpg", (0.6, 0.6, 0.6))
    assert engine.analyze(darker).checks["backdrop_drift"].level == PASS
