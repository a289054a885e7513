"""What the student is told about a failing frame: first things first, and one thing once."""

from __future__ import annotations

from station.compliance.messages import INSTRUCTIONS, PASSED
from station.compliance.results import CHECK_IDS, Analysis, CheckResult


def _failing(*checks: str) -> Analysis:
    results = {c: CheckResult(0.0, True, PASSED) for c in CHECK_IDS}
    results.update({c: CheckResult(1.0, False, INSTRUCTIONS[c]) for c in checks})
    return Analysis(faces=1, face=None, head_box=None, pose=None, checks=results)


def test_a_smile_showing_teeth_is_one_instruction_not_two() -> None:
    analysis = _failing("glasses", "teeth", "mouth_open", "pose")
    assert [c for c, _ in analysis.problems] == ["pose", "mouth_open", "teeth", "glasses"]  # every rule still fails
    assert analysis.instructions == [INSTRUCTIONS["pose"], INSTRUCTIONS["teeth"], INSTRUCTIONS["glasses"]]


def test_an_open_mouth_alone_is_still_said() -> None:
    assert _failing("mouth_open").instructions == [INSTRUCTIONS["mouth_open"]]
    assert _failing("teeth").instructions == [INSTRUCTIONS["teeth"]]


def test_two_checks_with_the_same_words_are_said_once() -> None:
    analysis = _failing("face_count", "face_position")
    same = CheckResult(1.0, False, INSTRUCTIONS["face_count"])
    analysis.checks["face_position"] = same
    assert analysis.instructions == [INSTRUCTIONS["face_count"]]
