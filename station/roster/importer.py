"""Importing the roster: every good row lands, every bad row is named with its reason.

Re-importing a corrected file updates changed fields and adds new students; it never
deletes a student nor touches their captures, so nothing photographed is ever lost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from station.errors import StationError
from station.i18n import Text
from station.roster import idnumber
from station.roster.columns import ALIASES, REQUIRED, find_header
from station.roster.table import read_sheets

FIELD_NAMES = {
    "student_no": Text("学号", "student number"),
    "name": Text("姓名", "name"),
    "class_name": Text("班级", "class"),
}
_STUDENT_NO = re.compile(r"^[0-9A-Za-z_-]{1,32}$")
_OTHER_DOCUMENT = re.compile(r"^[0-9A-Z]{5,20}$")
_GENDERS = {"m": "男", "male": "男", "男": "男", "男性": "男", "f": "女", "female": "女", "女": "女", "女性": "女"}


@dataclass(frozen=True)
class Rejected:
    row: int
    student_no: str
    reason: Text

    def to_json(self, lang: str | None = None) -> dict:
        return {"row": self.row, "student_no": self.student_no, "reason": self.reason.get(lang)}


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def to_json(self, lang: str | None = None) -> dict:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [r.to_json(lang) for r in self.rejected],
        }


def import_roster(db: sqlite_utils.Database, path: Path | str, now: dt.datetime | None = None) -> ImportReport:
    """Read, validate and upsert; raises StationError only when the file cannot be used at all."""
    path = Path(path)
    records = list(_records(path))
    report = ImportReport()
    stamp = (now or dt.datetime.now()).isoformat(timespec="seconds")
    seen_numbers: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    with db.conn:
        for row_no, record in records:
            problem = _problem(record) or _duplicate(record, row_no, seen_numbers, seen_codes) \
                or _code_taken(db, record)
            if problem:
                report.rejected.append(Rejected(row_no, record.get("student_no", ""), problem))
                continue
            outcome = _upsert(db, record, stamp)
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _records(path: Path):
    sheets = read_sheets(path)
    for sheet in sheets:
        header = find_header(sheet)
        if header is None:
            continue
        for row_no, cells in sheet.rows[header.index + 1:]:
            if not any(cells):
                continue
            record = {f: (cells[i] if i < len(cells) else "") for f, i in header.columns.items()}
            yield row_no, _normalized(record)
        return
    wanted = "、".join(ALIASES[f][0] for f in REQUIRED)
    raise StationError(Text(f"名单中找不到表头（需要包含 {wanted} 列）",
                            "No header row found: the roster needs student number (学号), name (姓名) and class (班级) columns"))


def _normalized(record: dict[str, str]) -> dict[str, str]:
    out = {k: re.sub(r"\s+", " ", v).strip() for k, v in record.items()}
    out["student_no"] = out.get("student_no", "").replace(" ", "")
    if out.get("id_number"):
        out["id_number"] = idnumber.normalize(out["id_number"])
    if out.get("gender"):
        out["gender"] = _GENDERS.get(out["gender"].lower(), out["gender"])
    if "capture_code" in out:
        out["capture_code"] = out["capture_code"].replace(" ", "")
    return out


def _problem(record: dict[str, str]) -> Text | None:
    missing = [FIELD_NAMES[f] for f in REQUIRED if not record.get(f)]
    if missing:
        return Text("缺少必填项：" + "、".join(m.zh for m in missing),
                    "Missing required field: " + ", ".join(m.en for m in missing))
    if not _STUDENT_NO.match(record["student_no"]):
        return Text(f"学号“{record['student_no']}”格式不对（只能包含字母、数字、-、_）",
                    f"Student number '{record['student_no']}' is malformed (letters, digits, - and _ only)")
    number = record.get("id_number", "")
    if number:
        if _is_resident_document(record.get("id_type", "")):
            return idnumber.resident_id_problem(number)
        if not _OTHER_DOCUMENT.match(number):
            return Text("证件号码格式不对", "Document number is malformed")
    return None


def _is_resident_document(id_type: str) -> bool:
    """Resident ID cards and residence permits use the GB 11643 number; passports and permits do not."""
    return not id_type or "身份证" in id_type or "居住证" in id_type or "resident" in id_type.lower()


def _duplicate(record: dict[str, str], row_no: int, numbers: dict[str, int], codes: dict[str, int]) -> Text | None:
    first = numbers.setdefault(record["student_no"], row_no)
    if first != row_no:
        return Text(f"学号与第 {first} 行重复", f"Student number duplicates row {first}")
    code = record.get("capture_code")
    if code:
        first = codes.setdefault(code, row_no)
        if first != row_no:
            return Text(f"采集码与第 {first} 行重复", f"Capture code duplicates row {first}")
    return None


def _code_taken(db: sqlite_utils.Database, record: dict[str, str]) -> Text | None:
    code = record.get("capture_code")
    if not code:
        return None
    row = db.execute(
        "SELECT student_no FROM students WHERE capture_code = ? AND student_no != ?", [code, record["student_no"]]
    ).fetchone()
    if row:
        return Text(f"采集码已属于学号 {row[0]} 的学生", f"Capture code already belongs to student {row[0]}")
    return None


def _upsert(db: sqlite_utils.Database, record: dict[str, str], stamp: str) -> str:
    """'imported', 'updated' or 'unchanged'; blank cells never erase what is known."""
    values = {k: v for k, v in record.items() if v}
    existing = next(db.query("SELECT * FROM students WHERE student_no = ?", [record["student_no"]]), None)
    if existing is None:
        columns = list(values) + ["created_at", "updated_at"]
        db.execute(
            f"INSERT INTO students ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
            [*values.values(), stamp, stamp],
        )
        return "imported"
    changed = {k: v for k, v in values.items() if existing.get(k) != v}
    if not changed:
        return "unchanged"
    assignments = ", ".join(f"{k} = ?" for k in changed)
    db.execute(
        f"UPDATE students SET {assignments}, updated_at = ? WHERE student_no = ?",
        [*changed.values(), stamp, record["student_no"]],
    )
    return "updated"
