"""A queued student at the edge of a wide webcam's picture, well behind the one photographed and wholly outside the
photo, passes, as a code there does: every second face anywhere in view blocked, so a queue in the picture blocked
every student of the day (and a question instead would have been asked of every one: a question the photographer
learns to ignore). Someone the photo would show, or standing about as near the camera as the student, still blocks,
in the checks and in the CHSI pipeline alike."""

from __future__ import annotations

import pytest

from station.capture.workflow import upright_plan
from station.chsi.crop import CropPlan
from station.chsi.people import people_in_view, someone_else_in_photo
from station.compliance.live import LiveAnalyzer
from station.compliance.results import FAIL, PASS
from tests.chsi.images import demo_frame, with_someone_else

QUEUED_RIGHT = dict(scale=0.55, centre_x=1160)  # about 100 px of face beside her 186, 500 px right of her
QUEUED_LEFT = dict(scale=0.55, centre_x=120)
AS_NEAR = dict(scale=0.9, centre_x=1150)  # as near the camera as she is, as far out
SHOULDER_IN = dict(scale=0.55, centre_x=900)  # further back, but close beside her: a shoulder in her photo


@pytest.mark.parametrize("where", [QUEUED_RIGHT, QUEUED_LEFT])
def test_someone_queued_outside_the_photo_passes(engine, where) -> None:
    analysis = engine.analyze(with_someone_else(**where))
    result = analysis.checks["face_count"]
    assert result.level == PASS and result.score == 0.0, result
    assert analysis.faces == 2
    [other] = analysis.other_faces  # counted, and given in check --json
    assert abs(other[0] + other[2] / 2 - where["centre_x"]) < other[2] / 2
    assert isinstance(analysis.crop, CropPlan) and upright_plan(analysis) is analysis.crop  # the shutter's plan


@pytest.mark.parametrize("where", [AS_NEAR, SHOULDER_IN])
def test_someone_the_photo_shows_or_as_near_still_blocks(engine, where) -> None:
    analysis = engine.analyze(with_someone_else(**where))
    result = analysis.checks["face_count"]
    assert result.level == FAIL and result.score == 1.0, result
    assert upright_plan(analysis) is None


def test_the_live_picture_and_the_shutters_still_agree(engine) -> None:
    """The live tracker follows one face with the mesh, and its detector (the short-range one alone) sees a face this
    far back only from about 0.7 of hers; the still's mesh boxes the other face too, narrower than a detector does.
    Compared box for like box, the live picture does not pass where the shutter's still then blocks."""
    from station.compliance.engine import ComplianceEngine

    frame = with_someone_else(scale=0.7, centre_x=1160)
    with ComplianceEngine.load(video=True) as video:
        live = LiveAnalyzer(video, hold=1)
        levels = [live.analyze(frame).checks["face_count"].level for _ in range(3)]
    assert levels[-1] == engine.analyze(frame).checks["face_count"].level == FAIL, levels


def test_the_pipeline_makes_the_photo_beside_the_queue_and_not_beside_a_neighbour(pipeline) -> None:
    queued = pipeline.process(with_someone_else(**QUEUED_RIGHT))
    assert queued.ok, queued.refusal
    assert queued.measure.faces == 1  # the photo itself holds her alone
    for where in (AS_NEAR, SHOULDER_IN):
        refused = pipeline.process(with_someone_else(**where)).refusal
        assert refused is not None and refused.reason == "several_faces", where
    assert pipeline.process(demo_frame("05_two_people")).refusal.reason == "several_faces"


def test_without_a_photo_framed_anyone_else_blocks(engine) -> None:
    """No crop fits (she stands at the picture's edge): where the photo would end is not known."""
    plan = engine.analyze(demo_frame("04_off_centre")).planned.plan
    assert not isinstance(plan, CropPlan)
    assert someone_else_in_photo(((100, 200, 180, 200), (1100, 250, 90, 100)), plan)
    assert not someone_else_in_photo(((100, 200, 180, 200),), plan)


def test_the_main_face_is_never_left_out() -> None:
    """A face narrower than 30 % of the widest is not counted as a person, but the framed one is always kept: a
    tracker on a small face far back, beside a large one, is two people, not the large one alone."""
    small, large = (600, 300, 40, 48), (100, 200, 200, 240)
    assert people_in_view([small], [large]) == (small, large)
