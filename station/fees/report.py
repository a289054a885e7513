"""The fee report for the receipt: totals per class and method, then one row per ledger entry."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from station.fees.amounts import yuan
from station.fees.ledger import METHOD_LABELS, PAYMENT, LedgerEntry, Method, entries
from station.i18n import Text
from station.localtime import TIME_HEADING, clock_of
from station.roster.store import get_student
from station.spreadsheet import Sheet, check_table_path, write_tables

TOTALS = Text("汇总", "Totals")
ROWS = Text("明细", "Payments")
ALL = Text("合计", "Total")
TOTALS_HEADER = (Text("班级", "Class"), Text("方式", "Method"), Text("人数", "Students"), Text("金额（元）", "Amount (yuan)"))
ROWS_HEADER = (Text("编号", "No."), TIME_HEADING, Text("班级", "Class"), Text("学号", "Student no."),
               Text("姓名", "Name"), Text("类型", "Kind"), Text("方式", "Method"), Text("金额（元）", "Amount (yuan)"),
               Text("原因", "Reason"), Text("经办人", "Operator"), Text("集体缴费批次", "Class batch"),
               Text("退回的缴费编号", "Refunds no."))
KINDS = {PAYMENT: Text("缴费", "payment"), "refund": Text("退费", "refund")}


@dataclass(frozen=True)
class Total:
    class_name: str
    method: Method | None  # None: the class's total
    students: int  # payments less refunds
    amount_fen: int


def totals(rows: list[LedgerEntry]) -> list[Total]:
    """Per class and method, then the class's line, then the day's: net of refunds."""
    by_key: dict[tuple[str, Method], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        counted = by_key[(row.class_name, row.method)]
        counted[0] += 1 if row.kind == PAYMENT else -1
        counted[1] += row.amount_fen
    result: list[Total] = []
    for class_name in sorted({c for c, _ in by_key}):
        lines = [Total(class_name, m, *by_key[(class_name, m)]) for m in Method if (class_name, m) in by_key]
        result += lines + [Total(class_name, None, sum(t.students for t in lines), sum(t.amount_fen for t in lines))]
    class_lines = [t for t in result if t.method is None]
    result.append(Total("", None, sum(t.students for t in class_lines), sum(t.amount_fen for t in class_lines)))
    return result


def write_fee_report(db: sqlite_utils.Database, path: Path, day: str | None = None, class_name: str | None = None,
                     lang: str | None = None) -> list[Total]:
    check_table_path(path, csv_allowed=False)
    rows = entries(db, day, class_name)
    sums = totals(rows)
    total_rows = [(t.class_name or ALL.get(lang), t.method.label.get(lang) if t.method else ALL.get(lang), t.students,
                   float(yuan(t.amount_fen))) for t in sums]
    names = {no: (student.name if (student := get_student(db, no)) else "") for no in {r.student_no for r in rows}}
    detail_rows = [(r.id, _local(r.at), r.class_name, r.student_no, names[r.student_no], KINDS[r.kind].get(lang),
                    METHOD_LABELS[r.method].get(lang), float(yuan(r.amount_fen)), r.reason, r.operator, r.batch,
                    r.refunds) for r in rows]
    clock = clock_of(dt.datetime.now().astimezone())  # the zone _local reads the times in, said in their heading
    write_tables(path, [Sheet(TOTALS.get(lang), [h.get(lang) for h in TOTALS_HEADER], total_rows),
                        Sheet(ROWS.get(lang), [h.format(clock=clock).get(lang) for h in ROWS_HEADER], detail_rows)])
    return sums


def _local(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")
