"""What a screen facing the queue may show of a person."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """张三 -> 张*, 张三丰 -> 张*丰, 欧阳娜娜 -> 欧**娜: recognisable to the student, not to passers-by."""
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_student_no(number: str) -> str:
    """2021010102 -> 2021****02: the year and the last digits keep the order readable to the class."""
    if len(number) <= 4:
        return number[:1] + "*" * (len(number) - 1)
    keep = 4 if len(number) >= 8 else 1
    return number[:keep] + "*" * (len(number) - keep - 2) + number[-2:]
