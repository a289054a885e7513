"""A student named with their number, "林晓雯 (2021010101)", is never split or closed by a possessive in English: the
s33 English walk read "陈浩然 (2021010102)'s code is in view", "林晓雯's (2021010101) enrolment photo" and "Saved
林晓雯's (2021010101) photo". The window names people as "{name} ({no})" everywhere else, and the thing of theirs
comes first: "Code of 陈浩然 (2021010102) in view"."""

from __future__ import annotations

import re

from tests.test_counts_in_english import english_texts


def test_no_possessive_around_a_name_and_its_number() -> None:
    split = [(where, en) for where, en in english_texts() if re.search(r"\}'s \(\{", en)]  # {name}'s ({no})
    closed = [(where, en) for where, en in english_texts() if re.search(r"\{\w+\}\)'s\b", en)]  # {name} ({no})'s
    assert not split and not closed, split + closed


def test_a_student_is_named_before_their_number() -> None:
    """"Not printed 2021010101 林晓雯: …" on the print dialog, where the rest of the window says 林晓雯 (2021010101) (the
    command line's lists put the number first, a column to sort and grep by)."""
    number_first = [(where, en) for where, en in english_texts()
                    if where.startswith("ui") and re.search(r"\{(no|student_no)\} \{name\}", en)]
    assert not number_first, number_first
