"""The live identity line and the review say a verdict in the same English, and name another student as the window
names people everywhere, 林晓雯 (2021010101). The s33 English walk read "Not the enrolment photo's person!" beside the
name, then "Not the person in the enrolment photo!" in the review for the same face; "This face is the one on
林晓雯's (2021010101) enrolment photo!"; and a doubt that ended "…in the enrolment photo: check", with nothing to
check named (the live line says "check their ID")."""

from __future__ import annotations

from station.capture import identity_check, live_identity
from station.capture.identity_check import PREVIOUS, REFERENCE, SWAP_SAID
from station.identity.swaps import REFERENCE as ON_A_REFERENCE


def test_the_live_line_and_the_review_say_a_different_face_alike() -> None:
    assert live_identity.SAID["different"] == identity_check.SAID[(REFERENCE, "different")]


def test_a_doubt_says_what_to_check_as_the_live_line_does() -> None:
    assert live_identity.SAID["uncertain"].en.endswith("check their ID")
    for against in (REFERENCE, PREVIOUS):
        assert identity_check.SAID[(against, "uncertain")].en.endswith(": check their ID"), against


def test_another_students_enrolment_photo_names_them_as_the_window_does() -> None:
    said = SWAP_SAID[ON_A_REFERENCE].format(name="林晓雯", no="2021010101")
    assert "林晓雯 (2021010101)" in said.en and "'s" not in said.en
    assert said.zh == "这张脸是林晓雯（2021010101）学籍照片上的人！"
