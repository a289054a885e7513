"""The fee ledger: one row per payment or refund, amounts in fen, never edited or deleted.

A payment is cash, WeChat, Alipay, or free (with a reason, amount 0). A refund is a new row of the opposite
amount that names the payment it takes back; a correction is a refund and a new payment. A student has paid
when their latest row is a payment. Triggers refuse UPDATE and DELETE, and each row's audit entry is written in
the same transaction, so a row removed behind the station's back is still seen by `photo-station audit --verify`.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass

import sqlite_utils

from station.audit.trail import Action, AuditTrail
from station.db import Migrations, register, write_transaction
from station.errors import StationError
from station.fees.amounts import yuan
from station.fees.settings import load_settings
from station.i18n import Name, Text
from station.localtime import local_time
from station.roster.store import Student, get_student, students_of_class


class Method(enum.Enum):
    CASH = "cash"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    FREE = "free"

    @property
    def label(self) -> Text:
        return METHOD_LABELS[self]


METHOD_LABELS = {Method.CASH: Text("现金", "cash"), Method.WECHAT: Text("微信", "WeChat"),
                 Method.ALIPAY: Text("支付宝", "Alipay"), Method.FREE: Text("免费", "free")}
PAYMENT, REFUND = "payment", "refund"

UNKNOWN_STUDENT = Text("名单中没有学号 {no}", "No student numbered {no} in the roster")
UNKNOWN_CLASS = Text("名单中没有班级 {name}", "No class named {name} in the roster")
FREE_NEEDS_REASON = Text("免费需要填写原因（如：家庭经济困难，学校减免）",
                         "Free needs a reason (e.g. waived by the school for hardship)")
FREE_HAS_NO_AMOUNT = Text("免费时金额应为 0", "A free set has no amount (0)")
ZERO_AMOUNT = Text("金额为 0：不收费时请选择“免费”并填写原因", "The amount is 0: choose free, with a reason, instead")
ALREADY_PAID = Text("{name}（{no}）已经缴过费（{paid}）。如需更正，请先退费再重新登记",
                    "{name} ({no}) has paid already ({paid}). To correct it, refund first, then record it again")
NOT_PAID = Text("{name}（{no}）没有可退的缴费", "{name} ({no}) has no payment to refund")
REFUND_NEEDS_REASON = Text("退费需要填写原因", "A refund needs a reason")
NOTHING_TO_PAY = Text("{name} 班的学生都已缴费", "Everyone in class {name} has paid already")
PAYMENT_TEXT = Text("{method} {amount} 元，{at}", "{method} {amount} yuan, {at}")
FREE_TEXT = Text("免费：{reason}，{at}", "free: {reason}, {at}")
PAID = Text("已缴费（{payment}）", "paid ({payment})")
UNPAID = Text("未缴费", "not paid")


@dataclass(frozen=True)
class LedgerEntry:
    id: int
    at: str  # UTC, ISO 8601
    student_no: str
    class_name: str
    kind: str  # payment | refund
    method: Method
    amount_fen: int  # negative for a refund
    reason: str
    operator: str
    batch: str  # shared by the rows of one class payment; "" for a single student's
    refunds: int | None  # the payment a refund takes back

    @property
    def local_day(self) -> str:
        return dt.datetime.fromisoformat(self.at).astimezone().date().isoformat()


@dataclass(frozen=True)
class FeeStatus:
    """Whether a student has paid, and the payment that says so."""

    student_no: str
    payment: LedgerEntry | None

    @property
    def paid(self) -> bool:
        return self.payment is not None

    def describe(self) -> Text:
        return UNPAID if self.payment is None else PAID.format(payment=payment_text(self.payment))


def payment_text(entry: LedgerEntry) -> Text:
    if entry.method is Method.FREE:
        return FREE_TEXT.format(reason=entry.reason, at=local_time(entry.at))
    return PAYMENT_TEXT.format(method=entry.method.label, amount=yuan(entry.amount_fen), at=local_time(entry.at))


@dataclass(frozen=True)
class ClassPayment:
    entries: list[LedgerEntry]
    already_paid: list[str]  # student numbers skipped

    @property
    def total_fen(self) -> int:
        """What the class monitor hands over: the sum of the entries written."""
        return sum(entry.amount_fen for entry in self.entries)


def _create_ledger(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE fee_ledger (
            id         INTEGER PRIMARY KEY,
            at         TEXT NOT NULL,
            student_no TEXT NOT NULL REFERENCES students(student_no),
            class_name TEXT NOT NULL,
            kind       TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
            method     TEXT NOT NULL CHECK (method IN ('cash', 'wechat', 'alipay', 'free')),
            amount_fen INTEGER NOT NULL,
            reason     TEXT NOT NULL DEFAULT '',
            operator   TEXT NOT NULL DEFAULT '',
            batch      TEXT NOT NULL DEFAULT '',
            refunds    INTEGER REFERENCES fee_ledger(id)
        )"""
    )
    db.execute("CREATE INDEX fee_ledger_student ON fee_ledger(student_no, id)")
    for verb in ("UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER fee_ledger_no_{verb.lower()} BEFORE {verb} ON fee_ledger "
                   "BEGIN SELECT RAISE(ABORT, 'the fee ledger is append-only: add a refund instead'); END")


MIGRATIONS = register(Migrations("fee_ledger", [_create_ledger]))
_COLUMNS = ("id", "at", "student_no", "class_name", "kind", "method", "amount_fen", "reason", "operator", "batch",
            "refunds")


def _entry(row: tuple) -> LedgerEntry:
    values = dict(zip(_COLUMNS, row))
    return LedgerEntry(**{**values, "method": Method(values["method"])})


