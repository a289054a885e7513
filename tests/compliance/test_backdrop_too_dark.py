"""A picture too dark to tell the backdrop's colour (a lens cap, a covered camera, the room's lights off) is not told its
backdrop is not blue: 背景不是蓝色，请站到蓝色背景布前 sent the photographer to the cloth, which was there all along.
Exposure blocks it, saying 光线太暗; the backdrop's checks say nothing until it can be seen. A backdrop dark but bright
enough to judge is judged as before. Likewise a face found in a picture that dark is not told it is blurred or to move
its fringe (what reads the face's pixels reads noise there), and 光线太暗 is said first."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.adapters.demo import DEMO_DIR
from station.compliance.backdrop import COLOUR_CHECKS, MIN_JUDGED_LIGHTNESS, Scene
from station.compliance.engine import FACE_PIXEL_CHECKS
from station.compliance.messages import TOO_DARK
from station.compliance.photometry import MIN_JUDGED_FACE_LIGHTNESS, FacePatch, asked_below, sharpness
from station.compliance.results import DARK, FAIL, LOOK, MEASURED, PASS
from station.face.segmentation import PersonSegmenter
from tests.cli import json_lines, run_cli



def dimmed(frame: np.ndarray, light: float) -> np.ndarray:
    return np.round(frame * light).astype(np.uint8)


def under(frame: np.ndarray, ev: float) -> np.ndarray:
    """`ev` stops darker in linear light (gamma 2.2, as test_scene_checks darkens a frame)."""
    return dimmed(frame, 2 ** (ev / 2.2))


def test_check_does_not_tell_a_black_frame_its_backdrop_is_not_blue(home: Path, tmp_path: Path) -> None:
    """The lens cap (all black) and a covered camera (a uniform grey of 12)."""
    for name, level in (("black.jpg", 0), ("grey12.jpg", 12)):
        cv2.imwrite(str(tmp_path / name), np.full((720, 1280, 3), level, np.uint8))
    records = json_lines(run_cli("check", str(tmp_path), "--json", home=home))
    assert len(records) == 2
    for record in records:
        checks = record["checks"]
        assert checks["exposure"]["level"] == FAIL, record
        assert checks["background"]["ok"] and checks["backdrop_drift"]["ok"], record
    text = run_cli("check", str(tmp_path), home=home).stdout.decode("utf-8")
    assert "背景不是蓝色" not in text and text.count("✗ 曝光") == 2
    assert text.count("  画面太暗，未检查：背景、背景光线变化") == 2
    english = run_cli("check", str(tmp_path / "black.jpg"), "--lang", "en", home=home).stdout.decode("utf-8")
    assert "not blue" not in english and "  too dark to see, not checked: backdrop, backdrop light change" in english


@pytest.fixture(scope="module")
def wall(student) -> np.ndarray:
    """Her frame with the cloth taken down: a grey wall behind her."""
    with PersonSegmenter() as segmenter:
        behind = segmenter.mask(student) < 0.2
    frame = student.copy()
    frame[behind] = (128, 128, 128)
    return frame


def test_a_dim_grey_wall_is_still_not_blue_and_only_a_picture_too_dark_to_tell_is_not_judged(engine, wall) -> None:
    dim = engine.analyze(dimmed(wall, 0.4))  # the wall about 21 L*: exposure blocks, and the wall can still be told
    assert dim.checks["exposure"].level == FAIL and "暗" in dim.checks["exposure"].message.zh
    assert dim.checks["background"].level == FAIL and "蓝色" in dim.checks["background"].message.zh
    assert dim.checks["background"].state == MEASURED
    dark = engine.analyze(dimmed(wall, 0.1))  # about 4 L*: a grey wall and a blue cloth look the same
    assert dark.checks["exposure"].level == FAIL
    assert dark.checks["background"].level == PASS and dark.checks["background"].state == DARK
    assert dark.checks["background"].unmeasured


def test_a_blue_cloth_only_the_policy_s_min_value_calls_not_blue_is_too_dark_and_a_grey_wall_still_is_not_blue(
        engine, student, wall) -> None:
    """4.5 EV under, the cloth above the 11 L* limit but under the policy's min_value: 背景不是蓝色 beside 光线太暗 sent
    the photographer to a cloth that was there. Blue by its hue and saturation, it is too dark to judge (dark, as below
    11 L*); the grey wall just as dark is still told it is not blue."""
    frame = under(student, -4.5)
    with PersonSegmenter() as segmenter:
        assert Scene.of(frame, segmenter).middle().backdrop_colour[0] > MIN_JUDGED_LIGHTNESS
    blue = engine.analyze(frame)
    assert blue.checks["exposure"].level == FAIL and blue.checks["exposure"].message == TOO_DARK
    for check in COLOUR_CHECKS:
        assert (blue.checks[check].level, blue.checks[check].state) == (PASS, DARK), check
    assert blue.instructions[0] == TOO_DARK and "蓝色" not in "；".join(text.zh for text in blue.instructions)
    grey = engine.analyze(under(wall, -4.5))
    assert grey.checks["exposure"].level == FAIL
    assert (grey.checks["background"].level, grey.checks["background"].state) == (FAIL, MEASURED)
    assert "蓝色" in grey.checks["background"].message.zh


def test_a_lit_blue_backdrop_is_judged_as_before_and_not_at_all_with_the_lights_off(engine, student) -> None:
    lit = engine.analyze(student)
    for check in COLOUR_CHECKS:
        assert (lit.checks[check].level, lit.checks[check].state) == (PASS, MEASURED), check
    asked = engine.analyze(dimmed(student, 0.45))  # dim, and exposure only asks: the backdrop is judged
    assert asked.checks["exposure"].level == LOOK
    assert all(asked.checks[check].state == MEASURED for check in COLOUR_CHECKS)
    assert asked.checks["background"].level == PASS
    off = engine.analyze(dimmed(student, 0.12))  # the lights off: her face still found, the cloth about 8 L*
    assert off.face is not None and off.checks["exposure"].level == FAIL
    for check in COLOUR_CHECKS:  # not 背景不是蓝色, nor 衣服颜色与蓝色背景太接近
        assert (off.checks[check].level, off.checks[check].state) == (PASS, DARK), check
    assert [check for check, _ in off.problems if check in COLOUR_CHECKS] == []


def test_a_face_too_dark_to_see_is_not_told_it_is_blurred_nor_to_move_its_fringe(engine, student) -> None:
    """Her demo frame with the room's lights off (6 EV under, 2**-6 in linear light): her face is still found, and blur,
    the brows, a hat and the ears read noise there (照片模糊, 请把刘海拨开). 光线太暗 is what she hears, first; where she
    stands and how she turns her head, which the mesh measures, are still judged. Lit; dim, which exposure asks about;
    and 3.5 EV under, which exposure blocks but whose face (about 23 L*) can still be read: judged as before."""
    off = engine.analyze(under(student, -6))
    assert off.face is not None
    assert off.checks["exposure"].level == FAIL and off.checks["exposure"].message == TOO_DARK
    for check in FACE_PIXEL_CHECKS:
        assert (off.checks[check].level, off.checks[check].state) == (PASS, DARK), check
    for check in ("face_count", "face_position", "pose"):
        assert off.checks[check].state == MEASURED, check
    assert off.problems[0][0] == "exposure" and [c for c, _ in off.questions if c in FACE_PIXEL_CHECKS] == []
    said = "；".join(text.zh for text in off.instructions)
    assert "模糊" not in said and "刘海" not in said
    for ev, exposure in ((0, PASS), (-2.5, LOOK), (-3.5, FAIL)):
        frame = under(student, ev)
        analysis = engine.analyze(frame)
        assert analysis.checks["exposure"].level == exposure, ev
        assert FacePatch.cut(frame, analysis.face).mean_lightness > MIN_JUDGED_FACE_LIGHTNESS
        for check in FACE_PIXEL_CHECKS:
            assert analysis.checks[check].state == MEASURED, (ev, check)


def test_a_dim_sharp_face_is_not_told_it_is_blurred_and_a_defocused_one_still_is(engine, student) -> None:
    """4 EV under, exposure blocks her face (about 17 L*) but it can still be read, and its grey levels, which differ
    less for the light alone, read her sharp face as blurred: 照片模糊 beside 光线太暗 sent the photographer to refocus a
    sharp camera. A face darker than exposure accepts without asking (36.5 L*) is now read as if lit to it: the same
    from 2 EV under (about 37 L*) to 4; defocused 3 px she is still told, lit and dim."""
    readings = []
    for ev in (-2, -3, -4):
        frame = under(student, ev)
        analysis = engine.analyze(frame)
        assert (analysis.checks["blur"].level, analysis.checks["blur"].state) == (PASS, MEASURED), ev
        assert "模糊" not in "；".join(text.zh for text in analysis.instructions)
        readings.append(sharpness(FacePatch.cut(frame, analysis.face), asked_below(engine.policy["exposure"])))
    assert analysis.checks["exposure"].level == FAIL and analysis.checks["exposure"].message == TOO_DARK
    assert max(readings) - min(readings) < 0.3, readings
    defocused = cv2.GaussianBlur(student, (0, 0), 3.0)
    for ev in (0, -4):
        blur = engine.analyze(under(defocused, ev)).checks["blur"]
        assert (blur.level, blur.state) == (FAIL, MEASURED), ev


def test_a_picture_too_dark_to_see_says_the_light_first_and_no_other_picture_changes_its_order(engine) -> None:
    """A lens cap finds no face because it is dark: 光线太暗 before 未检测到人脸. A dim grey wall, which can be seen,
    keeps the checks' own order (nobody, the backdrop, then the light)."""
    black = engine.analyze(cv2.imread(str(DEMO_DIR / "kiosk" / "06_black.jpg")))
    assert [check for check, _ in black.problems] == ["exposure", "face_count"]
    dim = engine.analyze(np.full((720, 1280, 3), 55, np.uint8))  # about 23 L*: exposure blocks, grey can be told
    assert [check for check, _ in dim.problems] == ["face_count", "background", "exposure"]
    assert black.instructions[0] == dim.instructions[-1] == TOO_DARK


