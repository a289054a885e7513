"""Students and class time slots in the station database."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, fields

import sqlite_utils

from station.db import Migrations, register, write_transaction
from station.i18n import Text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Student:
    student_no: str
    name: str
    class_name: str
    gender: str = ""
    id_number: str = ""
    id_type: str = ""
    college: str = ""
    major: str = ""
    level: str = ""
    capture_code: str | None = None
    absent: bool = False

    @classmethod
    def from_row(cls, row: dict) -> "Student":
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in row.items() if k in names}
        values["absent"] = bool(values.get("absent"))
        return cls(**values)


def _create_roster(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE students (
            student_no   TEXT PRIMARY KEY,
            name         TEXT NOT NULL,
            class_name   TEXT NOT NULL,
            gender       TEXT NOT NULL DEFAULT '',
            id_number    TEXT NOT NULL DEFAULT '',
            id_type      TEXT NOT NULL DEFAULT '',
            college      TEXT NOT NULL DEFAULT '',
            major        TEXT NOT NULL DEFAULT '',
            level        TEXT NOT NULL DEFAULT '',
            capture_code TEXT UNIQUE,
            absent       INTEGER NOT NULL DEFAULT 0,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX students_class ON students(class_name, student_no)")
    db.execute("CREATE INDEX students_id_number ON students(id_number)")
    db.execute(
        """CREATE TABLE class_slots (
            class_name TEXT PRIMARY KEY,
            starts_at  TEXT NOT NULL,
            ends_at    TEXT NOT NULL,
            venue      TEXT NOT NULL DEFAULT ''
        )"""
    )


def _create_refused(db: sqlite_utils.Database) -> None:
    """Roster rows an import refused, by the student number they carry: that student is in no list afterwards (not
    on the card, not in 未拍摄名单), and on the day their number typed at the station said only 名单中没有 (s32)."""
    db.execute(
        """CREATE TABLE roster_refused (
            student_no TEXT PRIMARY KEY,
            name       TEXT NOT NULL DEFAULT '',
            file       TEXT NOT NULL,
            place_zh   TEXT NOT NULL,
            place_en   TEXT NOT NULL,
            reason_zh  TEXT NOT NULL,
            reason_en  TEXT NOT NULL,
            refused_at TEXT NOT NULL
        )"""
    )


MIGRATIONS = register(Migrations("roster", [_create_roster, _create_refused]))


@dataclass(frozen=True)
class RefusedRow:
    """A roster row an import refused: whose number it carried, where it stood and why."""

    student_no: str
    name: str
    file: str
    place: Text  # 第 33 行, or a sheet's row
    reason: Text


def keep_refused(db: sqlite_utils.Database, refused: list[RefusedRow], at: str) -> None:
    """After an import, inside its transaction: the rows it refused are kept by student number (the latest word
    on each), and a number now in the roster (this import took the student, or a corrected file did) is forgotten."""
    for row in refused:
        db.execute(
            "INSERT INTO roster_refused(student_no, name, file, place_zh, place_en, reason_zh, reason_en, refused_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(student_no) DO UPDATE SET name = excluded.name, "
            "file = excluded.file, place_zh = excluded.place_zh, place_en = excluded.place_en, "
            "reason_zh = excluded.reason_zh, reason_en = excluded.reason_en, refused_at = excluded.refused_at",
            [row.student_no, row.name, row.file, row.place.zh, row.place.en, row.reason.zh, row.reason.en, at])
    db.execute("DELETE FROM roster_refused WHERE student_no IN (SELECT student_no FROM students)")


def all_refused(db: sqlite_utils.Database) -> list[RefusedRow]:
    """Every refusal standing, by student number: students the school's roster names nowhere else (the day report's,
    and the receiving server's overview, from its import)."""
    return _refused(db, "ORDER BY student_no", [])


def refused_row(db: sqlite_utils.Database, student_no: str) -> RefusedRow | None:
    """The import's refusal of the row carrying this student number, when one stands."""
    return next(iter(_refused(db, "WHERE student_no = ?", [student_no])), None)


def _refused(db: sqlite_utils.Database, where: str, params: list[str]) -> list[RefusedRow]:
    return [RefusedRow(r["student_no"], r["name"], r["file"], Text(r["place_zh"], r["place_en"]),
                       Text(r["reason_zh"], r["reason_en"]))
            for r in db.query(f"SELECT * FROM roster_refused {where}", params)]


def get_student(db: sqlite_utils.Database, student_no: str) -> Student | None:
    found = find_by(db, "student_no", student_no)
    return found[0] if found else None


def find_by(db: sqlite_utils.Database, column: str, value: str, ignore_case: bool = False) -> list[Student]:
    """Students whose `column` (capture_code, student_no, id_number) equals value, exactly or ignoring ASCII case."""
    if column not in {"capture_code", "student_no", "id_number"}:
        raise ValueError(column)
    collate = " COLLATE NOCASE" if ignore_case else ""
    return [Student.from_row(r) for r in db.query(f"SELECT * FROM students WHERE {column} = ?{collate}", [value])]


def students_of_class(db: sqlite_utils.Database, class_name: str) -> list[Student]:
    rows = db.query("SELECT * FROM students WHERE class_name = ? ORDER BY student_no", [class_name])
    return [Student.from_row(r) for r in rows]


def class_names(db: sqlite_utils.Database) -> list[str]:
    return [r["class_name"] for r in db.query("SELECT DISTINCT class_name FROM students ORDER BY class_name")]


def class_key(name: str) -> str:
    """What every spelling of one class shares: 计科1班, 计科 1班 and 计科（1）班 against 计科(1)班 are one class. The
    roster and the timetable come from different offices, which space and write their classes differently."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def class_spellings(db: sqlite_utils.Database) -> dict[str, str]:
    """class_key -> the station's spelling of each class it knows: the roster's, else the timetable's (which may come
    first); a class is written one way throughout, so its students, slot and fees stay together."""
    spelled: dict[str, str] = {}
    for r in db.query("SELECT class_name FROM (SELECT DISTINCT class_name, 0 AS source FROM students UNION "
                      "SELECT class_name, 1 FROM class_slots) ORDER BY source, class_name"):
        spelled.setdefault(class_key(r["class_name"]), r["class_name"])
    return spelled


def set_absent(db: sqlite_utils.Database, student_no: str, absent: bool) -> None:
    with write_transaction(db):
        db.execute("UPDATE students SET absent = ? WHERE student_no = ?", [int(absent), student_no])
    log.info("%s %s", "marked absent:" if absent else "absent mark taken back:", student_no)
