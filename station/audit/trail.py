"""Every operator action, appended with time, operator and station to a log chained by SHA-256.

Each entry stores the SHA-256 of the previous entry's canonical JSON (`prev_sha256`) and of its own
(`sha256`); a one-row head keeps the last entry's number and hash. An entry edited in the database, one
deleted from the middle or the end, or a head moved back is then found by `verify`, which names the first
bad entry. Anyone who can rewrite the whole file can also recompute the whole chain: the chain proves the
log unbroken since the last copy taken elsewhere (an export, the server), not against the laptop's owner.
The domain records (the capture workflow and session, the fees), never the window.
"""

from __future__ import annotations

import enum
import getpass
import hashlib
import json
import logging
import platform
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import sqlite_utils

from station.db import Migrations, WriteRefused, register, without_flush, write_transaction
from station.i18n import Text, real_text
from station.localtime import Clock, system_clock
from station.storage.server_link import load_link

if TYPE_CHECKING:
    from station.context import Station

log = logging.getLogger(__name__)
GENESIS = "0" * 64  # what the first entry names as its predecessor


class Action(enum.Enum):
    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    IDENTIFY = "identify"
    SHUTTER = "shutter"
    OVERRIDE = "override"
    ACCEPT = "accept"
    RESHOOT = "reshoot"
    RETAKE = "retake"
    ABSENT = "absent"
    ABSENT_UNDO = "absent_undo"
    PAYMENT = "payment"
    REFUND = "refund"
    EXPORT = "export"
    SETTINGS = "settings"
    REFERENCES = "references"  # reference photos imported: biometric data taken in, by whom and from where
    ROSTER = "roster"  # the roster imported: who may be photographed, from which file, by whom


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str  # UTC, ISO 8601
    station_id: str
    operator: str
    action: str
    student_no: str
    detail: dict = field(default_factory=dict)
    prev_sha256: str = GENESIS
    sha256: str = ""

    def canonical(self) -> bytes:
        """The bytes that are hashed: every field but the entry's own hash, keys sorted, no spaces, UTF-8."""
        fields = asdict(self)
        del fields["sha256"]
        return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def digest(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


def _create_log(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE audit_log (
            seq         INTEGER PRIMARY KEY,
            at          TEXT NOT NULL,
            station_id  TEXT NOT NULL,
            operator    TEXT NOT NULL,
            action      TEXT NOT NULL,
            student_no  TEXT NOT NULL DEFAULT '',
            detail      TEXT NOT NULL DEFAULT '{}',
            prev_sha256 TEXT NOT NULL,
            sha256      TEXT NOT NULL
        )"""
    )
    db.execute("CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, "
               "sha256 TEXT NOT NULL)")


MIGRATIONS = register(Migrations("audit", [_create_log]))
_COLUMNS = ("seq", "at", "station_id", "operator", "action", "student_no", "detail", "prev_sha256", "sha256")


def append(db: sqlite_utils.Database, operator: str, station_id: str, action: Action, student_no: str = "",
           detail: dict | None = None, clock: Clock = system_clock) -> Entry:
    """Add one entry after the head. Inside a transaction already open (a payment and its entry together) it
    joins it; otherwise it takes the write lock first, so two processes never chain to the same head."""
    conn = db.conn
    with write_transaction(db):
        head = conn.execute("SELECT seq, sha256 FROM audit_head WHERE id = 1").fetchone() or (0, GENESIS)
        entry = Entry(head[0] + 1, clock().isoformat(timespec="milliseconds"), real_text(station_id),
                      real_text(operator), action.value, real_text(student_no), json.loads(_json(detail or {})),
                      head[1])  # as it will read back
        entry = Entry(**{**asdict(entry), "sha256": entry.digest()})
        conn.execute(f"INSERT INTO audit_log({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                     [*(getattr(entry, c) for c in _COLUMNS[:6]), _json(entry.detail), entry.prev_sha256,
                      entry.sha256])
        conn.execute("INSERT INTO audit_head(id, seq, sha256) VALUES (1, ?, ?) "
                     "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, sha256 = excluded.sha256",
                     [entry.seq, entry.sha256])
    return entry


def _json(detail: dict) -> str:
    """A path in the detail that was not UTF-8 (an export to such a folder) is kept with U+FFFD, never raised."""
    return real_text(json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str))


def station_id(db: sqlite_utils.Database) -> str:
    """The id the registrar gave this station, or, before it is linked, the laptop's name."""
    return load_link(db).station_id or f"unlinked@{platform.node()}"


def default_operator(station: "Station") -> str:
    """Who runs a command: the station's last photographer, else the computer account."""
    try:
        return station.last_operator or getpass.getuser()
    except (OSError, KeyError):  # no account name (a service, a container)
        return ""


@dataclass
class AuditTrail:
    """What the domain records through: the station, who is operating it, and the clock."""

    station: "Station"
    operator: str
    clock: Clock = system_clock

    def record(self, action: Action, student_no: str = "", **detail: object) -> Entry | None:
        """Append an entry after the operator's action is done. A database that refuses the write (locked past
        its timeout, a full disk) is logged and the station goes on: a photo is never lost for its audit line.
        The line does not wait for the disk (it survives the station being killed; the next photo's commit
        flushes it): the shutter and a scan record from the UI thread, which must not pause on a disk flush."""
        try:
            with without_flush(self.station.db):
                return self.write(action, student_no, **detail)
        except (sqlite3.Error, WriteRefused):
            log.exception("audit entry %s for %s not written", action.value, student_no)
            return None

    def write(self, action: Action, student_no: str = "", **detail: object) -> Entry:
        """Append an entry, raising when it cannot be: inside a write_transaction, the change and its entry
        are kept together or not at all (a payment)."""
        db = self.station.db
        return append(db, self.operator, station_id(db), action, student_no, detail, self.clock)


def entries(db: sqlite_utils.Database, after: int = 0, limit: int = -1) -> list[Entry]:
    """The log, oldest first, from entry `after + 1` on, at most `limit` (a damaged detail is kept as its text)."""
    return [_entry(row) for row in db.execute(f"SELECT {', '.join(_COLUMNS)} FROM audit_log WHERE seq > ? "
                                              "ORDER BY seq LIMIT ?", [after, limit])]


def _entry(row: tuple) -> Entry:
    values = dict(zip(_COLUMNS, row))
    try:
        detail = json.loads(values["detail"])
    except (TypeError, ValueError):
        detail = {"unreadable": str(values["detail"])}
    if not isinstance(detail, dict):
        detail = {"unreadable": str(values["detail"])}
    return Entry(**{**values, "detail": detail})


# -- verification -------------------------------------------------------------------------------------
CHANGED = Text("第 {seq} 条记录被修改过（内容与它的哈希不符）", "Entry {seq} was changed (its content does not match its hash)")
LINK_BROKEN = Text("第 {seq} 条记录被修改或替换过（第 {next} 条记录保存的哈希与它不符）",
                   "Entry {seq} was changed or replaced (entry {next} holds another hash for it)")
MISSING = Text("第 {seq} 条记录被删除了（编号不连续）", "Entry {seq} was deleted (the numbers jump)")
TAIL_MISSING = Text("第 {first} 至 {head} 条记录被删除了（日志头记录到第 {head} 条）",
                    "Entries {first} to {head} were deleted (the log's head records entry {head})")
LAST_CHANGED = Text("最后一条记录（第 {seq} 条）被修改或替换过（与日志头保存的哈希不符）",
                    "The last entry ({seq}) was changed or replaced (it does not match the hash in the log's head)")
HEAD_BEHIND = Text("第 {first} 条起的记录不在日志头之内（日志头被改回到第 {head} 条）",
                   "Entries from {first} on are not covered by the log's head (it was set back to entry {head})")
INTACT = Text("审计日志完整：{n} 条记录，哈希链无断裂", "The audit log is intact: {n:entry|entries}, the hash chain unbroken")
BROKEN = Text("审计日志已被篡改：{problem}", "The audit log was tampered with: {problem}")


@dataclass(frozen=True)
class Verification:
    entries: int
    first_bad: int | None = None  # the number of the first entry that is not as it was written
    problem: Text | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> Text:
        return INTACT.format(n=self.entries) if self.ok else BROKEN.format(problem=self.problem)


def verify(db: sqlite_utils.Database) -> Verification:
    """Walk the chain from the first entry: numbers consecutive from 1, each entry's hash its content's, each
    link its predecessor's hash, and the head the last entry's."""
    log_entries = entries(db)
    expected, previous = 1, GENESIS
    for entry in log_entries:
        if entry.seq != expected:
            return Verification(len(log_entries), expected, MISSING.format(seq=expected))
        if entry.digest() != entry.sha256:
            return Verification(len(log_entries), entry.seq, CHANGED.format(seq=entry.seq))
        if entry.prev_sha256 != previous:  # this entry is as written: its predecessor is not (or it is the first)
            if entry.seq == 1:
                return Verification(len(log_entries), 1, CHANGED.format(seq=1))
            return Verification(len(log_entries), entry.seq - 1, LINK_BROKEN.format(seq=entry.seq - 1, next=entry.seq))
        expected, previous = expected + 1, entry.sha256
    last = expected - 1
    head = db.execute("SELECT seq, sha256 FROM audit_head WHERE id = 1").fetchone() or (0, GENESIS)
    if head[0] > last:
        return Verification(len(log_entries), last + 1, TAIL_MISSING.format(first=last + 1, head=head[0]))
    if head[0] < last:
        return Verification(len(log_entries), head[0] + 1, HEAD_BEHIND.format(first=head[0] + 1, head=head[0]))
    if head[1] != previous:
        return Verification(len(log_entries), last, LAST_CHANGED.format(seq=last))
    return Verification(len(log_entries))
