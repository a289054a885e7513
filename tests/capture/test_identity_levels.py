"""The review's identity verdict is shown at its most serious check's level: a face that may be someone else's
outweighs one that could not be compared, which outweighs a match."""

from __future__ import annotations

from station.capture.identity_check import PREVIOUS, REFERENCE, IdentityCheck, needs_reason, worst_level
from station.identity.verify import Verdict


def check(against: str, level: str | None) -> IdentityCheck:
    return IdentityCheck(against, b"", Verdict(0.5, level) if level else None)


def test_the_most_serious_check_sets_the_level() -> None:
    assert worst_level(()) is None
    assert worst_level((check(REFERENCE, "same"),)) == "same"
    assert worst_level((check(REFERENCE, "same"), check(PREVIOUS, None))) == "unmeasured"
    assert worst_level((check(REFERENCE, None), check(PREVIOUS, "uncertain"))) == "uncertain"
    different = (check(REFERENCE, "uncertain"), check(PREVIOUS, "different"))
    assert worst_level(different) == "different" and needs_reason(different)
    assert not needs_reason((check(REFERENCE, "uncertain"), check(PREVIOUS, None)))
