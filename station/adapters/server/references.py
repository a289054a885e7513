"""Reference photos held by the receiving server and handed to each station (issue 21, item 2).

The registrar imports the school's enrolment or ID photos once, on the server (`photo-station-server
import-references`), with the station's rules: matched to the server's roster by file name (student number or ID
number) or the roster's 照片 column, each checked (readable, exactly one face, big enough). Each photo is kept
sealed to the server's own key (station.storage.envelope), one file per student named by a digest of the student
number, so neither the picture nor the number lies in the clear. A station asks which photos the server holds
(student number and SHA-256 of the photo), then fetches the ones it lacks in small batches, each photo sealed
again for a key pair the station made for that request alone: only that station's request can open them. The
station imports them through the same checks as `photo-station roster photos` (station.upload.references).
Each photo's face embedding is kept beside it, sealed the same way, for the server's own swap check
(station.adapters.server.faces); the registrar's identity page shows the photo beside a capture of that face.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.adapters.server.home import ServerContext
from station.errors import StationError
from station.i18n import Text
from station.db import open_db
from station.identity.embedder import FaceEmbedder
from station.identity.references import (Refused, ReferenceReport, check_source, checked_entries, photo_column,
                                         source_entries)
from station.localtime import system_clock
from station.paths import is_file
from station.storage.atomic import write_atomic
from station.identity.verify import MODEL_ID
from station.storage.envelope import EnvelopeError, open_with_server_key, parse, public_key_from_b64, seal

FOLDER = "references"
BATCH = 20  # photos per fetch: an ID photo is tens of kB, so a batch stays a few MB


# reference photos are matched to the server's roster by their file names: without one, every photo was refused
NO_ROSTER_YET = Text("这台服务器还没有导入名单，参考照片无法按文件名对应到学生：请先运行 photo-station-server import-roster "
                     "名单.xlsx（若已导入，请检查 --home 是否是同一个服务器文件夹），再导入参考照片。",
                     "This server holds no roster yet, so reference photos cannot be matched to students by their file "
                     "names: run photo-station-server import-roster first (if you did, check that --home names the same "
                     "server folder), then import the photos.")


def _path(home: Path, student_no: str, kind: str = "reference") -> Path:
    """The student's photo (kind "reference") or its face's embedding (kind "embedding")."""
    return home / FOLDER / f"{hashlib.sha256(student_no.encode('utf-8')).hexdigest()[:40]}.{kind}.pse"


def _meta(student_no: str, sha256: str) -> dict[str, object]:
    return {"kind": "reference", "student_no": student_no, "sha256": sha256}


@dataclass(frozen=True)
class Held:
    student_no: str
    sha256: str  # of the photo as imported: a station holding the same bytes needs nothing


def held(server: ServerContext) -> list[Held]:
    """Every reference photo the server holds (read from the files' authenticated headers, no key needed)."""
    found = []
    for path in sorted((server.home / FOLDER).glob("*.reference.pse")):
        try:
            meta = parse(path.read_bytes()).meta
        except (OSError, EnvelopeError):
            continue
        student_no, sha256 = meta.get("student_no"), meta.get("sha256")
        if isinstance(student_no, str) and isinstance(sha256, str) and path == _path(server.home, student_no):
            found.append(Held(student_no, sha256))
    return found


def holds(server: ServerContext, student_no: str) -> bool:
    """Whether the server holds this student's reference photo (one file looked at, for a page that shows it)."""
    return is_file(_path(server.home, student_no))


def _scratch_roster(server: ServerContext, folder: Path):
    """The server's roster in a station database, so the station's matching rules apply unchanged."""
    db = open_db(folder / "roster.db")
    now = system_clock().isoformat(timespec="seconds")
    db["students"].insert_all({**student, "created_at": now, "updated_at": now}
                              for student in server.store.students())
    return db


def import_references(server: ServerContext, source: Path, roster: Path | None = None,
                      embedder: FaceEmbedder | None = None) -> ReferenceReport:
    """Check and seal every photo of a folder or zip for the students of the server's roster."""
    check_source(source)
    if not server.store.students():  # each photo was refused as 文件名不是名单中任何学生的学号, the cause unsaid
        raise StationError(NO_ROSTER_YET)
    photo_names = photo_column(roster) if roster is not None else None
    public_key = public_key_from_b64(server.public_key)
    report = ReferenceReport()
    # Windows: an antivirus scanning the scratch database may keep it from being deleted at once: left in the
    # system's temporary folder rather than failing the import after its work is done
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as scratch:
        db = _scratch_roster(server, Path(scratch))
        try:
            for outcome in checked_entries(db, source_entries(source), embedder or FaceEmbedder(), photo_names):
                if isinstance(outcome, Refused):
                    report.rejected.append(outcome)
                    continue
                digest = hashlib.sha256(outcome.data).hexdigest()
                path, embedding = _path(server.home, outcome.student_no), _path(server.home, outcome.student_no,
                                                                                "embedding")
                old = _held_digest(path)
                if old == digest and _held_digest(embedding, MODEL_ID) == digest:
                    report.unchanged += 1
                    continue
                meta = {**_meta(outcome.student_no, digest), "file": Path(outcome.file).name}
                write_atomic(path, seal(outcome.data, meta, public_key, None))
                write_atomic(embedding, seal(outcome.vector.astype(np.float32).tobytes(),
                                             _embedding_meta(outcome.student_no, digest), public_key, None))
                if old is None:
                    report.imported += 1
                else:
                    report.updated += 1
        finally:
            db.close()
    return report


def _held_digest(path: Path, model: str | None = None) -> str | None:
    """The SHA-256 of the photo a file holds (or whose face it holds, from `model`), None when it is not there."""
    try:
        meta = parse(path.read_bytes()).meta
    except (OSError, EnvelopeError):
        return None
    return meta.get("sha256") if model is None or meta.get("model") == model else None


def _embedding_meta(student_no: str, sha256: str) -> dict[str, object]:
    return {"kind": "embedding", "student_no": student_no, "sha256": sha256, "model": MODEL_ID}


def folder_stamp(home: Path) -> int:
    """Changes whenever a reference photo is imported (a file renamed into the folder): faces are read again."""
    try:
        return (home / FOLDER).stat().st_mtime_ns
    except OSError:
        return 0


def reference_faces(home: Path, private_key: X25519PrivateKey) -> list[tuple[str, np.ndarray]]:
    """Every held reference photo's face embedding (of the current model), by student number, for the server's
    swap check."""
    faces = []
    for path in sorted((home / FOLDER).glob("*.embedding.pse")):
        try:
            meta, raw = open_with_server_key(path.read_bytes(), private_key)
        except (OSError, EnvelopeError):
            continue
        student_no = meta.get("student_no")
        if (isinstance(student_no, str) and path == _path(home, student_no, "embedding")
                and meta == _embedding_meta(student_no, str(meta.get("sha256")))):
            faces.append((student_no, np.frombuffer(raw, np.float32)))
    return faces


def _opened(server: ServerContext, student_no: str) -> tuple[dict[str, object], bytes] | None:
    try:
        meta, photo = open_with_server_key(_path(server.home, student_no).read_bytes(), server.private_key)
    except (OSError, EnvelopeError):
        return None
    return (meta, photo) if meta.get("student_no") == student_no else None


def held_photo(server: ServerContext, student_no: str) -> bytes | None:
    """The student's reference photo as imported, or None when the server holds none (or a damaged one)."""
    opened = _opened(server, student_no)
    return opened[1] if opened else None


def sealed_for_station(server: ServerContext, student_nos: list[str], station_key_b64: str) -> Iterator[dict]:
    """The photos asked for (at most BATCH), each opened with the server's key and sealed again for the key the
    station sent with its request; a student the server holds no photo for is left out."""
    recipient = public_key_from_b64(station_key_b64)
    for student_no in student_nos[:BATCH]:
        opened = _opened(server, student_no)
        if opened is None:
            continue
        meta, photo = opened
        sha256 = hashlib.sha256(photo).hexdigest()
        suffix = Path(str(meta.get("file", ""))).suffix.lower() or ".jpg"
        sealed = seal(photo, {**_meta(student_no, sha256), "suffix": suffix}, recipient, None)
        yield {"student_no": student_no, "sha256": sha256, "photo": base64.b64encode(sealed).decode("ascii")}
