"""Each measured check fails on a real image that breaks its rule and passes on one that keeps it.

Kiosk frames are composed from CelebAMask-HQ test portraits on a backdrop (training.kiosk_scenes);
nothing is written to disk.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from station.compliance import CHECK_IDS, ComplianceEngine
from training import kiosk_scenes as scenes
from training.datasets import load_mask, load_split
from station.compliance.regions import rule_regions
from station.compliance.messages import BACKDROP_NOT_BLUE, BACKDROP_UNEVEN, HIGHLIGHTS, TOO_BRIGHT, TOO_DARK
from tests.compliance.conftest import portrait_and_mask

pytestmark = pytest.mark.dataset

GOOD, OTHER = 1, 6  # test-split portraits: frontal, evenly lit (index 0 is turned 22 degrees)
DARK_AT_TWO_STOPS = 5  # a test-split portrait whose face at -2 EV sits between 28 and 36.5 L*
WEBCAM_SOFT = 89  # a celebamaskhq val portrait (compliant by its mask but for hair over the ears)


@pytest.fixture(scope="module")
def good_frame(faces_dir) -> np.ndarray:
    image, mask = portrait_and_mask(faces_dir, GOOD)
    return scenes.compose(image, mask, scenes.backdrop("blue", np.random.default_rng(1)))


@pytest.fixture(scope="module")
def good(engine: ComplianceEngine, good_frame: np.ndarray):
    return engine.analyze(good_frame)


def test_a_good_kiosk_frame_passes_every_measured_check(good) -> None:
    assert set(good.checks) == set(CHECK_IDS)
    assert good.faces == 1 and good.face is not None and good.crop is not None
    for check in ("face_count", "face_position", "pose", "background", "clothing_contrast", "exposure",
                  "lighting", "blur"):
        assert good.checks[check].ok, (check, good.checks[check])
        assert good.checks[check].score < 0.5
    x, y, w, h = good.head_box
    assert 0 < x and 0 < y < good.face.box[1] and w > 100 and h > good.face.box[3]


@pytest.mark.parametrize("kind", ["grey", "white", "pattern", "shadow", "gradient"])
def test_background_fails_off_the_blue_backdrop(engine, faces_dir, kind: str) -> None:
    image, mask = portrait_and_mask(faces_dir, OTHER)
    result = engine.analyze(scenes.compose(image, mask, scenes.backdrop(kind, np.random.default_rng(2))))
    check = result.checks["background"]
    assert check.level == "fail" and check.score > 0.8
    expected = BACKDROP_UNEVEN if kind in ("shadow", "gradient") else BACKDROP_NOT_BLUE
    assert check.message == expected


def test_background_passes_on_the_blue_backdrop(engine, faces_dir) -> None:
    image, mask = portrait_and_mask(faces_dir, OTHER)
    result = engine.analyze(scenes.compose(image, mask, scenes.backdrop("blue", np.random.default_rng(2))))
    assert result.checks["background"].ok


def test_blue_clothes_fail_clothing_contrast(engine, faces_dir, good) -> None:
    image, mask = portrait_and_mask(faces_dir, GOOD)
    dyed = scenes.recolour_clothes(image, mask)
    frame = scenes.compose(dyed, mask, scenes.backdrop("blue", np.random.default_rng(1)), clothes=scenes.CHSI_BLUE)
    check = engine.analyze(frame).checks["clothing_contrast"]
    assert not check.ok and check.score > 0.9
    assert "衣服" in check.message.zh
    assert good.checks["clothing_contrast"].ok


@pytest.mark.parametrize(("gain", "messages"), [(0.22, {TOO_DARK}), (2.6, {TOO_BRIGHT, HIGHLIGHTS})])
def test_exposure_fails_on_dark_and_bright_frames(engine, good_frame, gain: float, messages) -> None:
    frame = np.clip(good_frame.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    check = engine.analyze(frame).checks["exposure"]
    assert not check.ok and check.message in messages


def test_lighting_fails_when_one_side_of_the_face_is_dark(engine, good_frame, good) -> None:
    x, _, w, _ = good.face.box
    frame = scenes.darken_side(good_frame, x + w / 2, factor=0.4)
    check = engine.analyze(frame).checks["lighting"]
    assert not check.ok and check.score > 0.9


def test_exposure_asks_about_a_face_two_stops_under(engine, faces_dir) -> None:
    """A frame 2 EV under (a quarter of the light) mostly passed before session 22 (blocked on 36 % of compliant val
    scenes); a face between 28 and 36.5 L* now asks the photographer (曝光？, the face outlined), and
    blocks only below 28 as before (scripts/benchmark_webcam.py, amendment 05:42)."""
    image, mask = portrait_and_mask(faces_dir, DARK_AT_TWO_STOPS)
    frame = scenes.compose(image, mask, scenes.backdrop("blue", np.random.default_rng(1)))
    assert engine.analyze(frame).checks["exposure"].level == "pass"
    under = engine.analyze(np.clip(frame * 0.25 ** (1 / 2.2), 0, 255).astype(np.uint8))  # two stops, gamma 2.2
    check = under.checks["exposure"]
    assert check.ok and check.level == "look", check
    assert "exposure" in dict(under.questions) and "曝光" in check.message.zh


def test_only_a_dark_face_is_asked_about_its_exposure() -> None:
    """The band was chosen for darkness: a bright face short of the limit, or a speck of glare, passes (the look score
    compared with the worst of the three asked them too); beyond their limits they still block."""
    from station.compliance import photometry
    from station.compliance.policy import Policy

    policy = Policy.load()["exposure"]
    assert photometry.exposure(None, 80.0, policy).score < policy.look  # brighter than the band's 76.5, under 85: passes
    assert policy.look <= photometry.exposure(None, 33.0, policy).score < policy.block  # dark: asked
    assert photometry.exposure(None, 95.0, policy).score >= policy.block  # too bright: blocks


def test_blur_fails_on_a_defocused_frame(engine, good_frame) -> None:
    check = engine.analyze(cv2.GaussianBlur(good_frame, (0, 0), 4)).checks["blur"]
    assert not check.ok and check.score > 0.9


def test_blur_asks_about_a_cheap_webcams_soft_focus_and_still_fails_a_defocused_one(engine, faces_dir) -> None:
    """A fixed-focus webcam a little out of focus (Gaussian sigma 1.25 px at 1280x720) is a usable photo, not a block:
    at most a question; sigma 3 px blocks (scripts/benchmark_webcam.py's rule file). The face: a compliant val
    portrait the benchmark chose the limit on, whose soft frame the single limit before session 22 blocked."""
    file = load_split("celebamaskhq")["val"][WEBCAM_SOFT]
    image, mask = cv2.imread(str(faces_dir / "celebamaskhq" / file)), load_mask(file)
    frame = scenes.compose(image, mask, scenes.backdrop("blue", np.random.default_rng(1)))
    sharp = engine.analyze(frame)
    assert sharp.checks["blur"].level == "pass", sharp.checks["blur"]
    soft = engine.analyze(cv2.GaussianBlur(frame, (0, 0), 1.25))
    assert soft.checks["blur"].ok and soft.checks["blur"].level == "look", soft.checks["blur"]
    assert "blur" in dict(soft.questions) and "清晰度" in soft.checks["blur"].message.zh
    assert rule_regions("blur", soft.face)  # the face is outlined with the question
    defocused = engine.analyze(cv2.GaussianBlur(frame, (0, 0), 3.0)).checks["blur"]
    assert not defocused.ok and defocused.score > 0.9


def test_face_position_fails_when_the_head_leaves_the_frame(engine, good_frame) -> None:
    shifted = np.roll(good_frame, 560, axis=1)  # the face now sits at the right edge
    shifted[:, :560] = good_frame[:, :1]  # fill the gap with backdrop, not a wrapped copy
    result = engine.analyze(shifted)
    assert result.faces == 1
    assert not result.checks["face_position"].ok and result.crop is None


def test_face_position_fails_when_the_student_is_too_far(engine, good_frame) -> None:
    small = cv2.resize(good_frame, None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)
    frame = np.empty_like(good_frame)
    frame[:] = good_frame[5, 5]
    frame[300:300 + small.shape[0], 500:500 + small.shape[1]] = small
    result = engine.analyze(frame)
    assert result.faces == 1 and result.verdict == "fail"
    assert not result.checks["face_position"].ok


def test_two_people_fail_face_count(engine, faces_dir) -> None:
    left, mask_left = portrait_and_mask(faces_dir, GOOD)
    right, _ = portrait_and_mask(faces_dir, OTHER)
    frame = scenes.compose(left, mask_left, scenes.backdrop("blue", np.random.default_rng(3)))
    frame[150:150 + 300, 960:960 + 300] = cv2.resize(right, (300, 300))
    result = engine.analyze(frame)
    assert result.faces == 2
    check = result.checks["face_count"]
    assert not check.ok and "多张人脸" in check.message.zh
