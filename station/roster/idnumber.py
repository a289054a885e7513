"""Chinese resident ID numbers (GB 11643-1999): validation and masking.

18-digit numbers carry a check digit and a birth date; 15-digit numbers are the
legacy format (birth year 19YY, no check digit) and are still accepted.
"""

from __future__ import annotations

import datetime as dt
import re

from station.i18n import Text

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_RESIDENT = re.compile(r"^(\d{17}[\dX]|\d{15})$")


def check_digit(first17: str) -> str:
    return _CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def normalize(raw: str) -> str:
    """Upper-case X, no spaces: what people type or Excel exports."""
    return re.sub(r"\s+", "", raw).upper()


def resident_id_problem(number: str, today: dt.date | None = None) -> Text | None:
    """Why `number` is not a valid resident ID number, or None when it is."""
    if not _RESIDENT.match(number):
        if re.fullmatch(r"\d+(\.\d+)?E\+?\d+", number):
            return Text("身份证号被 Excel 存成了科学计数法，末几位已丢失，请把该列设为文本后重新导出",
                        "ID number was stored by Excel as a number in scientific notation; its last digits are lost: "
                        "set the column to text and export again")
        return Text("身份证号应为18位（末位可为X）或15位数字",
                    "ID number must have 18 characters (the last may be X) or 15 digits")
    if len(number) == 18:
        birth = number[6:14]
    else:
        birth = "19" + number[6:12]
    try:
        born = dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        return Text(f"身份证号中的出生日期 {birth} 不存在", f"ID number has an impossible birth date {birth}")
    today = today or dt.date.today()
    if born > today or born.year < 1900:
        return Text(f"身份证号中的出生日期 {birth} 不合理", f"ID number has an implausible birth date {birth}")
    if len(number) == 18 and check_digit(number[:17]) != number[17]:
        return Text("身份证号校验位错误（可能有数字录错）",
                    "ID number check digit is wrong (a digit was probably mistyped)")
    return None


def mask(number: str) -> str:
    """First 6 and last 4 characters kept, the rest starred: enough to tell people apart."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
