"""What a screen facing the queue may show of a person."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def mask_name(name: str) -> str:
    """张三 -> 张*, 张三丰 -> 张*丰, 欧阳娜娜 -> 欧**娜: recognisable to the student, not to passers-by."""
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_student_no(number: str, tail: int | None = None) -> str:
    """2021010102 -> 2021****02: the year and the last digits keep the order readable to the class.

    `tail` (how many end characters show) grows where two numbers would otherwise look the same.
    """
    keep = 4 if len(number) >= 8 else 1
    tail = _usual_tail(number) if tail is None else tail
    hidden = len(number) - keep - tail
    if hidden <= 0:
        return number
    return number[:keep] + "*" * hidden + number[len(number) - tail:]


def mask_student_nos(numbers: Iterable[str]) -> dict[str, str]:
    """Each number masked, showing as much more of its end as it takes for no two to look the same.

    A class read off the queue screen must never show two students under one number.
    """
    tails = {n: _usual_tail(n) for n in numbers}
    while True:
        shown = {n: mask_student_no(n, tail) for n, tail in tails.items()}
        seen = Counter(shown.values())
        clashing = [n for n in tails if seen[shown[n]] > 1]
        if not clashing:
            return shown
        for n in clashing:  # distinct numbers shown whole never clash, so this ends
            tails[n] += 1


def _usual_tail(number: str) -> int:
    return 2 if len(number) > 4 else 0
