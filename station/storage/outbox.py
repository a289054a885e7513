"""The outbox: one durable upload job per accepted image version.

States: pending -> sending -> done, or -> failed (retry cap reached or a permanent
refusal; the reason is kept for the operator, `retry_failed` puts it back).
A job is claimed atomically (one UPDATE ... RETURNING), so two workers never send the
same job; a job left in `sending` by a crash is put back by `recover_interrupted` at
the next start. The server deduplicates by the capture uid, so sending a job twice
after a crash stores it once.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlite_utils

from station.db import Migrations, register, write_transaction
from station.i18n import Text

PENDING, SENDING, DONE, FAILED = "pending", "sending", "done", "failed"
log = logging.getLogger(__name__)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _create_outbox(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE outbox (
            id              INTEGER PRIMARY KEY,
            capture_uid     TEXT NOT NULL UNIQUE,
            state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'done', 'failed')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL DEFAULT 0,
            error_zh        TEXT NOT NULL DEFAULT '',
            error_en        TEXT NOT NULL DEFAULT '',
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL,
            done_at         TEXT
        )"""
    )
    db.execute("CREATE INDEX outbox_due ON outbox(state, next_attempt_at)")
    db.execute("CREATE TABLE upload_status (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


MIGRATIONS = register(Migrations("outbox", [_create_outbox]))


@dataclass(frozen=True)
class Job:
    id: int
    capture_uid: str
    attempts: int


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter; server-side errors count, an unreachable server does not."""

    base: float = 2.0
    cap: float = 300.0
    max_attempts: int = 8

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.base * 2 ** max(0, attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


def enqueue(db: sqlite_utils.Database, capture_uid: str) -> None:
    """Add the job; call inside the caller's transaction that records the capture."""
    now = utc_now()
    db.execute(
        "INSERT INTO outbox(capture_uid, state, created_at, updated_at) VALUES (?, 'pending', ?, ?) "
        "ON CONFLICT(capture_uid) DO NOTHING",
        [capture_uid, now, now],
    )


def recover_interrupted(db: sqlite_utils.Database) -> int:
    """Jobs a killed process left in `sending` go back to pending (the server dedups a resend)."""
    with write_transaction(db):
        return db.execute(
            "UPDATE outbox SET state = 'pending', updated_at = ? WHERE state = 'sending'", [utc_now()]
        ).rowcount


def claim(db: sqlite_utils.Database, now: float | None = None) -> Job | None:
    """Atomically take the oldest due pending job."""
    now = time.time() if now is None else now
    with write_transaction(db):
        row = db.execute(
            "UPDATE outbox SET state = 'sending', updated_at = ? WHERE id = ("
            " SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 1"
            ") RETURNING id, capture_uid, attempts",
            [utc_now(), now],
        ).fetchone()
    return Job(*row) if row else None


def mark_done(db: sqlite_utils.Database, job: Job) -> None:
    now = utc_now()
    with write_transaction(db):
        db.execute(
            "UPDATE outbox SET state = 'done', done_at = ?, updated_at = ?, error_zh = '', error_en = '' WHERE id = ?",
            [now, now, job.id],
        )
        _put_status(db, last_success_at=now, error_zh="", error_en="")  # a photo went up: an earlier error is over


def release(db: sqlite_utils.Database, job: Job, error: Text, retry_at: float) -> None:
    """Back to pending without spending an attempt (the server could not be reached)."""
    _set_state(db, job.id, PENDING, error, retry_at, job.attempts)


def reschedule(db: sqlite_utils.Database, job: Job, error: Text, policy: RetryPolicy) -> str:
    """The server answered with an error: spend an attempt; past the cap the job fails."""
    attempts = job.attempts + 1
    if attempts >= policy.max_attempts:
        _set_state(db, job.id, FAILED, error, 0, attempts)
        return FAILED
    _set_state(db, job.id, PENDING, error, time.time() + policy.delay(attempts), attempts)
    return PENDING


def fail(db: sqlite_utils.Database, job: Job, error: Text) -> None:
    """A refusal retrying cannot fix (damaged file, rejected token): the operator decides."""
    _set_state(db, job.id, FAILED, error, 0, job.attempts + 1)


def _set_state(db: sqlite_utils.Database, job_id: int, state: str, error: Text, retry_at: float, attempts: int) -> None:
    if state == FAILED:  # it will not retry by itself: the log says so, for whoever looks after a bad day
        log.warning("upload job %d gave up after %d attempt(s): %s", job_id, attempts, error.en)
    with write_transaction(db):
        db.execute(
            "UPDATE outbox SET state = ?, error_zh = ?, error_en = ?, next_attempt_at = ?, attempts = ?, updated_at = ? "
            "WHERE id = ?",
            [state, error.zh, error.en, retry_at, attempts, utc_now(), job_id],
        )


def retry_failed(db: sqlite_utils.Database, job_ids: list[int] | None = None) -> int:
    """The operator's manual retry: failed jobs (all, or the chosen ones) start over now."""
    query = "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = 0, updated_at = ? WHERE state = 'failed'"
    params: list[object] = [utc_now()]
    if job_ids is not None:
        query += f" AND id IN ({','.join('?' * len(job_ids))})"
        params += job_ids
    with write_transaction(db):
        return db.execute(query, params).rowcount


def requeue(db: sqlite_utils.Database, capture_uids: list[str]) -> int:
    """Reconciliation found these done jobs missing on the server: send them again."""
    if not capture_uids:
        return 0
    with write_transaction(db):
        return db.execute(
            f"UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = 0, updated_at = ? "
            f"WHERE state = 'done' AND capture_uid IN ({','.join('?' * len(capture_uids))})",
            [utc_now(), *capture_uids],
        ).rowcount


def done_uids(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT capture_uid FROM outbox WHERE state = 'done'").fetchall()]


def unsent_uids(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT capture_uid FROM outbox WHERE state != 'done' ORDER BY id").fetchall()]


def record_status(db: sqlite_utils.Database, **values: str) -> None:
    """Link facts for the queue screen (last success, reachability, last error)."""
    with write_transaction(db):
        _put_status(db, **values)


def _put_status(db: sqlite_utils.Database, **values: str) -> None:
    for key, value in values.items():
        db.execute(
            "INSERT INTO upload_status(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def get_status(db: sqlite_utils.Database) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM upload_status").fetchall())


@dataclass(frozen=True)
class FailedJob:
    job_id: int
    student_no: str
    name: str  # "" when the student has since left the roster
    class_name: str
    version: int
    attempts: int
    reason: Text
    updated_at: str


@dataclass(frozen=True)
class QueueHealth:
    """What the queue screen shows at a glance."""

    waiting: int
    sending: int
    done: int
    failed: list[FailedJob]
    last_success_at: str | None
    server_reachable: bool | None  # None: not tried yet
    last_contact_at: str | None
    last_error: Text | None

    def to_json(self) -> dict[str, object]:
        return {"waiting": self.waiting, "sending": self.sending, "done": self.done, "failed": len(self.failed),
                "last_success_at": self.last_success_at, "server_reachable": self.server_reachable}


def queue_health(db: sqlite_utils.Database) -> QueueHealth:
    counts = dict(db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
    failed = [
        FailedJob(r[0], r[1], r[2] or "", r[3] or "", r[4], r[5], Text(r[6], r[7]), r[8])
        for r in db.execute(
            "SELECT o.id, c.student_no, s.name, s.class_name, c.version, o.attempts, o.error_zh, o.error_en, "
            "o.updated_at FROM outbox o JOIN captures c ON c.uid = o.capture_uid "
            "LEFT JOIN students s ON s.student_no = c.student_no WHERE o.state = 'failed' ORDER BY o.id"
        ).fetchall()
    ]
    status = get_status(db)
    reachable = status.get("server_reachable")
    error = Text(status["error_zh"], status["error_en"]) if status.get("error_zh") else None
    return QueueHealth(
        waiting=counts.get(PENDING, 0), sending=counts.get(SENDING, 0), done=counts.get(DONE, 0), failed=failed,
        last_success_at=status.get("last_success_at"),
        server_reachable=None if reachable is None else reachable == "1",
        last_contact_at=status.get("last_contact_at"), last_error=error,
    )
