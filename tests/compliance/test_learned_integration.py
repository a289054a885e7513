"""The learned checks reach the verdict through the engine: same scores as the models, decided by the policy."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from station.compliance import LEARNED_CHECK_IDS
from station.compliance.results import MEASURED
from tests.compliance.conftest import labelled, test_split

pytestmark = pytest.mark.dataset


def test_engine_scores_are_the_models_scores(engine, models_installed, faces_dir) -> None:
    image = labelled(faces_dir, "celebahq", "Eyeglasses", "1", 1)[0]
    result = engine.analyze(image)
    direct = engine.learned.scores(image, result.face)
    for check in LEARNED_CHECK_IDS:
        got = result.checks[check]
        assert got.state == MEASURED
        assert got.score == pytest.approx(direct[check], abs=1e-3)
        assert got.ok == (got.score < engine.policy[check].threshold)


@pytest.mark.parametrize(("check", "column"), [("glasses", "Eyeglasses"), ("hat", "Wearing_Hat")])
def test_faces_with_the_item_score_higher_than_faces_without(engine, models_installed, faces_dir,
                                                             check: str, column: str) -> None:
    def scores(value: str) -> list[float]:
        return [engine.analyze(img).checks[check].score for img in labelled(faces_dir, "celebahq", column, value, 8)]

    with_item, without = scores("1"), scores("0")
    assert np.mean(with_item) > np.mean(without)
    assert max(with_item) >= engine.policy[check].threshold  # it fires on a face that breaks the rule
    assert min(without) < engine.policy[check].threshold  # and passes one that keeps it


def test_closed_eyes_score_higher_than_open_eyes(engine, models_installed, faces_dir) -> None:
    closed = []
    for file in test_split("cew_closed")[:8]:
        crop = cv2.imread(str(faces_dir / "cew_closed" / file))
        pad = crop.shape[0] // 3
        result = engine.analyze(cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_REPLICATE))
        if result.face is not None:
            closed.append(result.checks["eyes_closed"].score)
    opened = [engine.analyze(img).checks["eyes_closed"].score
              for img in labelled(faces_dir, "genki4k", "smile", "0", 8)]
    assert len(closed) >= 5
    assert np.mean(closed) > np.mean(opened)
    assert max(closed) >= engine.policy["eyes_closed"].threshold
    assert min(opened) < engine.policy["eyes_closed"].threshold
