"""The live analyser reuses the crop plan while the face stays put, and the learned scores for one frame only."""

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


def test_learned_scores_wait_one_frame_and_never_share_a_frame_with_a_new_plan(frames) -> None:
    still, moved = frames
    with ComplianceEngine.load(video=True) as engine:
        live = LiveAnalyzer(engine, refresh_every=4, learned_every=2)
        a = [live.analyze(still) for _ in range(6)]
        plans = [x.planned for x in a]
        learned = [x.learned for x in a]
        assert plans[1] is plans[0] and plans[3] is plans[0] and plans[4] is not plans[3] and plans[5] is plans[4]
        assert learned[1] is learned[0]  # shown a second time
        assert learned[2] is not learned[1]  # then measured again
        assert learned[3] is learned[2]
        assert learned[4] is learned[3]  # frame 4 plans the crop again: the models wait
        assert learned[5] is not learned[4]
        for x in a:
            assert all(x.checks[c].score == round(s, 4) for c, s in x.learned.scores.items())
        jumped = live.analyze(moved)  # another place in the frame: a new face is scored at once
        assert jumped.learned is not learned[5]
