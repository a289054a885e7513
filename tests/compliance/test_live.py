"""The live analyser reuses the crop plan while the face stays put, and runs the learned models in turns."""

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


def test_learned_models_take_turns_and_never_share_a_frame_with_a_new_plan(frames) -> None:
    still, moved = frames
    with ComplianceEngine.load(video=True) as engine:
        live = LiveAnalyzer(engine, refresh_every=5)
        groups = live.groups
        every = set(engine.learned.models)
        assert len(groups) >= 2 and sorted(sum(groups, ())) == sorted(every)  # each model in exactly one turn
        a = [live.analyze(still) for _ in range(7)]
        ran = [x.learned.ran for x in a]
        assert set(ran[0]) == every  # a new face: every model at once
        assert ran[1] == groups[0] and ran[2] == groups[1 % len(groups)] and ran[3] == groups[2 % len(groups)]
        assert a[5].planned is not a[4].planned and ran[5] == ()  # the crop is planned again: no model runs
        assert ran[6] == groups[4 % len(groups)]  # and the turn it skipped comes next
        for before, after in zip(a, a[1:]):
            for model in every - set(after.learned.ran):
                assert after.learned.outputs[model] == before.learned.outputs[model]
            assert all(after.checks[c].score == round(s, 4) for c, s in after.learned.scores.items())
        stills = engine.analyze(still)  # the shutter's frame: every model, no reuse
        assert set(stills.learned.ran) == every
        jumped = [live.analyze(moved) for _ in range(3)]  # the tracker may take a frame to find the face there
        found = [x for x in jumped if x.learned is not None]
        assert found and set(found[0].learned.ran) == every  # another place: every model at once
