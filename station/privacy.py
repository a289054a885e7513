"""What a screen facing the queue may show of a person."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """张三 -> 张*, 张三丰 -> 张*丰, 欧阳娜娜 -> 欧**娜: recognisable to the student, not to passers-by."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
