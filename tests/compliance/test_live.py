"""The live analyser reuses the crop plan while the face stays put, and only then."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from station import ASSETS_DIR
from station.compliance import ComplianceEngine, LiveAnalyzer


@pytest.fixture(scope="module")
def frames() -> list[np.ndarray]:
    kiosk = ASSETS_DIR / "demo" / "kiosk"
    if not kiosk.is_dir():
        pytest.skip("demo frames absent")
    return [cv2.imread(str(kiosk / name)) for name in ("01_good.jpg", "04_off_centre.jpg")]


def test_still_face_reuses_then_refreshes_and_a_move_recomputes(frames) -> None:
    still, moved = frames
    with ComplianceEngine.load(video=True) as engine:
        live = LiveAnalyzer(engine, refresh_every=3)
        first = live.analyze(still)
        second = live.analyze(still)
        third = live.analyze(still)
        fourth = live.analyze(still)  # at most three frames in a row share one measurement
        assert second.planned is first.planned and third.planned is first.planned
        assert fourth.planned is not first.planned
        assert second.checks["face_position"] == first.checks["face_position"]
        after_move = live.analyze(moved)
        assert after_move.planned is not fourth.planned
        assert not after_move.checks["face_position"].ok  # the stale "fits" answer is not reused
        assert live.analyze(np.zeros_like(still)).verdict == "no_face"
