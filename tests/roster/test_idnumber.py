import datetime as dt

import pytest

from station.roster.idnumber import check_digit, mask, resident_id_problem


def with_check(first17: str) -> str:
    return first17 + check_digit(first17)


def test_check_digit_of_the_standard_example() -> None:
    # GB 11643-1999 worked example
    assert check_digit("11010519491231002") == "X"


@pytest.mark.parametrize("number", [
    "11010519491231002X",
    with_check("44030420000229123"),  # 29 Feb of a leap year
    "110105491231002",  # legacy 15-digit number
])
def test_valid_numbers(number: str) -> None:
    assert resident_id_problem(number) is None


@pytest.mark.parametrize("number, fragment", [
    ("110105194912310021", "校验位"),
    (with_check("44030419990229123"), "出生日期"),  # 1999 is not a leap year
    (with_check("11010520991231002"), "不合理"),  # born in the future
    ("110105491331002", "出生日期"),  # 15-digit, month 13
    ("1101051949123100", "18位"),
    ("3.40101199001011E+17", "科学计数法"),
])
def test_invalid_numbers_name_the_reason(number: str, fragment: str) -> None:
    problem = resident_id_problem(number, today=dt.date(2026, 11, 24))
    assert problem is not None and fragment in problem.zh


def test_mask_keeps_first_six_and_last_four() -> None:
    assert mask("11010519491231002X") == "110105********002X"
    assert mask("110105491231002") == "110105*****1002"
