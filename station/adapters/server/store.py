"""Server metadata: stations, received uploads, the roster. SQLite by default, PostgreSQL by URL.

Queries are written once with `?` placeholders and portable SQL (ON CONFLICT ... DO
NOTHING works in both); for PostgreSQL the placeholders become `%s`. A connection per
operation keeps the web server's worker threads independent.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from station.errors import StationError
from station.i18n import Text
from station.roster.store import RefusedRow

# Forward-only schema steps: step N takes the database from version N-1 to N. A released step is never
# edited; a change is a new step appended here, so an older server.db (or PostgreSQL database) upgrades in
# place when the server opens it. Step 1 is the schema servers had before versions were recorded: its
# IF NOT EXISTS makes it a no-op on such a database, which then simply becomes version 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS stations (
            station_id   TEXT PRIMARY KEY,
            name         TEXT NOT NULL,
            token_sha256 TEXT NOT NULL UNIQUE,
            created_at   TEXT NOT NULL,
            last_seen_at TEXT,
            health       TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE IF NOT EXISTS uploads (
            uid             TEXT PRIMARY KEY,
            station_id      TEXT NOT NULL,
            student_no      TEXT NOT NULL,
            version         INTEGER NOT NULL,
            captured_at     TEXT NOT NULL,
            received_at     TEXT NOT NULL,
            operator        TEXT NOT NULL,
            reason          TEXT NOT NULL,
            override_reason TEXT NOT NULL,
            chsi_sha256     TEXT NOT NULL,
            original_sha256 TEXT NOT NULL,
            source          TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS uploads_student ON uploads(student_no, captured_at)",
        "CREATE INDEX IF NOT EXISTS uploads_station ON uploads(station_id)",
        """CREATE TABLE IF NOT EXISTS students (
            student_no TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            class_name TEXT NOT NULL,
            id_number  TEXT NOT NULL DEFAULT '',
            gender     TEXT NOT NULL DEFAULT '',
            college    TEXT NOT NULL DEFAULT '',
            major      TEXT NOT NULL DEFAULT ''
        )""",
    ),
    # 2: how far the sending station's clock was behind the server's (ms), to order retakes across stations
    # (BIGINT: a laptop whose clock fell back years is exactly the case, and PostgreSQL's INTEGER is 32-bit)
    ("ALTER TABLE uploads ADD COLUMN clock_offset_ms BIGINT NOT NULL DEFAULT 0",),
    # 3: the station's identity verdict (JSON: the checks, their scores, any reason), and each capture's face as
    # the server measured it (sealed to the server's own key, base64) with the other student it matches best when
    # that is a suspected swap
    ("ALTER TABLE uploads ADD COLUMN identity TEXT NOT NULL DEFAULT ''",
     """CREATE TABLE IF NOT EXISTS upload_faces (
            uid                TEXT PRIMARY KEY,
            student_no         TEXT NOT NULL,
            embedding          TEXT NOT NULL,
            suspect_uid        TEXT NOT NULL DEFAULT '',
            suspect_student_no TEXT NOT NULL DEFAULT '',
            score              DOUBLE PRECISION
        )"""),
    # 4: each station's audit log as it sent it (the entry's canonical JSON, which its sha256 covers)
    ("""CREATE TABLE IF NOT EXISTS audit_entries (
            station_id  TEXT NOT NULL,
            seq         BIGINT NOT NULL,
            entry       TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (station_id, seq)
        )""",),
    # 5: the registrar's word on a doubted capture (身份核验): looked, and it is the student. About that photo only
    # (a retake is a new question); undoing it deletes the row
    ("""CREATE TABLE IF NOT EXISTS identity_confirmations (
            uid          TEXT PRIMARY KEY,
            confirmed_by TEXT NOT NULL,
            confirmed_at TEXT NOT NULL,
            note         TEXT NOT NULL DEFAULT ''
        )""",),
    # 6: a confirmation the registrar withdrew (撤销), kept with who withdrew it and when: the row above is gone, but
    # the next registrar (and an inquiry later) sees that the photo was once confirmed and by whom
    ("""CREATE TABLE IF NOT EXISTS identity_withdrawals (
            uid          TEXT NOT NULL,
            confirmed_by TEXT NOT NULL,
            confirmed_at TEXT NOT NULL,
            note         TEXT NOT NULL DEFAULT '',
            withdrawn_by TEXT NOT NULL,
            withdrawn_at TEXT NOT NULL,
            PRIMARY KEY (uid, confirmed_at)
        )""",),
    # 7: when a station's audit log last failed to continue the server's copy (a log rewritten on the laptop, or one
    # station id on two laptops): said on the overview, where the registrar looks ('' when never)
    ("ALTER TABLE stations ADD COLUMN audit_refused_at TEXT NOT NULL DEFAULT ''",),
    # 8: roster rows import-roster refused, by the student number they carry: that student is on no list of the
    # server's (not 应拍, not 未拍摄) and the overview names them until an import takes the student
    ("""CREATE TABLE IF NOT EXISTS roster_refused (
            student_no TEXT PRIMARY KEY,
            name       TEXT NOT NULL DEFAULT '',
            file       TEXT NOT NULL,
            place_zh   TEXT NOT NULL,
            reason_zh  TEXT NOT NULL
        )""",),
)

NEWER_SCHEMA = Text("服务器数据库的结构版本为 {found}，比本程序认识的（{known}）更新：请升级服务器程序。",
                    "The server database schema is version {found}, newer than this server knows ({known}): "
                    "update the server.")
# Any constant key: PostgreSQL holds this lock until the migrating transaction ends.
MIGRATION_LOCK = 20261124

UPLOAD_COLUMNS = ("uid", "station_id", "student_no", "version", "captured_at", "received_at", "operator", "reason",
                  "override_reason", "chsi_sha256", "original_sha256", "source", "clock_offset_ms", "identity")
STUDENT_COLUMNS = ("student_no", "name", "class_name", "id_number", "gender", "college", "major")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Upload:
    uid: str
    station_id: str
    student_no: str
    version: int
    captured_at: str
    received_at: str
    operator: str
    reason: str
    override_reason: str
    chsi_sha256: str
    original_sha256: str
    source: str  # "network" or "usb"
    # server time minus the station's clock when it sent this (network uploads; 0 when unknown, e.g. USB)
    clock_offset_ms: int = 0
    identity: str = ""  # the station's comparison of the face (station.capture.identity_check.recorded), checked

    @property
    def captured_on_server_clock(self) -> datetime:
        """captured_at as the server's clock would have said it: retakes from stations whose clocks disagree
        are ordered by this."""
        moment = datetime.fromisoformat(self.captured_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        try:
            return moment + timedelta(milliseconds=self.clock_offset_ms)
        except OverflowError:  # a nonsense stamp must not stop the listing of every other photo
            return moment


def in_capture_order(uploads: list[Upload]) -> list[Upload]:
    """Per student, oldest capture first. Across stations, captures are compared on the server's clock; within
    one station its own version numbers decide, since the measured clock offset jitters by the network's
    milliseconds and must not swap two photos taken a moment apart."""
    effective: dict[str, datetime] = {}
    latest: dict[tuple[str, str], datetime] = {}
    for upload in sorted(uploads, key=lambda u: (u.student_no, u.station_id, u.version)):
        at = upload.captured_on_server_clock
        previous = latest.get((upload.student_no, upload.station_id))
        latest[upload.student_no, upload.station_id] = effective[upload.uid] = max(at, previous) if previous else at
    return sorted(uploads, key=lambda u: (u.student_no, effective[u.uid], u.version, u.received_at))


@dataclass(frozen=True)
class UploadFace:
    uid: str
    student_no: str
    embedding: str  # base64 of the sealed float32 vector
    suspect_uid: str = ""  # another student's capture this face matches better than its own ('' when none)
    suspect_student_no: str = ""  # whose face it is; without suspect_uid: their reference photo
    score: float | None = None


@dataclass(frozen=True)
class Confirmation:
    """The registrar looked at a doubted capture and says it is the student."""

    uid: str
    confirmed_by: str  # who looked (the page asks for a name: the sign-in is one shared registrar account)
    confirmed_at: str  # UTC, ISO 8601
    note: str = ""


@dataclass(frozen=True)
class Withdrawal:
    """A confirmation the registrar withdrew (撤销): the photo was in doubt again from then on."""

    confirmation: Confirmation
    withdrawn_by: str  # who withdrew it (asked on the page, as for a confirmation)
    withdrawn_at: str  # UTC, ISO 8601


SQLITE_PATIENCE = 30.0  # seconds a server waits for another one's lock before giving up
# Per server process: a request holds one for a few milliseconds; four workers stay well under PostgreSQL's
# default max_connections (100) with room for several servers.
POSTGRES_CONNECTIONS = 8
CONTACT_RESOLUTION = timedelta(seconds=10)  # how stale a station's "last contact" may be on the registrar's page


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL (it stays so). Servers opening a new database at the same moment can meet
    "database is locked" on the switch itself, which SQLite's busy timeout does not wait out: retried here."""
    deadline = time.monotonic() + SQLITE_PATIENCE
    delay = 0.005
    while conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


class MetaStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_postgres = url.startswith(("postgresql://", "postgres://"))
        self._postgres_pool: Any = None
        self._pool_lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """A cursor inside one transaction; committed on success, rolled back on error."""
        if self.is_postgres:
            with self._pool().connection() as pooled:  # commits when the block ends, rolls back on an error
                yield pooled.cursor()
            return
        conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=SQLITE_PATIENCE)
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        try:
            yield conn.cursor()
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    def _pool(self) -> Any:
        """PostgreSQL connections kept open for this process: a new connection is a new server process on the
        PostgreSQL side, which cost more than the upload itself when every query opened one."""
        with self._pool_lock:
            if self._postgres_pool is None:
                import psycopg  # the `postgres` extra
                from psycopg_pool import ConnectionPool

                psycopg.connect(self.url).close()  # a server that is down is said now, not after the pool's wait
                self._postgres_pool = ConnectionPool(self.url, min_size=1, max_size=POSTGRES_CONNECTIONS, open=True,
                                                     timeout=SQLITE_PATIENCE)
            return self._postgres_pool

    def close(self) -> None:
        """Let go of the PostgreSQL connections: a server process keeps them for its life; a command or a test that
        is done with the store closes it (a pool left to the garbage collector fails to join its own threads)."""
        with self._pool_lock:
            pool, self._postgres_pool = self._postgres_pool, None
        if pool is not None:
            pool.close()

    def __enter__(self) -> "MetaStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sql(self, query: str) -> str:
        return query.replace("?", "%s") if self.is_postgres else query

    def run(self, cursor: Any, query: str, params: Sequence[object] = ()) -> Any:
        cursor.execute(self._sql(query), tuple(params))
        return cursor

    def rows(self, query: str, params: Sequence[object] = ()) -> list[tuple]:
        with self.transaction() as cur:
            return list(self.run(cur, query, params).fetchall())

    def migrate(self) -> int:
        """Apply the steps this database lacks, all in one transaction that a second server process starting
        at the same moment waits for; returns the schema version. A newer database is refused, not touched."""
        with self.transaction() as cur:
            if self.is_postgres:
                self.run(cur, "SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK])
            else:
                cur.execute("BEGIN IMMEDIATE")
            self.run(cur, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            found = self.run(cur, "SELECT version FROM schema_version").fetchone()
            current = found[0] if found else 0
            if current > len(MIGRATIONS):
                raise StationError(NEWER_SCHEMA.format(found=current, known=len(MIGRATIONS)))
            for step in MIGRATIONS[current:]:
                for statement in step:
                    self.run(cur, statement)
            if found is None:
                self.run(cur, "INSERT INTO schema_version(version) VALUES (?)", [len(MIGRATIONS)])
            else:
                self.run(cur, "UPDATE schema_version SET version = ?", [len(MIGRATIONS)])
            return len(MIGRATIONS)

    # --- stations ---------------------------------------------------------------
    def add_station(self, station_id: str, name: str, token_sha256: str) -> bool:
        with self.transaction() as cur:
            return self.run(cur, "INSERT INTO stations(station_id, name, token_sha256, created_at) VALUES (?, ?, ?, ?) "
                                 "ON CONFLICT DO NOTHING", [station_id, name, token_sha256, utc_now()]).rowcount == 1

    def station_for_token(self, token_sha256: str) -> str | None:
        found = self.rows("SELECT station_id FROM stations WHERE token_sha256 = ?", [token_sha256])
        return found[0][0] if found else None

    def contact(self, token_sha256: str) -> str | None:
        """The station holding this token, its last contact brought up to now: every request a station makes
        counts (an upload too, not only the heartbeat). Written at most every CONTACT_RESOLUTION, so a busy
        station's uploads do not each add a write."""
        now = datetime.now(timezone.utc)
        with self.transaction() as cur:
            found = self.run(cur, "SELECT station_id, last_seen_at FROM stations WHERE token_sha256 = ?",
                             [token_sha256]).fetchone()
            if found is None:
                return None
            if found[1] is None or found[1] < (now - CONTACT_RESOLUTION).isoformat(timespec="milliseconds"):
                self.run(cur, "UPDATE stations SET last_seen_at = ? WHERE station_id = ?",
                         [now.isoformat(timespec="milliseconds"), found[0]])
            return found[0]

    def record_health(self, station_id: str, health: str) -> None:
        with self.transaction() as cur:
            self.run(cur, "UPDATE stations SET last_seen_at = ?, health = ? WHERE station_id = ?",
                     [utc_now(), health, station_id])

    # --- audit logs -------------------------------------------------------------
    def audit_head(self, station_id: str) -> tuple[int, str] | None:
        found = self.rows("SELECT seq, sha256 FROM audit_entries WHERE station_id = ? ORDER BY seq DESC LIMIT 1",
                          [station_id])
        return (found[0][0], found[0][1]) if found else None

    def add_audit(self, station_id: str, entries: list[tuple[int, str, str]]) -> None:
        """(seq, canonical JSON, sha256) rows, all or none."""
        with self.transaction() as cur:
            for seq, entry, sha256 in entries:
                self.run(cur, "INSERT INTO audit_entries(station_id, seq, entry, sha256, received_at) "
                              "VALUES (?, ?, ?, ?, ?)", [station_id, seq, entry, sha256, utc_now()])

    def audit_sha256(self, station_id: str, seq: int) -> str | None:
        found = self.rows("SELECT sha256 FROM audit_entries WHERE station_id = ? AND seq = ?", [station_id, seq])
        return found[0][0] if found else None

    def refuse_audit(self, station_id: str) -> None:
        with self.transaction() as cur:
            self.run(cur, "UPDATE stations SET audit_refused_at = ? WHERE station_id = ?", [utc_now(), station_id])

    def audit_refusals(self) -> dict[str, str]:
        """station id -> when its audit log last failed to continue the server's copy."""
        return dict(self.rows("SELECT station_id, audit_refused_at FROM stations WHERE audit_refused_at <> ''"))

    def audit_entries(self, station_id: str) -> list[str]:
        return [row[0] for row in self.rows("SELECT entry FROM audit_entries WHERE station_id = ? ORDER BY seq",
                                            [station_id])]

    def stations(self) -> list[tuple[str, str, str | None, str]]:
        return self.rows("SELECT station_id, name, last_seen_at, health FROM stations ORDER BY station_id")

    # --- uploads ----------------------------------------------------------------
    def get_upload(self, uid: str) -> Upload | None:
        found = self.rows(f"SELECT {', '.join(UPLOAD_COLUMNS)} FROM uploads WHERE uid = ?", [uid])
        return Upload(*found[0]) if found else None

    def insert_upload(self, upload: Upload) -> bool:
        """True when stored now; False when the uid was already there (the caller compares)."""
        columns = ", ".join(UPLOAD_COLUMNS)
        marks = ", ".join("?" * len(UPLOAD_COLUMNS))
        with self.transaction() as cur:
            cursor = self.run(cur, f"INSERT INTO uploads({columns}) VALUES ({marks}) ON CONFLICT (uid) DO NOTHING",
                              [getattr(upload, c) for c in UPLOAD_COLUMNS])
            return cursor.rowcount == 1

    def clock_offset_of(self, station_id: str) -> int:
        """The offset measured on the station's newest network upload (0 before any): what a USB package from it,
        which carries no clock of its own, is corrected by."""
        found = self.rows("SELECT clock_offset_ms FROM uploads WHERE station_id = ? AND source = 'network' "
                          "ORDER BY received_at DESC LIMIT 1", [station_id])
        return int(found[0][0]) if found else 0

    def uids_of_station(self, station_id: str) -> list[str]:
        return [r[0] for r in self.rows("SELECT uid FROM uploads WHERE station_id = ?", [station_id])]

    def uploads(self) -> list[Upload]:
        """Every upload, oldest capture first per student (on the server's clock): the last one of a student is
        the registered image."""
        return in_capture_order([Upload(*r) for r in self.rows(f"SELECT {', '.join(UPLOAD_COLUMNS)} FROM uploads")])

    def registered(self) -> dict[str, Upload]:
        """The current image of each student: a retake's newer capture replaces the earlier ones."""
        current: dict[str, Upload] = {}
        for upload in self.uploads():
            current[upload.student_no] = upload
        return current

    # --- faces ------------------------------------------------------------------
    def insert_face(self, face: "UploadFace") -> None:
        with self.transaction() as cur:
            self.run(cur, "INSERT INTO upload_faces(uid, student_no, embedding, suspect_uid, suspect_student_no, score) "
                          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
                     [face.uid, face.student_no, face.embedding, face.suspect_uid, face.suspect_student_no, face.score])

    def faces(self) -> list["UploadFace"]:
        """Every capture's face measured so far."""
        rows = self.rows("SELECT uid, student_no, embedding, suspect_uid, suspect_student_no, score FROM upload_faces")
        return [UploadFace(*r) for r in rows]

    # --- the registrar's identity confirmations ------------------------------------
    def confirm_identity(self, confirmation: Confirmation) -> bool:
        """True when recorded now; False when the capture was confirmed already (the first word stands)."""
        with self.transaction() as cur:
            return self.run(cur, "INSERT INTO identity_confirmations(uid, confirmed_by, confirmed_at, note) "
                                 "VALUES (?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
                            [confirmation.uid, confirmation.confirmed_by, confirmation.confirmed_at,
                             confirmation.note]).rowcount == 1

    def undo_confirmation(self, uid: str, withdrawn_by: str, withdrawn_at: str) -> bool:
        """Withdraw the capture's confirmation, kept as a withdrawal in the same transaction. False when it was not
        confirmed (a double click): nothing is recorded."""
        with self.transaction() as cur:
            self.run(cur, "INSERT INTO identity_withdrawals(uid, confirmed_by, confirmed_at, note, withdrawn_by, "
                          "withdrawn_at) SELECT uid, confirmed_by, confirmed_at, note, ?, ? FROM identity_confirmations "
                          "WHERE uid = ?", [withdrawn_by, withdrawn_at, uid])
            return self.run(cur, "DELETE FROM identity_confirmations WHERE uid = ?", [uid]).rowcount == 1

    def withdrawals(self) -> dict[str, list[Withdrawal]]:
        """Every withdrawn confirmation, per capture, oldest first."""
        rows = self.rows("SELECT uid, confirmed_by, confirmed_at, note, withdrawn_by, withdrawn_at "
                         "FROM identity_withdrawals ORDER BY withdrawn_at")
        found: dict[str, list[Withdrawal]] = {}
        for uid, by, at, note, withdrawn_by, withdrawn_at in rows:
            found.setdefault(uid, []).append(Withdrawal(Confirmation(uid, by, at, note), withdrawn_by, withdrawn_at))
        return found

    def confirmations(self) -> dict[str, Confirmation]:
        rows = self.rows("SELECT uid, confirmed_by, confirmed_at, note FROM identity_confirmations")
        return {row[0]: Confirmation(*row) for row in rows}

    # --- roster -----------------------------------------------------------------
    def upsert_students(self, students: Sequence[dict[str, str]]) -> int:
        columns = ", ".join(STUDENT_COLUMNS)
        marks = ", ".join("?" * len(STUDENT_COLUMNS))
        updates = ", ".join(f"{c} = excluded.{c}" for c in STUDENT_COLUMNS[1:])
        with self.transaction() as cur:
            for student in students:
                self.run(cur, f"INSERT INTO students({columns}) VALUES ({marks}) "
                              f"ON CONFLICT (student_no) DO UPDATE SET {updates}",
                         [student.get(c, "") or "" for c in STUDENT_COLUMNS])
        return len(students)

    def keep_refused(self, refused: Sequence[RefusedRow]) -> None:
        """After an import: the rows it refused kept by student number (the latest word on each); a number now on
        the roster is forgotten (this import took the student, or a corrected file did)."""
        with self.transaction() as cur:
            for row in refused:
                self.run(cur, "INSERT INTO roster_refused(student_no, name, file, place_zh, reason_zh) "
                              "VALUES (?, ?, ?, ?, ?) ON CONFLICT (student_no) DO UPDATE SET name = excluded.name, "
                              "file = excluded.file, place_zh = excluded.place_zh, reason_zh = excluded.reason_zh",
                         [row.student_no, row.name, row.file, row.place.zh, row.reason.zh])
            self.run(cur, "DELETE FROM roster_refused WHERE student_no IN (SELECT student_no FROM students)")

    def refused_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(student number, name, file, place, reason) of each refused row that stands, in Chinese (the pages')."""
        return self.rows("SELECT student_no, name, file, place_zh, reason_zh FROM roster_refused ORDER BY student_no")

    def photographed_entries(self) -> dict[str, tuple]:
        """The name and ID number of each student with an uploaded photo, by student number: what a roster correction
        may change under the photo (the server keeps no capture codes)."""
        return {row[0]: tuple(row[1:]) for row in self.rows(
            "SELECT student_no, name, id_number FROM students s "
            "WHERE EXISTS (SELECT 1 FROM uploads u WHERE u.student_no = s.student_no) ORDER BY student_no")}

    def students(self) -> list[dict[str, str]]:
        rows = self.rows(f"SELECT {', '.join(STUDENT_COLUMNS)} FROM students ORDER BY class_name, student_no")
        return [dict(zip(STUDENT_COLUMNS, r)) for r in rows]
