"""A whole face's models run as two halves on two threads, the models of one crop as one graph: the same scores as
one after another."""

from __future__ import annotations

import cv2

from station import ASSETS_DIR
from station.face.landmarks import FaceMesher


def test_two_halves_give_the_scores_of_one_run(engine) -> None:
    learned = engine.learned
    bgr = cv2.imread(str(ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"))
    with FaceMesher(max_faces=1) as mesher:
        face = mesher.detect(bgr)[0]
    joined = [run for run in learned.joint.values() if len(run.models) > 1]
    assert joined and all(run._session is not None for run in joined)  # joined, not left one by one after a failure
    together = learned.outputs(bgr, face)  # every model: two threads
    one_by_one = learned.outputs(bgr, face, list(learned.models))
    assert together.keys() == one_by_one.keys() == set(learned.models)
    assert together == one_by_one
    first, second = learned._halves(list(learned.joint))
    costs = [sum(learned.joint[k].cost for k in half) for half in (first, second)]
    assert first and second and max(costs) <= 1.6 * min(costs)  # about equal halves, or the wait is the larger
