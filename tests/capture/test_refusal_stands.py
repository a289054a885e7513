"""How long a refused press stays said: while the picture on screen still fails every check the refusal named, for
the reason it gave."""

from __future__ import annotations

from station.capture.workflow import refusal_stands
from station.compliance.messages import INSTRUCTIONS, PASSED, QUESTION, TITLES
from station.compliance.results import CHECK_IDS, FAIL, LOOK, PASS, Analysis, CheckResult


def _failing(*checks: str, asking: tuple[str, ...] = ()) -> Analysis:
    results = {c: CheckResult(0.0, PASS, PASSED) for c in CHECK_IDS}
    results.update({c: CheckResult(1.0, FAIL, INSTRUCTIONS[c]) for c in checks})
    results.update({c: CheckResult(0.4, LOOK, QUESTION.format(title=TITLES[c])) for c in asking})
    return Analysis(faces=1, face=None, head_box=None, pose=None, checks=results)


def test_the_refusal_stands_while_all_of_it_is_true() -> None:
    refused = _failing("mouth_open", "glasses")
    assert refusal_stands(refused, _failing("mouth_open", "glasses"))
    assert refusal_stands(refused, _failing("mouth_open", "glasses", "hat"))  # another failure besides


def test_the_refusal_goes_once_part_of_it_is_untrue() -> None:
    refused = _failing("mouth_open", "glasses")
    assert not refusal_stands(refused, _failing("glasses"))  # the mouth is closed now: "请闭上嘴巴" would be untrue
    too_dark = _failing("exposure")
    brighter = _failing()
    brighter.checks["exposure"] = CheckResult(1.0, FAIL, INSTRUCTIONS["blur"])  # fails still, for another reason
    assert refusal_stands(too_dark, _failing("exposure")) and not refusal_stands(too_dark, brighter)


def test_the_refusal_goes_once_its_checks_pass_even_if_others_fail_or_ask() -> None:
    refused = _failing("mouth_open")
    assert not refusal_stands(refused, _failing())  # fixed
    assert not refusal_stands(refused, _failing("hat"))  # another failure is the next press's to say
    assert not refusal_stands(refused, _failing(asking=("mouth_open",)))  # only a question now: nothing blocks