def entries(db: sqlite_utils.Database, day: str | None = None, class_name: str | None = None) -> list[LedgerEntry]:
    """Rows in the order written; `day` is a local date (YYYY-MM-DD) as the laptop's clock shows it."""
    where, params = ("WHERE class_name = ?", [class_name]) if class_name else ("", [])
    rows = [_entry(r) for r in db.execute(f"SELECT {', '.join(_COLUMNS)} FROM fee_ledger {where} ORDER BY id", params)]
    return [e for e in rows if day is None or e.local_day == day]


def fee_status(db: sqlite_utils.Database, student_no: str) -> FeeStatus:
    row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM fee_ledger WHERE student_no = ? ORDER BY id DESC LIMIT 1",
                     [student_no]).fetchone()
    entry = _entry(row) if row else None
    return FeeStatus(student_no, entry if entry is not None and entry.kind == PAYMENT else None)


def paid_students(db: sqlite_utils.Database) -> set[str]:
    """Everyone whose latest row is a payment (the queue screen marks the others)."""
    rows = db.execute("SELECT student_no, kind FROM fee_ledger WHERE id IN "
                      "(SELECT MAX(id) FROM fee_ledger GROUP BY student_no)")
    return {no for no, kind in rows if kind == PAYMENT}


def unpaid_in_class(db: sqlite_utils.Database, class_name: str) -> list[Student]:
    """Whom a class payment would charge now: the students of the class not yet paid (`pay_class` charges these)."""
    paid = paid_students(db)
    return [s for s in students_of_class(db, class_name.strip()) if s.student_no not in paid]


def payment_required(db: sqlite_utils.Database, student_no: str) -> bool:
    """The school takes payment before the shutter, and this student has not paid."""
    return load_settings(db).pay_before_shutter and not fee_status(db, student_no).paid


def pay(trail: AuditTrail, student_no: str, method: Method, amount_fen: int | None = None,
        reason: str = "") -> LedgerEntry:
    """One student's payment; `amount_fen` None means the set's price (0 for free)."""
    db = trail.station.db
    student = _student(db, student_no)
    amount = _amount(db, method, amount_fen, reason)
    with write_transaction(db):
        status = fee_status(db, student.student_no)
        if status.paid:
            raise StationError(ALREADY_PAID.format(name=Name(student.name), no=student.student_no,
                                                   paid=payment_text(status.payment)))
        return _write(trail, student, PAYMENT, method, amount, reason.strip())


def pay_class(trail: AuditTrail, class_name: str, method: Method, amount_fen: int | None = None,
              reason: str = "") -> ClassPayment:
    """The class monitor pays for the class at once: every student not yet paid, at `amount_fen` each, in one
    batch (one receipt at the end); students who paid already are named and skipped."""
    db = trail.station.db
    students = students_of_class(db, class_name.strip())
    if not students:
        raise StationError(UNKNOWN_CLASS.format(name=class_name))
    amount = _amount(db, method, amount_fen, reason)
    batch = uuid.uuid4().hex
    with write_transaction(db):
        due = unpaid_in_class(db, class_name)
        if not due:
            raise StationError(NOTHING_TO_PAY.format(name=class_name))
        written = [_write(trail, s, PAYMENT, method, amount, reason.strip(), batch) for s in due]
    charged = {s.student_no for s in due}
    return ClassPayment(written, [s.student_no for s in students if s.student_no not in charged])


def refund(trail: AuditTrail, student_no: str, reason: str) -> LedgerEntry:
    """Take a student's payment back in full: a new row of the opposite amount, by the same method."""
    db = trail.station.db
    student = _student(db, student_no)
    if not reason.strip():
        raise StationError(REFUND_NEEDS_REASON)
    with write_transaction(db):
        payment = fee_status(db, student.student_no).payment
        if payment is None:
            raise StationError(NOT_PAID.format(name=Name(student.name), no=student.student_no))
        return _write(trail, student, REFUND, payment.method, -payment.amount_fen, reason.strip(), refunds=payment.id)


def _student(db: sqlite_utils.Database, student_no: str) -> Student:
    student = get_student(db, student_no.strip())
    if student is None:
        raise StationError(UNKNOWN_STUDENT.format(no=student_no[:40]))
    return student


def _amount(db: sqlite_utils.Database, method: Method, amount_fen: int | None, reason: str) -> int:
    if method is Method.FREE:
        if not reason.strip():
            raise StationError(FREE_NEEDS_REASON)
        if amount_fen:
            raise StationError(FREE_HAS_NO_AMOUNT)
        return 0
    amount = load_settings(db).price_fen if amount_fen is None else amount_fen
    if amount <= 0:
        raise StationError(ZERO_AMOUNT)
    return amount


def _write(trail: AuditTrail, student: Student, kind: str, method: Method, amount_fen: int, reason: str,
           batch: str = "", refunds: int | None = None) -> LedgerEntry:
    """Inside the caller's transaction: the row, then its audit entry."""
    db = trail.station.db
    at = trail.clock().isoformat(timespec="milliseconds")
    cursor = db.execute("INSERT INTO fee_ledger(at, student_no, class_name, kind, method, amount_fen, reason, operator,"
                        " batch, refunds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [at, student.student_no, student.class_name, kind, method.value, amount_fen, reason,
                         trail.operator, batch, refunds])
    entry = LedgerEntry(cursor.lastrowid, at, student.student_no, student.class_name, kind, method, amount_fen, reason,
                        trail.operator, batch, refunds)
    trail.write(Action.PAYMENT if kind == PAYMENT else Action.REFUND, student.student_no, ledger_id=entry.id,
                method=method.value, amount_fen=amount_fen, reason=reason, batch=batch)
    return entry
