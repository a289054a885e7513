"""The register of captured photos: every version of every student's image, never deleted.

A retake adds a version and supersedes the previous one; the history keeps time,
operator and reason for each. `CaptureStore.save` is the one place an accepted photo
enters the station: encrypted files (station.storage), this register and the upload
job (station.storage.outbox) are written so that a crash at any point leaves either
nothing accepted or everything needed for the photo to arrive exactly once.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from station.context import Station
from station.db import Migrations, WriteRefused, register, write_transaction
from station.errors import StationError, os_reason
from station.i18n import Text
from station.localtime import Clock, system_clock
from station.storage.atomic import disk_full_error, ensure_free_space, remove_file, write_atomic
from station.storage.envelope import EnvelopeError, image_meta, open_with_station_key, seal
from station.storage.station_key import StationKey, unlock_station_key
from station.storage.server_link import load_link
from station.storage.outbox import enqueue

log = logging.getLogger(__name__)

KINDS = ("chsi", "original")
# Room kept free beyond the photo itself: SQLite's WAL, the OS, the next few captures.
DEFAULT_RESERVE_BYTES = 200 * 2**20

UNKNOWN_STUDENT = Text("名单中没有学号 {student_no}，照片未保存。", "Student number {student_no} is not on the roster; the photo was not saved.")
CANNOT_WRITE = Text("无法把照片写入 {folder}：{reason}。照片仍在确认界面，没有保存：请检查磁盘后再按回车。",
                    "Cannot write the photo to {folder}: {reason}. The photo is still in review, not saved: check the "
                    "disk, then press Enter again.")
EMPTY_IMAGE = Text("照片数据为空，未保存。", "The photo data is empty; nothing was saved.")
NO_SUCH_VERSION = Text("学号 {student_no} 没有第 {version} 版照片。", "Student {student_no} has no photo version {version}.")


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
    uid: str = ""  # the idempotency key of this image version, end to end


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


def _add_encrypted_files(db: sqlite_utils.Database) -> None:
    for column in ("uid", "chsi_file", "original_file", "chsi_sha256", "original_sha256"):
        db.execute(f"ALTER TABLE captures ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE UNIQUE INDEX captures_uid ON captures(uid) WHERE uid != ''")


def _add_review_record(db: sqlite_utils.Database) -> None:
    """What the review showed: the identity comparison (JSON, with any reason) and the checks that asked the
    photographer to look (comma-separated ids)."""
    for column in ("identity", "questions"):
        db.execute(f"ALTER TABLE captures ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")


def _add_identified_at(db: sqlite_utils.Database) -> None:
    """When the student was identified (at the camera, or by `capture IMAGE --student` just before its checks), for
    the day report's time from identification to photo ('' for photos taken before this column existed)."""
    db.execute("ALTER TABLE captures ADD COLUMN identified_at TEXT NOT NULL DEFAULT ''")


MIGRATIONS = register(Migrations("captures", [_create_captures, _add_encrypted_files, _add_review_record,
                                              _add_identified_at]))

_VERSION_COLUMNS = "student_no, version, captured_at, operator, station_id, reason, override_reason, superseded_at, uid"


def history(db: sqlite_utils.Database, student_no: str) -> list[CaptureVersion]:
    rows = db.query(
        f"SELECT {_VERSION_COLUMNS} FROM captures WHERE student_no = ? ORDER BY version",
        [student_no],
    )
    return [CaptureVersion(**r) for r in rows]


def status(db: sqlite_utils.Database, student_no: str) -> CaptureStatus:
    row = db.execute(
        "SELECT COUNT(*), MAX(captured_at) FROM captures WHERE student_no = ?", [student_no]
    ).fetchone()
    return CaptureStatus(captured=row[0] > 0, versions=row[0], last_captured_at=row[1])


