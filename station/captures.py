"""The register of captured photos: every version of every student's image, never deleted.

A retake adds a version and supersedes the previous one; the history keeps time,
operator and reason for each. Storage of the (encrypted) image files lives elsewhere;
this table is what the roster, the queue screen and `lookup` read.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from station.db import Migrations, register


@dataclass(frozen=True)
class CaptureVersion:
    student_no: str
    version: int
    captured_at: str
    operator: str
    station_id: str
    reason: str  # why a retake replaced the previous version ('' for the first)
    override_reason: str  # why the shutter was released despite a failing check ('' if none)
    superseded_at: str | None


@dataclass(frozen=True)
class CaptureStatus:
    captured: bool
    versions: int
    last_captured_at: str | None

    @property
    def code(self) -> str:
        return "captured" if self.captured else "not_captured"


def _create_captures(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE captures (
            id              INTEGER PRIMARY KEY,
            student_no      TEXT NOT NULL REFERENCES students(student_no),
            version         INTEGER NOT NULL,
            captured_at     TEXT NOT NULL,
            operator        TEXT NOT NULL DEFAULT '',
            station_id      TEXT NOT NULL DEFAULT '',
            reason          TEXT NOT NULL DEFAULT '',
            override_reason TEXT NOT NULL DEFAULT '',
            superseded_at   TEXT,
            UNIQUE (student_no, version)
        )"""
    )


MIGRATIONS = register(Migrations("captures", [_create_captures]))


def history(db: sqlite_utils.Database, student_no: str) -> list[CaptureVersion]:
    rows = db.query(
        "SELECT student_no, version, captured_at, operator, station_id, reason, override_reason, superseded_at "
        "FROM captures WHERE student_no = ? ORDER BY version",
        [student_no],
    )
    return [CaptureVersion(**r) for r in rows]


def status(db: sqlite_utils.Database, student_no: str) -> CaptureStatus:
    row = db.execute(
        "SELECT COUNT(*), MAX(captured_at) FROM captures WHERE student_no = ?", [student_no]
    ).fetchone()
    return CaptureStatus(captured=row[0] > 0, versions=row[0], last_captured_at=row[1])