def test_check_says_the_light_first_and_checks_no_face_it_cannot_see(home: Path, tmp_path: Path, student) -> None:
    """The lights off (6 EV under), and 4.5 EV under, where her face and its focus can still be read but the cloth's
    blue only by its hue: 清晰度 passes and the backdrop is listed as too dark to see, not 背景不是蓝色."""
    cv2.imwrite(str(tmp_path / "lights_off.jpg"), under(student, -6))
    cv2.imwrite(str(tmp_path / "dim.jpg"), under(student, -4.5))
    text = run_cli("check", str(tmp_path), home=home).stdout.decode("utf-8")
    each = {Path(said.split(":")[0]).name: said for said in re.split(r"(?m)^(?=\S)", text) if said.strip()}
    dim, off = each["dim.jpg"], each["lights_off.jpg"]
    for said in (dim, off):
        lines = said.splitlines()
        assert next(line for line in lines if "✗" in line).split()[1] == "曝光", text
        assert "模糊" not in said and "刘海" not in said and "蓝色" not in said
    assert "  画面太暗，未检查：背景、背景光线变化、服装颜色\n" in dim and "清晰度" in dim.split("通过：")[1]
    dark = next(line for line in off.splitlines() if line.startswith("  画面太暗，未检查："))
    assert "清晰度" in dark and "眉毛遮挡" in dark and "头部姿态" not in dark


def test_blur_reads_as_lit_where_exposure_s_question_band_ends_in_the_school_s_policy_too(tmp_path) -> None:
    """blur reads a face as if lit to the top of exposure's question band: 36.5 L* in the shipped policy, and where a
    school's own policy.toml moves the band (it was a copied constant: the band moved, blur did not)."""
    from station.compliance import Policy

    assert asked_below(Policy.load()["exposure"]) == pytest.approx(36.5, abs=0.01)
    school = tmp_path / "policy.toml"
    school.write_text("[exposure]\nmin_face_lightness = 24.0\nlook = 0.5\n", encoding="utf-8")
    assert asked_below(Policy.load(school)["exposure"]) == pytest.approx(24.0)  # no question band: only its block
