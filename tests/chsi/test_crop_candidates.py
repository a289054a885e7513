"""The crop planner tries its candidate photos (up to 200: scales, hair rows, offsets, best first) all at once instead of
one by one (2 CPU-ms of a CelebA-sized still framed too tightly for any, which `check` plans on every such still): the
photo it picks and the edges a refused one crosses are the ones the one-by-one search gave (recorded on the tree before
the change, 6390a3c)."""

from __future__ import annotations

import numpy as np
import pytest

from station.chsi.crop import CropPlan, CropPlanner, _inside
from station.face.landmarks import FaceMesher
from tests.chsi.images import demo_frame

# windows of the demo's 01_good frame (x, y, width, height; her face is centred at x 640) -> what the planner said
RECORDED = [
    ((340, 0, 600, 720), ("plan", 1.165335506, 73.865454, 240.0)),  # the best candidate fits
    ((222, 0, 600, 720), ("plan", 1.364234887, 58.0, 250.0)),  # a larger face, moved 10 px: a later candidate
    ((426, 0, 600, 720), ("plan", 1.178933264, 71.442926, 230.0)),
    ((216, 0, 600, 720), ("out_of_frame", ("right",))),
    ((460, 0, 600, 720), ("out_of_frame", ("left",))),
    ((340, 72, 600, 648), ("out_of_frame", ("top",))),
    ((340, 0, 600, 520), ("out_of_frame", ("bottom",))),
    ((100, 0, 600, 720), ("head_cut_off", ())),
]


@pytest.fixture(scope="module")
def graphs():
    mesher, planner = FaceMesher(), CropPlanner()
    yield mesher, planner
    mesher.close()
    planner.close()


@pytest.mark.parametrize("window, said", RECORDED)
def test_the_plan_is_the_one_the_one_by_one_search_gave(graphs, window, said) -> None:
    mesher, planner = graphs
    x, y, width, height = window
    image = np.ascontiguousarray(demo_frame("01_good")[y:y + height, x:x + width])
    plan = planner.plan(image, mesher.detect(image)[0])
    if isinstance(plan, CropPlan):
        measured = zip((plan.scale, plan.hair_top_y, plan.centre_x), (9, 6, 6))
        assert ("plan", *(round(float(value), digits) for value, digits in measured)) == said
    else:
        assert (plan.reason, plan.sides) == said


def test_each_candidate_s_corners_are_judged_apart() -> None:
    inside, beyond_the_right = [[0, 0], [10, 0], [0, 5], [10, 5]], [[1, 0], [11, 0], [1, 5], [11, 5]]
    assert _inside(np.array([inside, beyond_the_right, inside], np.float64), (10, 5)).tolist() == [True, False, True]
    assert _inside(np.array(beyond_the_right, np.float64), (10, 5), margin=1.0)
