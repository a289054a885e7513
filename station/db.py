"""The station's single SQLite database: WAL mode, forward-only migrations per component.

Each component (roster, captures, outbox, ...) owns a named list of migration steps;
the `schema_versions` table records how far each component has been migrated, so
components evolve independently and a newer station upgrades an older database in place.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from station.errors import StationError
from station.i18n import Text
from station.paths import is_dir
from station.storage.atomic import disk_full_error

log = logging.getLogger(__name__)

Step = Callable[[sqlite_utils.Database], None]

NEWER_SCHEMA = Text(
    "工作站数据库是更新版本的工作站程序写入的，本程序无法使用：请安装最新版本的工作站程序后再打开。数据没有改动。",
    "The station database was written by a newer station program, which this one cannot use: install the latest "
    "version of the station program, then open it again. Nothing was changed.",
)
DAMAGED = Text(
    "数据库文件 {path} {reason}，无法打开。已拍照片的文件仍在数据目录中；请把整个数据目录复制保存后联系技术支持。",
    "The database file {path} {reason} and cannot be opened. The photo files are still in the data folder; copy "
    "the whole folder somewhere safe and contact support.",
)
# What SQLite found, said as what it means for the file (its own words go to the log).
NOT_A_DATABASE = Text("不是工作站的数据库（可能被别的文件覆盖了）",
                      "is not a station database (another file may have been copied over it)")
A_FOLDER = Text("是一个文件夹", "is a folder")
CORRUPT = Text("已损坏（可能是写入时断电，或磁盘出错）", "is damaged (a power cut while writing, or a disk error)")
DISK_ERROR = Text("读写时磁盘出错（磁盘故障，或所在的U盘、移动硬盘被拔出）",
                  "could not be read or written: a disk error (a failing disk, or its USB drive was unplugged)")
NOT_WRITABLE = Text(
    "工作站数据库 {path} 不能写入：数据目录是只读的，或当前用户没有写入权限。请检查该目录的权限（U盘是否写保护），"
    "或换一个可写的数据目录。数据没有改动。",
    "The station database {path} cannot be written: its data folder is read-only, or this user may not write there. "
    "Check the folder's permissions (is the USB drive write-protected?), or use another data folder. Nothing was "
    "changed.",
)

# A write the database refused, said with what it means for what was being recorded (a payment, a mark, a roster):
# not recorded, everything saved before kept, the station still usable.
WRITE_FULL = Text(
    "磁盘空间不足（剩余 {free_mb} MB），工作站数据库 {path} 没有写入：这一项没有记录。已保存的照片和记录不受影响；请清理磁盘后重试。",
    "Not enough disk space ({free_mb} MB free): the station database {path} was not written, so this was not "
    "recorded. Photos and records saved earlier are intact; free some space and try again.",
)
WRITE_DISK_ERROR = Text(
    "工作站数据库 {path} 写入时磁盘出错（磁盘故障，或所在的U盘、移动硬盘被拔出）：这一项没有记录。已保存的照片和记录不受影响；"
    "请检查磁盘后重试。",
    "The station database {path} could not be written: a disk error (a failing disk, or its USB drive was "
    "unplugged), so this was not recorded. Photos and records saved earlier are intact; check the disk and try again.",
)

BUSY_TIMEOUT_MS = 10_000  # how long a write waits for another's to end before the database is said to be busy
BUSY = Text(
    "工作站数据库 {path} 正被另一个程序占用（工作站窗口或另一条命令正在写入）：请稍后再试。数据没有改动。",
    "The station database {path} is busy (the station window or another command is writing to it): try again in "
    "a moment. Nothing was changed.",
)


class WriteRefused(StationError):
    """The database refused a write: a full disk, a read-only or failing one, or another program holding it past the
    busy timeout. Said in words (the window shows it like any refusal, not as a program error); nothing of that write
    was kept. `kind`: "full", "read_only", "disk_error" or "in_use", as the callers that say more need it (a photo)."""

    def __init__(self, text: Text, kind: str) -> None:
        super().__init__(text, exit_code=3 if kind == "full" else None)
        self.kind = kind


@dataclass(frozen=True)
class Migrations:
    component: str
    steps: Sequence[Step]


_REGISTRY: dict[str, Migrations] = {}


def register(migrations: Migrations) -> Migrations:
    """Declare a component's schema; applied by open_db in registration order."""
    _REGISTRY[migrations.component] = migrations
    return migrations


def open_db(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) the database and bring every registered component up to date.

    A damaged or foreign file, or one locked past the busy timeout, is a StationError that names it.
    """
    _import_schema_owners()
    try:
        return _open(path)
    except sqlite3.DatabaseError as exc:
        log.warning("cannot open the database %s: %s (%s)", path, exc, getattr(exc, "sqlite_errorname", "?"))
        raise _refusal(Path(path), exc) from exc


def _refusal(path: Path, exc: sqlite3.DatabaseError) -> StationError:
    """What SQLite's refusal means for the person at the station, and what to do."""
    cause = getattr(exc, "sqlite_errorname", "")
    kind = _refused_because(path, exc)
    if kind != "in_use" and _nearly_full(path.parent):  # SQLite's words for a full disk at opening vary
        kind = "full"
    if kind == "in_use":
        return StationError(BUSY.format(path=path))
    if kind == "full":
        return disk_full_error(path.parent, 0, path)
    if cause == "SQLITE_CANTOPEN" and is_dir(path):
        return StationError(DAMAGED.format(path=path, reason=A_FOLDER))
    if kind == "read_only":
        return StationError(NOT_WRITABLE.format(path=path))
    if kind == "disk_error":
        return StationError(DAMAGED.format(path=path, reason=DISK_ERROR))
    return StationError(DAMAGED.format(path=path, reason=NOT_A_DATABASE if cause == "SQLITE_NOTADB" else CORRUPT))