def version_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Versions taken so far, per student photographed (a student missing here has none)."""
    return dict(db.execute("SELECT student_no, COUNT(*) FROM captures GROUP BY student_no").fetchall())


@dataclass(frozen=True)
class StoredCapture:
    """A version with where its encrypted files are, as the uploader and the exporter need it."""

    version: CaptureVersion
    files: dict[str, Path]  # kind -> absolute path
    sha256: dict[str, str]  # kind -> digest of the file as written
    identity: str = ""  # the identity comparison recorded at review (JSON), sent with the photo


def stored_capture(db: sqlite_utils.Database, home: Path, uid: str) -> StoredCapture | None:
    row = db.execute(
        f"SELECT {_VERSION_COLUMNS}, chsi_file, original_file, chsi_sha256, original_sha256, identity FROM captures "
        "WHERE uid = ?",
        [uid],
    ).fetchone()
    if row is None:
        return None
    return StoredCapture(
        version=CaptureVersion(*row[:9]),
        files={"chsi": home / row[9], "original": home / row[10]},
        sha256={"chsi": row[11], "original": row[12]},
        identity=row[13],
    )


def envelope_meta(version: CaptureVersion, kind: str) -> dict[str, object]:
    return image_meta(version.uid, kind, version.student_no, version.version, version.captured_at, version.station_id)


class CaptureStore:
    """The station-side entry point the capture screen calls when the operator accepts a photo."""

    def __init__(self, station: Station, key: StationKey | None = None,
                 reserve_bytes: int = DEFAULT_RESERVE_BYTES, clock: Clock = system_clock) -> None:
        self.station = station
        self._key = key
        self.reserve_bytes = reserve_bytes
        self.clock = clock  # stamps captured_at; the server corrects it by the clock offset seen at upload

    @property
    def key(self) -> StationKey:
        if self._key is None:
            self._key = unlock_station_key(self.station.home)
        return self._key

    @property
    def files_dir(self) -> Path:
        return self.station.home / "captures"

    def save(self, student_no: str, chsi_jpeg: bytes, original: bytes, operator: str,
             reason: str = "", override_reason: str = "", identity: str = "", questions: str = "",
             identified_at: str = "") -> CaptureVersion:
        """Encrypt, write and register a new version, and queue its upload.

        Once this returns the photo is accepted: it is on disk (encrypted, fsynced), in the
        register and in the outbox, all committed together.
        """
        if not chsi_jpeg or not original:
            raise StationError(EMPTY_IMAGE)
        db = self.station.db
        link = load_link(db)
        server_key = link.server_key()
        station_key = self.key.key
        try:
            ensure_free_space(self.files_dir, 2 * (len(chsi_jpeg) + len(original)), self.reserve_bytes)
            with write_transaction(db):
                version = self._save_locked(db, link.station_id, server_key, station_key, student_no,
                                            {"chsi": chsi_jpeg, "original": original}, operator, reason,
                                            override_reason, identity, questions, identified_at)
        except sqlite3.IntegrityError as exc:
            raise StationError(UNKNOWN_STUDENT.format(student_no=student_no)) from exc
        except WriteRefused as exc:
            if exc.kind == "full":  # the disk filled between the check and the commit: said of the photo
                raise disk_full_error(self.files_dir, len(chsi_jpeg) + len(original)) from exc
            raise
        except OSError as exc:  # a read-only or failing disk, a file where the photo folder should be
            raise StationError(CANNOT_WRITE.format(folder=self.files_dir, reason=os_reason(exc))) from exc
        log.info("saved %s version %d (%s) by %s%s%s", student_no, version.version, version.uid, operator,
                 f"; retake: {reason}" if reason else "", f"; checks overridden: {override_reason}" if override_reason else "")
        return version

    def _save_locked(self, db, station_id, server_key, station_key, student_no, images, operator, reason,
                     override_reason, identity, questions, identified_at) -> CaptureVersion:
        if not db.execute("SELECT 1 FROM students WHERE student_no = ?", [student_no]).fetchone():
            raise StationError(UNKNOWN_STUDENT.format(student_no=student_no))
        last = db.execute("SELECT MAX(version) FROM captures WHERE student_no = ?", [student_no]).fetchone()[0]
        now = self.clock().isoformat(timespec="milliseconds")
        version = CaptureVersion(student_no=student_no, version=(last or 0) + 1, captured_at=now, operator=operator,
                                 station_id=station_id, reason=reason, override_reason=override_reason,
                                 superseded_at=None, uid=uuid.uuid4().hex)
        names, digests = {}, {}
        for kind, data in images.items():
            blob = seal(data, envelope_meta(version, kind), server_key, station_key)
            path = self.files_dir / version.uid[:2] / f"{version.uid}.{kind}.pse"
            # A crash after this write but before COMMIT leaves only an unregistered encrypted file.
            write_atomic(path, blob)
            names[kind] = path.relative_to(self.station.home).as_posix()
            digests[kind] = hashlib.sha256(blob).hexdigest()
        db.execute("UPDATE captures SET superseded_at = ? WHERE student_no = ? AND superseded_at IS NULL",
                   [now, student_no])
        db.execute(
            "INSERT INTO captures(student_no, version, captured_at, operator, station_id, reason, override_reason, "
            "uid, chsi_file, original_file, chsi_sha256, original_sha256, identity, questions, identified_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [student_no, version.version, now, operator, station_id, reason, override_reason, version.uid,
             names["chsi"], names["original"], digests["chsi"], digests["original"], identity, questions,
             identified_at],
        )
        enqueue(db, version.uid)
        return version

    def recover(self) -> int:
        """At start-up: remove what a crash during save() left (temporary files, files never registered).

        Call before capturing starts; returns how many files were removed. One that Windows will not let go of is
        left for the next start: it is nobody's photo, and the day starts.
        """
        if not self.files_dir.exists():
            return 0
        registered = {r[0] for r in self.station.db.execute("SELECT uid FROM captures").fetchall()}
        removed = 0
        for path in self.files_dir.rglob("*"):
            leftover = path.name.endswith(".tmp") or (path.suffix == ".pse" and path.name.split(".")[0] not in registered)
            if path.is_file() and leftover:
                try:
                    remove_file(path)  # Windows: an antivirus may be scanning what the crash left
                except PermissionError as exc:  # held longer, or read-only: it holds no registered photo
                    log.warning("leftover %s not removed, left for the next start: %s", path, exc)
                    continue
                removed += 1
        return removed

    def load_for_review(self, student_no: str, version: int, kind: str = "chsi") -> bytes:
        """Decrypt one of this station's captures with the station key; damage raises EnvelopeError."""
        db = self.station.db
        row = db.execute("SELECT uid FROM captures WHERE student_no = ? AND version = ?", [student_no, version]).fetchone()
        stored = stored_capture(db, self.station.home, row[0]) if row else None
        if stored is None:
            raise StationError(NO_SUCH_VERSION.format(student_no=student_no, version=version))
        try:
            blob = stored.files[kind].read_bytes()
        except FileNotFoundError as exc:
            raise EnvelopeError("file missing") from exc
        meta, image = open_with_station_key(blob, self.key.key)
        if meta != envelope_meta(stored.version, kind):
            raise EnvelopeError("metadata does not match the register")
        return image
