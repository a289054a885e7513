"""The review's identity verdict is shown at its most serious check's level: a face that may be someone else's
outweighs one that could not be compared, which outweighs a match."""

from __future__ import annotations

from station.capture.identity_check import (
    OUTWEIGHED, PREVIOUS, REFERENCE, IdentityCheck, needs_reason, outweigh, worst_level,
)
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


def test_a_retake_of_the_enrolment_photos_person_outweighs_the_wrong_photo_it_replaces() -> None:
    """照片不是我本人 is why students are retaken: the new face is the enrolment photo's person and not the replaced
    photo's; that doubt is about the old photo, so it asks no reason and shows the match's level."""
    corrected = outweigh((check(REFERENCE, "same"), check(PREVIOUS, "different")))
    assert worst_level(corrected) == "same" and not needs_reason(corrected)
    assert corrected[1].said == OUTWEIGHED and corrected[1].level == "different"  # recorded as measured
    for unsure in ("uncertain", None):  # without the enrolment photo's word, the previous photo still decides
        kept = outweigh((check(REFERENCE, unsure), check(PREVIOUS, "different")))
        assert worst_level(kept) == "different" and needs_reason(kept)
