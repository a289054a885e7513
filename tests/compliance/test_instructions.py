"""What the student and the photographer are told about a frame: first things first, one thing once, the
blocking failures apart from the questions, and no list of faults without a face."""

from __future__ import annotations

from station.compliance.messages import INSTRUCTIONS, NO_FACE, PASSED, QUESTION, TITLES
from station.compliance.results import CHECK_IDS, FAIL, LOOK, NO_FACE as NO_FACE_STATE, PASS, Analysis, CheckResult


def _failing(*checks: str, asking: tuple[str, ...] = ()) -> Analysis:
    results = {c: CheckResult(0.0, PASS, PASSED) for c in CHECK_IDS}
    results.update({c: CheckResult(1.0, FAIL, INSTRUCTIONS[c]) for c in checks})
    results.update({c: CheckResult(0.4, LOOK, QUESTION.format(title=TITLES[c])) for c in asking})
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
    same = CheckResult(1.0, FAIL, INSTRUCTIONS["face_count"])
    analysis.checks["face_position"] = same
    assert analysis.instructions == [INSTRUCTIONS["face_count"]]


def test_questions_are_listed_after_the_failures_and_never_block() -> None:
    analysis = _failing("teeth", asking=("earrings", "glasses"))
    assert [c for c, _ in analysis.on_screen] == ["teeth", "glasses", "earrings"]
    assert [c for c, _ in analysis.problems] == ["teeth"] and analysis.instructions == [INSTRUCTIONS["teeth"]]
    assert [c for c, _ in analysis.questions] == ["glasses", "earrings"]
    assert analysis.questions[1][1].message.zh == "耳环？请目视确认" and analysis.questions[1][1].ok
    only_asked = _failing(asking=("hat",))
    assert only_asked.verdict == "pass" and not only_asked.problems and only_asked.instructions == []


def _without_face(faces: int, *frame_failures: str) -> Analysis:
    """What the engine gives when no face was measured: every check that needs one fails with state no_face."""
    analysis = _failing(*frame_failures)
    for check in CHECK_IDS:
        if check not in ("face_count", "background", "exposure"):
            analysis.checks[check] = CheckResult(1.0, FAIL, NO_FACE, NO_FACE_STATE)
    if not faces:
        analysis.checks["face_count"] = CheckResult(1.0, FAIL, NO_FACE)
    return Analysis(faces=faces, face=None, head_box=None, pose=None, checks=analysis.checks)


def test_without_a_face_the_screen_says_so_once_not_seventeen_faults() -> None:
    dark = _without_face(0, "exposure", "background")
    assert [c for c, _ in dark.on_screen] == ["face_count", "background", "exposure"]
    assert dark.instructions[0] == NO_FACE
    assert [c for c, _ in _without_face(0).on_screen] == ["face_count"]
    unclear = _without_face(1)  # someone is there, the face could not be measured: said once
    assert len(unclear.on_screen) == 1 and unclear.on_screen[0][1].state == NO_FACE_STATE


def test_every_english_instruction_reads_as_the_others_do_inside_a_list_or_sentence() -> None:
    """They are listed one to a line and joined into 'Failed: …' (the review's note): seen on the walk, only the
    phone's began with a capital ("A phone or code is in the photo…" under "please close your mouth")."""
    assert [c for c, text in INSTRUCTIONS.items() if not text.en[:1].islower()] == []
