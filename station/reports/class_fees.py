"""Fees per class for the reports, from the fees ledger (station.fees): students paid and the amount, net of
refunds, over the whole ledger (the receipt is made out for the class once, at the end)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from station.fees.ledger import entries
from station.fees.report import totals


@dataclass(frozen=True)
class ClassFees:
    paid_students: int
    total_fen: int


NOTHING_PAID = ClassFees(0, 0)


def class_fees(db: sqlite_utils.Database) -> dict[str, ClassFees]:
    """Class name -> its fees; a class with no payment is not in it (NOTHING_PAID)."""
    return {t.class_name: ClassFees(t.students, t.amount_fen) for t in totals(entries(db))
            if t.method is None and t.class_name}
