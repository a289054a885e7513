"""The live analyser reuses the crop plan and the backdrop mask while the face stays put, and runs the learned
models in turns."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from station import ASSETS_DIR
from station.compliance import ComplianceEngine, LiveAnalyzer
from station.compliance.live import HOLD, SteadyLevels, settling
from station.compliance.results import FAIL, LOOK, PASS, SETTLING, CheckResult
from station.i18n import Text
from tests.chsi.images import in_big_still


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
        for _ in range(HOLD):  # the tracker may take a frame to find the face there, which then settles
            after_move = live.analyze(moved)
        assert not after_move.settling
        assert not after_move.checks["face_position"].ok  # the stale "fits" answer is not reused
        assert live.analyze(np.zeros_like(still)).verdict == "no_face"


def test_each_live_frame_runs_at_most_one_expensive_step_and_every_model_gets_its_turn(frames) -> None:
    still, moved = frames
    with ComplianceEngine.load(video=True) as engine:
        live = LiveAnalyzer(engine, refresh_every=5)
        groups = live.groups
        every = set(engine.learned.models)
        assert len(groups) >= 2 and sorted(sum(groups, ())) == sorted(every)  # each model in exactly one turn
        a = [live.analyze(still) for _ in range(4 * len(groups))]
        ran = [x.learned.ran for x in a]
        assert set(ran[0]) == every  # a new face: every model at once
        turns = [r for r in ran[1:] if r]
        assert turns == [groups[i % len(groups)] for i in range(len(turns))]  # in order, none skipped
        assert len(turns) >= len(groups)  # a full round within four frames per turn
        segmented = [x.scene is not before.scene for before, x in zip(a, a[1:])]
        planned = [x.planned is not before.planned for before, x in zip(a, a[1:])]
        for step in zip(segmented, planned, [bool(r) for r in ran[1:]]):
            assert sum(step) <= 1, step  # plan, segmentation or a turn of models: never two on one frame
        assert any(planned) and sum(segmented) >= len(a) // 3  # the mask stays fresh
        assert all(any(segmented[i:i + 3]) for i in range(len(segmented) - 2))  # never three frames without
        for before, after in zip(a, a[1:]):
            for model in every - set(after.learned.ran):
                assert after.learned.outputs[model] == before.learned.outputs[model]
            assert all(after.checks[c].score == round(s, 4) for c, s in after.learned.scores.items())
            for check in ("background", "clothing_contrast", "exposure"):  # a reused mask measures alike
                assert after.checks[check].ok == a[0].checks[check].ok, check  # (the tracked mesh jitters a little)
                assert abs(after.checks[check].score - a[0].checks[check].score) < 0.01, check
        # the coloured-lens measure (several ms) runs with the models' turns, not on every live frame
        idle = [(before, after) for before, after in zip(a, a[1:]) if not after.learned.ran]
        assert idle and all(after.learned.scores["coloured_lenses"] == before.learned.scores["coloured_lenses"]
                            for before, after in idle)
        stills = engine.analyze(still)  # the shutter's frame: every model, no reuse
        assert set(stills.learned.ran) == every
        jumped = [live.analyze(moved) for _ in range(3)]  # the tracker may take a frame to find the face there
        found = [x for x in jumped if x.learned is not None]
        assert found and set(found[0].learned.ran) == every  # another place: every model at once
        assert found[0].scene is not a[-1].scene  # and its own backdrop mask


def test_another_scene_is_measured_anew_even_with_a_face_in_the_same_place(frames) -> None:
    """The demo's file camera shows one student, then the next in about the same place: the first student's open
    mouth was carried onto the next one's live picture until the models' turns came round."""
    still, _ = frames
    with ComplianceEngine.load(video=True) as engine:
        live = LiveAnalyzer(engine, refresh_every=30)
        every = set(engine.learned.models)
        before = [live.analyze(still, scene=4) for _ in range(3)]
        assert not before[-1].learned.ran or set(before[-1].learned.ran) != every  # one scene: turns
        after = live.analyze(still, scene=5)
        assert set(after.learned.ran) == every  # another scene: every model, a crop planned, a mask of its own
        assert after.planned is not before[-1].planned and after.scene is not before[-1].scene


def _result(level: str, score: float) -> CheckResult:
    return CheckResult(score, level, Text(level, level))


def test_a_level_shown_changes_only_once_the_new_one_held() -> None:
    levels = SteadyLevels(hold=3)
    assert levels.steady({"pose": _result(PASS, 0.1)})["pose"].level == PASS  # the first answer shows at once
    for level in (LOOK, PASS, LOOK, LOOK, PASS, LOOK):  # a score at the threshold: never three in a row
        assert levels.steady({"pose": _result(level, 0.5)})["pose"].level == PASS
    shown = [levels.steady({"pose": _result(FAIL, 0.9 + i / 100)})["pose"] for i in range(4)]
    assert [r.level for r in shown] == [PASS, PASS, FAIL, FAIL] and shown[-1].score == 0.93  # current once shown
    levels.reset()
    assert levels.steady({"pose": _result(PASS, 0.0)})["pose"].level == PASS


def test_a_new_face_says_nothing_until_its_first_analyses_are_in_then_what_most_of_them_said() -> None:
    levels = SteadyLevels(hold=3, unsettled=settling)
    said = [levels.steady({"pose": _result(level, 0.5)})["pose"] for level in (FAIL, PASS, PASS, LOOK)]
    assert [(r.level, r.state) for r in said[:2]] == [(PASS, SETTLING)] * 2  # shown –, counted as no fault
    assert said[2].level == PASS and said[2].state != SETTLING  # two of the first three passed
    assert said[3].level == PASS  # from here a new level must hold three analyses, as ever
    for first, shown in (((FAIL, FAIL, PASS), FAIL), ((FAIL, LOOK, PASS), PASS), ((LOOK, FAIL, FAIL), FAIL)):
        levels.reset()
        assert [levels.steady({"pose": _result(level, 0.5)})["pose"].level for level in first] == [PASS, PASS, shown]


def test_another_view_is_said_only_once_its_first_analyses_are_in(frames) -> None:
    """The face tracker's first mesh of a new view is its worst (王思远 stepping in after 陈浩然: a yaw of 12.9° where
    the next frames measure 9.5-10.3°, or no mesh at all): its words stayed on screen for HOLD analyses more."""
    still, moved = frames
    with ComplianceEngine.load(video=True) as engine:
        live = LiveAnalyzer(engine)
        for scene, frame in enumerate((still, moved, still)):
            said = [live.analyze(frame, scene=scene) for _ in range(HOLD + 2)]
            for analysis in said[:HOLD - 1]:
                assert analysis.settling and not analysis.on_screen  # nothing said, not even a pass
                assert all(result.unmeasured for result in analysis.checks.values())
            assert not said[-1].settling and said[-1].checks["face_count"].level == PASS
        assert not live.analyze(moved, scene=scene).settling  # the same view goes on as it was


def test_the_same_face_missed_for_a_frame_keeps_what_was_said_of_it(frames) -> None:
    """The tracker loses a face for a frame now and then: that is not someone new, and the panel must not go blank
    (every chip –) for HOLD analyses each time."""
    still, _ = frames
    with ComplianceEngine.load(video=True) as engine:
        live = LiveAnalyzer(engine)
        said = [live.analyze(still) for _ in range(HOLD + 2)]
        assert not said[-1].settling
        assert live.analyze(np.zeros_like(still)).face is None  # the face missed on one frame
        back = live.analyze(still)
        assert back.face is not None and not back.settling and not live.someone_new
        assert back.checks["mouth_open"].level == said[-1].checks["mouth_open"].level


def test_a_head_turn_at_the_limit_does_not_blink_on_a_webcams_noise(tmp_path) -> None:
    """A head turn at the limit: with a webcam's noise and 2 px of jitter the raw pose level of 王思远's still picture
    switched 22 times in 50 analyses at the 10° limit; what the preview shows must not blink. Since his yaw keeps a
    mirror's symmetry (session 27) it reads 10.6-12.3° live, inside the question band: a school's limit of 11.4°
    puts him at it again."""
    still = cv2.imread(str(ASSETS_DIR / "demo" / "students" / "DEMO0003_2_good.jpg"))
    school = tmp_path / "policy.toml"
    school.write_text("[pose]\nmax_yaw_deg = 11.4\n", encoding="utf-8")
    changes = {}
    with ComplianceEngine.load(school, video=True) as engine:
        for hold in (1, HOLD):
            rng = np.random.default_rng(0)
            live = LiveAnalyzer(engine, hold=hold)
            shown = []
            for _ in range(40):
                dx, dy = rng.integers(-2, 3, 2)
                frame = cv2.warpAffine(still, np.float32([[1, 0, dx], [0, 1, dy]]), still.shape[1::-1],
                                       borderMode=cv2.BORDER_REPLICATE)
                noisy = np.clip(frame + rng.normal(0, 3, frame.shape), 0, 255).astype(np.uint8)
                shown.append(live.analyze(noisy).checks["pose"].level)
            changes[hold] = sum(a != b for a, b in zip(shown[10:], shown[11:]))
    assert changes[1] >= 6 and changes[HOLD] <= 1, changes
    print(changes)  # the raw levels do blink here; the shown ones not


def test_a_1080p_webcams_student_stepping_back_is_framed_as_the_shutter_frames_him(frames) -> None:
    """A webcam wider than the 1600 px analysis copy: the tracker follows the student stepping back from a 200 px face
    to an 83 px one in a 1920x1080 frame, where the live panel said 人脸太小 (planned on the copy, 69 px there) while
    the shutter's still, planned on the original, passes; the live plan is now made on the original too. At 62 px
    both say come closer."""
    still, _ = frames
    with ComplianceEngine.load(video=True) as video, ComplianceEngine.load() as shutter:
        live = LiveAnalyzer(video, hold=1)
        for width in range(1400, 550, -50):
            analysis = live.analyze(in_big_still(still, width, (1920, 1080)))
        assert analysis.face is not None and 78 < analysis.face.box[2] < 95, analysis.face  # tracked, 86 px
        frame = in_big_still(still, 575, (1920, 1080))
        assert live.analyze(frame).checks["face_position"].level == PASS == shutter.analyze(frame).checks[
            "face_position"].level
        for width in range(550, 400, -25):
            analysis = live.analyze(in_big_still(still, width, (1920, 1080)))
        assert "请靠近相机" in analysis.checks["face_position"].message.zh
