"""The backdrop is judged where the CHSI photo keeps it. A cloth narrower than the camera's view (a 16:9 webcam
before a 2 m cloth) shows the room beside it: judged on the whole frame, every student was blocked with
背景不是蓝色，请站到蓝色背景布前 and the morning's calibration refused the picture as not blue."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from station.compliance import ComplianceEngine
from station.compliance.calibration import BackdropColour, measure_backdrop
from station.face.segmentation import PersonSegmenter
from training.kiosk_scenes import backdrop

WALL_BGR = (150, 175, 195)  # a beige wall, with a dark door frame


def in_a_room(frame: np.ndarray, cloth: tuple[int, int]) -> np.ndarray:
    """`frame` with everything but the person outside the columns `cloth` painted as the room's wall."""
    with PersonSegmenter() as segmenter:
        person = segmenter.mask(frame) > 0.5
    room = frame.copy()
    wall = np.empty_like(frame)
    wall[:] = WALL_BGR
    wall[:, 60:90] = (70, 80, 90)
    beside = np.ones(frame.shape[:2], bool)
    beside[:, cloth[0]:cloth[1]] = False
    room[beside & ~person] = wall[beside & ~person]
    return room


def test_the_room_beside_a_narrow_cloth_is_not_the_backdrop(engine, student) -> None:
    framed = engine.analyze(student)
    room = engine.analyze(in_a_room(student, (300, 980)))
    assert room.checks["background"].level == "pass", room.checks["background"]
    assert {c: r.level for c, r in room.checks.items()} == {c: r.level for c, r in framed.checks.items()}


def test_what_the_photo_keeps_of_the_room_or_a_shadow_still_blocks(engine, student) -> None:
    """The cloth narrower than the photo (the wall shows beside her head), or a shadow beside her head."""
    narrow = engine.analyze(in_a_room(student, (520, 760)))
    assert narrow.checks["background"].level == "fail"
    assert "蓝色" in narrow.checks["background"].message.zh
    shadowed = student.copy()
    with PersonSegmenter() as segmenter:
        behind = segmenter.mask(student) < 0.2
    band = np.zeros(behind.shape, bool)
    band[:, 720:860] = True  # inside her crop, right of her head
    shadowed[band & behind] = (shadowed[band & behind] * 0.45).astype(np.uint8)
    result = engine.analyze(shadowed)
    assert result.checks["background"].level == "fail" and "阴影" in result.checks["background"].message.zh


def test_an_empty_backdrop_before_the_room_passes_and_calibrates(tmp_path: Path) -> None:
    """Between students (no face, no crop) the middle of the frame, where a student stands, is judged; the morning's
    calibration measures the cloth there too, and the checks then take the same cloth as the same colour."""
    empty = in_a_room(backdrop("blue", np.random.default_rng(3)), (300, 980))
    with ComplianceEngine.load(backdrop_file=tmp_path / "none.toml") as default:
        assert default.analyze(empty).checks["background"].level == "pass"
    path = tmp_path / "backdrop.toml"
    measure_backdrop(empty).save(path)
    calibrated = BackdropColour.load(path)
    assert calibrated is not None and 88 <= calibrated.hue_min < calibrated.hue_max <= 125
    with ComplianceEngine.load(backdrop_file=path) as engine:
        seen = engine.analyze(empty)
        assert seen.checks["background"].level == "pass" and seen.checks["backdrop_drift"].level == "pass"
