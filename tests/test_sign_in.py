"""What the start dialog still lacks before a sign-in is tried, as a rule of its own (station/adapters/startup.py):
the dialog only shows it."""

from __future__ import annotations

from station.adapters.startup import NO_NAME, NO_PASSPHRASE, sign_in_problem
from station.storage.station_key import MISMATCH, SHORT_PASSPHRASE, PassphraseNeed


def test_a_sign_in_needs_a_name_then_the_passphrase_asked_then_a_new_one_twice_and_long_enough() -> None:
    assert sign_in_problem(PassphraseNeed.NONE, "  ", "", "") is NO_NAME  # every photo records who took it
    assert sign_in_problem(PassphraseNeed.NONE, "王老师", "", "") is None  # the OS keyring opens the key
    assert sign_in_problem(PassphraseNeed.UNLOCK, "王老师", "", "") is NO_PASSPHRASE
    assert sign_in_problem(PassphraseNeed.UNLOCK, "王老师", "x", "") is None  # a wrong one is the key's to say
    assert sign_in_problem(PassphraseNeed.SET, "王老师", "kiosk-pass-1", "kiosk-pass-2") is MISMATCH
    assert sign_in_problem(PassphraseNeed.SET, "王老师", "short", "short") is SHORT_PASSPHRASE
    assert sign_in_problem(PassphraseNeed.SET, "王老师", "kiosk-pass-1", "kiosk-pass-1") is None
