"""Head pose has three answers: a head within its limits passes, one just past a limit (within the estimate's own
error of it) asks the photographer to look, and one clearly turned blocks. A student at 10.2 degrees of yaw, which
the estimate cannot tell from 9.8, is no longer stopped with 请正对镜头 while the photo would pass."""

from __future__ import annotations

from station.compliance import Policy
from station.compliance.framing import pose
from station.face.pose import HeadPose


def level(yaw: float = 0.0, pitch: float = 0.0, roll: float = 0.0) -> str:
    rule = Policy.load()["pose"]
    return rule.level(pose(HeadPose(yaw, pitch, roll), rule).score)


def test_a_head_within_its_error_of_a_limit_asks_and_a_clear_turn_blocks() -> None:
    rule = Policy.load()["pose"]
    assert level(yaw=8.0) == level(pitch=-8.0) == level(roll=6.5) == "pass"
    assert level(yaw=10.2) == level(yaw=-12.5) == level(pitch=13.0) == level(roll=8.6) == "look"
    assert level(yaw=13.5) == level(pitch=-14.5) == level(roll=9.5) == level(yaw=30.0) == "fail"
    # the band above each limit is that angle's error wide: roll, the best measured, has the narrowest
    for name, angle in (("yaw", 0), ("pitch", 1), ("roll", 2)):
        limit, error = rule[f"max_{name}_deg"], rule[f"error_{name}_deg"]
        just_inside = [0.0, 0.0, 0.0]
        just_inside[angle] = limit + error - 0.05
        assert level(*just_inside) == "look", name
        just_inside[angle] = limit + error + 0.05
        assert level(*just_inside) == "fail", name


def test_the_words_say_which_way_the_head_is_turned() -> None:
    rule = Policy.load()["pose"]
    assert "转头" in pose(HeadPose(20.0, 0.0, 0.0), rule).problem.zh
    assert "歪头" in pose(HeadPose(0.0, 0.0, 15.0), rule).problem.zh