def _refused_because(path: Path, exc: sqlite3.DatabaseError) -> str | None:
    """Which of the system's refusals SQLite's error is ("in_use", "full", "read_only", "disk_error"); None for one
    that is not the disk's nor another program's (a damaged file, a broken rule, a program error)."""
    cause = getattr(exc, "sqlite_errorname", "")
    if cause.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):  # held past the busy timeout
        return "in_use"
    if cause == "SQLITE_FULL" or (cause.startswith("SQLITE_IOERR") and _nearly_full(path.parent)):
        return "full"  # SQLite says I/O error when the WAL cannot grow
    if cause.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return "read_only"
    if cause.startswith("SQLITE_IOERR"):
        return "disk_error"
    return None


def _write_refused(db: sqlite_utils.Database, exc: sqlite3.DatabaseError) -> WriteRefused | None:
    """A write's refusal said in words (None: not one the person can act on, it goes on as it is)."""
    path = Path(db.execute("PRAGMA database_list").fetchone()[2])
    kind = _refused_because(path, exc)
    if kind is None:
        return None
    log.warning("database %s refused a write: %s (%s)", path, exc, getattr(exc, "sqlite_errorname", "?"))
    if kind == "full":
        text = WRITE_FULL.format(free_mb=_free_mb(path.parent), path=path)
    else:
        text = {"in_use": BUSY, "read_only": NOT_WRITABLE, "disk_error": WRITE_DISK_ERROR}[kind].format(path=path)
    return WriteRefused(text, kind)


def _free_mb(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free // 2**20
    except OSError:
        return 0


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 2**20
    except OSError:
        return False


def _open(path: Path | str) -> sqlite_utils.Database:
    conn = sqlite_utils.Database(str(path)).conn
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db = sqlite_utils.Database(conn)
    if str(path) != ":memory:":
        _enable_wal(db)
    conn.execute("PRAGMA foreign_keys = ON")
    # FULL: a commit is on disk when it returns, so an accepted photo survives a power cut too.
    conn.execute("PRAGMA synchronous = FULL")
    migrate(db)
    return db


def _enable_wal(db: sqlite_utils.Database) -> None:
    """WAL, waiting as a write would. Two connections opening a new file at once (the window and the upload worker)
    both ask for it; SQLite answers one of them SQLITE_BUSY at once, without its busy handler (waiting there could
    deadlock), so that one asks again until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_BUSY" or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def schema_version(db: sqlite_utils.Database, component: str) -> int:
    row = db.execute(
        "SELECT version FROM schema_versions WHERE component = ?", [component]
    ).fetchone()
    if row is None:
        return 0
    if not isinstance(row[0], int):  # an edited database: said as damaged, not a TypeError in the comparison
        raise sqlite3.DatabaseError(f"schema_versions holds {row[0]!r} for {component}")
    return row[0]


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """Writes that stand or fall together, holding the write lock from the first read (so two processes never
    both read the same last row and append after it). Inside a transaction already open, it joins that one. The
    disk's refusal (full, read-only, failing) or a lock held elsewhere past the busy timeout is a WriteRefused that
    says so in words, not SQLite's "database or disk is full" as a program error; nothing of the change is kept."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # another program wrote past the busy timeout: said, nothing written
        refused = _write_refused(db, exc)
        if refused is None:
            raise
        raise refused from exc
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:  # SQLite ends it itself after some refusals (a full disk): ROLLBACK would then fail
            conn.execute("ROLLBACK")
        refused = _write_refused(db, exc) if isinstance(exc, sqlite3.OperationalError) else None
        if refused is None:
            raise
        raise refused from exc


@contextmanager
def without_flush(db: sqlite_utils.Database) -> Iterator[None]:
    """Commits that do not wait for the disk (WAL with synchronous NORMAL): they survive the process being killed,
    and the next ordinary commit (FULL, e.g. a photo accepted) flushes them with its own. For what the UI thread
    writes at a shutter press or a scan, where a flush can take tens of ms on a busy or slow disk. Inside an open
    transaction the level cannot change: that transaction's commit decides."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        conn.execute("PRAGMA synchronous = FULL")


def migrate(db: sqlite_utils.Database) -> None:
    """Apply pending steps, one transaction per component, safe against a second process."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
    )
    conn = db.conn
    for migrations in _REGISTRY.values():
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = schema_version(db, migrations.component)
            if current > len(migrations.steps):
                log.warning("database component %s is at version %d, this station knows up to %d",
                            migrations.component, current, len(migrations.steps))
                raise StationError(NEWER_SCHEMA)
            for number, step in enumerate(migrations.steps[current:], start=current + 1):
                step(db)  # steps use db.execute only, so they stay inside this transaction
                conn.execute(
                    "INSERT INTO schema_versions(component, version) VALUES (?, ?) "
                    "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                    [migrations.component, number],
                )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


# Modules that declare tables. Listed here so that opening the database always
# creates the whole schema, whichever part of the station opened it first.
SCHEMA_OWNERS: list[str] = ["station.roster.store", "station.storage.captures", "station.storage.server_link", "station.storage.outbox",
                             "station.identity.reference_store", "station.audit.trail",
                             "station.fees.settings", "station.fees.ledger", "station.identity.capture_faces"]


def _import_schema_owners() -> None:
    import importlib

    for name in SCHEMA_OWNERS:
        importlib.import_module(name)
