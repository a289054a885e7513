"""The fee ledger on a real station database: payments per student and per class, refunds as new rows, amounts
in fen, and rows that cannot be edited or deleted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from station.audit.trail import AuditTrail, entries as audit_entries
from station.context import Station
from station.errors import StationError
from station.fees.amounts import class_total, parse_yuan, yuan
from station.fees.ledger import (
    Method, entries, fee_status, paid_students, pay, pay_class, refund, unpaid_in_class,
)
from station.fees.settings import change_settings, load_settings
from tests.roster_kit import station_with_roster

ROSTER = "学号,姓名,班级\n2024001,张三,计科2401\n2024002,李四,计科2401\n2024003,王五,计科2401\n2024101,赵六,软工2401\n"


@pytest.fixture
def station(home: Path, tmp_path: Path):
    station = station_with_roster(home, tmp_path, ROSTER.encode("utf-8"))
    yield station
    station.close()


@pytest.fixture
def trail(station: Station) -> AuditTrail:
    return AuditTrail(station, "收费员")


def test_amounts_are_whole_fen_and_bad_ones_are_said() -> None:
    assert parse_yuan("20") == 2000 and parse_yuan(" 20.5 ") == 2050 and parse_yuan("¥19.99") == 1999
    assert parse_yuan("２０元") == 2000 and parse_yuan("￥20") == 2000  # typed with a Chinese input method
    assert parse_yuan("0") == 0 and yuan(2050) == "20.50" and yuan(-2000) == "-20.00"
    for bad in ("", "abc", "-5", "20.555", "1e3", "NaN", "20,00", "99999"):
        with pytest.raises(StationError):
            parse_yuan(bad)


def test_a_class_total_is_the_amount_typed_for_each_times_the_students() -> None:
    """What the class payment dialog shows under 每人金额 before anything is recorded (the 160 typed for a class of 8)."""
    assert class_total("20", 8) == "160.00" and class_total("160", 8) == "1280.00" and class_total("20.5", 3) == "61.50"
    assert class_total("  ", 8) == "0.00"  # nothing typed yet (a free set's emptied field)
    assert class_total("abc", 8) is None and class_total("99999", 8) is None  # not money: said at 登记, not here


def test_a_student_pays_once_and_a_correction_is_a_refund_then_a_new_payment(station: Station, trail: AuditTrail) -> None:
    assert not fee_status(station.db, "2024001").paid
    paid = pay(trail, "2024001", Method.WECHAT)
    assert (paid.amount_fen, paid.method, paid.operator) == (2000, Method.WECHAT, "收费员")  # the default price
    assert fee_status(station.db, "2024001").paid
    with pytest.raises(StationError) as twice:
        pay(trail, "2024001", Method.CASH)
    assert "已经缴过费" in twice.value.text.zh and "微信 20.00 元" in twice.value.text.zh

    back = refund(trail, "2024001", "应为现金")
    assert (back.kind, back.amount_fen, back.method, back.refunds) == ("refund", -2000, Method.WECHAT, paid.id)
    assert not fee_status(station.db, "2024001").paid
    pay(trail, "2024001", Method.CASH, 2000)
    rows = entries(station.db)
    assert [(r.kind, r.method.value, r.amount_fen) for r in rows] == [
        ("payment", "wechat", 2000), ("refund", "wechat", -2000), ("payment", "cash", 2000)]
    assert sum(r.amount_fen for r in rows) == 2000
    assert [e.action for e in audit_entries(station.db)] == ["payment", "refund", "payment"]


def test_free_needs_a_reason_and_has_no_amount(station: Station, trail: AuditTrail) -> None:
    with pytest.raises(StationError):
        pay(trail, "2024002", Method.FREE)
    with pytest.raises(StationError):
        pay(trail, "2024002", Method.FREE, 2000, "学校减免")
    with pytest.raises(StationError):
        pay(trail, "2024002", Method.CASH, 0)
    with pytest.raises(StationError):
        pay(trail, "9999999", Method.CASH)
    free = pay(trail, "2024002", Method.FREE, reason="家庭经济困难，学校减免")
    assert free.amount_fen == 0 and fee_status(station.db, "2024002").paid
    assert "免费：家庭经济困难" in fee_status(station.db, "2024002").describe().zh
    assert len(entries(station.db)) == 1  # the refused attempts wrote nothing


def test_a_class_pays_at_once_skipping_who_paid_already(station: Station, trail: AuditTrail) -> None:
    pay(trail, "2024002", Method.ALIPAY)
    due = [s.student_no for s in unpaid_in_class(station.db, " 计科2401 ")]  # what the dialog counts before paying
    done = pay_class(trail, "计科2401", Method.CASH, 1500)
    assert [e.student_no for e in done.entries] == due == ["2024001", "2024003"] and done.already_paid == ["2024002"]
    assert unpaid_in_class(station.db, "计科2401") == []
    assert done.total_fen == 3000  # two students at 15 yuan: the one who paid already is not charged again
    assert len({e.batch for e in done.entries}) == 1 and done.entries[0].batch
    assert paid_students(station.db) == {"2024001", "2024002", "2024003"}
    with pytest.raises(StationError):
        pay_class(trail, "计科2401", Method.CASH)  # everyone has paid
    with pytest.raises(StationError):
        pay_class(trail, "没有这个班", Method.CASH)


def test_the_ledger_refuses_edits_and_deletions(station: Station, trail: AuditTrail, home: Path) -> None:
    pay(trail, "2024001", Method.CASH)
    with sqlite3.connect(home / "station.db") as conn:
        for statement in ("UPDATE fee_ledger SET amount_fen = 1", "DELETE FROM fee_ledger"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
    assert [r.amount_fen for r in entries(station.db)] == [2000]


def test_the_price_and_the_rule_are_settings_and_their_changes_are_audited(station: Station, trail: AuditTrail,
                                                                         home: Path) -> None:
    assert load_settings(station.db).price_fen == 2000 and not load_settings(station.db).pay_before_shutter
    change_settings(trail, price_fen=3000, pay_before_shutter=True)
    reopened = Station.open(home)
    assert load_settings(reopened.db).price_fen == 3000 and load_settings(reopened.db).pay_before_shutter
    reopened.close()
    assert pay(trail, "2024101", Method.CASH).amount_fen == 3000
    [setting] = [e for e in audit_entries(station.db) if e.action == "settings"]
    assert setting.detail["changed"] == {"price_fen": [2000, 3000], "pay_before_shutter": [False, True]}
