"""A student further from the camera: the kiosk scenes the trust benchmark composes at a smaller face size are frames
the station still photographs (scripts/benchmark_trust.py --celebahq-scenes measures the face rules on them)."""

from __future__ import annotations

import numpy as np
import pytest

from station.compliance.regions import CHEEK_LEFT, CHEEK_RIGHT
from tests.compliance.conftest import portrait_and_mask
from training import kiosk_scenes as scenes

pytestmark = pytest.mark.dataset

GOOD = 1  # a frontal, evenly lit test-split portrait (as in test_scene_checks)


def test_a_smaller_portrait_keeps_its_middle_and_is_still_framed(engine, faces_dir) -> None:
    image, mask = portrait_and_mask(faces_dir, GOOD)
    widths = []
    for side in (scenes.PORTRAIT_SIDE, scenes.SMALL_PORTRAIT_SIDE):
        x0, y0, placed = scenes.placement((720, 1280, 3), side)
        assert placed == side and x0 + side / 2 == pytest.approx(640, abs=1)
        assert y0 + side / 2 == pytest.approx(scenes.PORTRAIT_TOP + scenes.PORTRAIT_SIDE / 2, abs=1)
        analysis = engine.analyze(scenes.compose(image, mask, scenes.backdrop("blue", np.random.default_rng(1)),
                                                 side=side))
        assert analysis.face is not None and analysis.crop is not None, side
        assert analysis.checks["face_position"].ok
        cheeks = analysis.face.points[[CHEEK_LEFT, CHEEK_RIGHT], :2]
        widths.append(float(np.linalg.norm(cheeks[0] - cheeks[1])))
    assert widths[1] / widths[0] == pytest.approx(scenes.SMALL_PORTRAIT_SIDE / scenes.PORTRAIT_SIDE, rel=0.05)
