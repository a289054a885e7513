"""Money as whole fen (integers): typed and shown in yuan, never kept as a float."""

from __future__ import annotations

import re
import unicodedata

from station.errors import StationError
from station.i18n import Text

_YUAN = re.compile(r"([0-9]{1,7})(?:\.([0-9]{1,2}))?")
MAX_FEN = 100_000  # 1000 元: far above any set's price, so a slip of the keyboard (2000 for 20.00) is said
BAD_AMOUNT = Text("金额无效：{text}（应为元，最多两位小数，例如 20 或 20.50）",
                  "Not a valid amount: {text} (yuan, at most two decimals, e.g. 20 or 20.50)")
TOO_LARGE = Text("金额 {text} 元超过上限 {limit} 元：请核对", "The amount {text} yuan is over the limit of {limit} yuan: check it")


def parse_yuan(text: str) -> int:
    """'20' / '20.5' / '20.50' / '¥20' / '２０元' -> 2000 fen; negative, more than two decimals or absurd sums are refused."""
    # NFKC: full-width digits and ￥ typed with a Chinese input method read as 0-9 and ¥
    cleaned = unicodedata.normalize("NFKC", text).strip().removeprefix("¥").removesuffix("元").strip()
    match = _YUAN.fullmatch(cleaned)
    if match is None:
        raise StationError(BAD_AMOUNT.format(text=text[:40]))
    fen = int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))
    if fen > MAX_FEN:
        raise StationError(TOO_LARGE.format(text=cleaned, limit=yuan(MAX_FEN)))
    return fen


def yuan(fen: int) -> str:
    """2000 -> '20.00'; -2000 -> '-20.00'."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def class_total(each: str, students: int) -> str | None:
    """What a class paying `each` yuan (as typed) for each of `students` hands over, in yuan, said before it is
    recorded; an empty amount is nothing yet (0), one that is not money None."""
    try:
        fen = parse_yuan(each) if each.strip() else 0
    except StationError:
        return None
    return yuan(fen * students)
