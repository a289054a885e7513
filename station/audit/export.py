"""The audit log as a table (.csv or .xlsx), hashes included, so a copy kept elsewhere can be checked later."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from station.audit.trail import Entry, entries
from station.localtime import iso_in
from station.i18n import Text
from station.spreadsheet import Sheet, write_tables

HEADER = ("seq", "at_utc", "local_time", "station_id", "operator", "action", "student_no", "detail", "prev_sha256",
          "sha256")
SHEET = Text("审计日志", "Audit log")


def audit_sheet(log_entries: list[Entry], lang: str | None = None) -> Sheet:
    rows = [(e.seq, e.at, iso_in(e.at), e.station_id, e.operator, e.action, e.student_no,
             json.dumps(e.detail, ensure_ascii=False, sort_keys=True), e.prev_sha256, e.sha256) for e in log_entries]
    return Sheet(SHEET.get(lang), HEADER, rows)


def export_audit(db: sqlite_utils.Database, path: Path, lang: str | None = None) -> int:
    """Writes the whole log to `path`; returns how many entries."""
    log_entries = entries(db)
    write_tables(path, [audit_sheet(log_entries, lang)])
    return len(log_entries)
