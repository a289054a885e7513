"""Reference photos held by the receiving server and handed to each station (issue 21, item 2).

The registrar imports the school's enrolment or ID photos once, on the server (`photo-station-server
import-references`), with the station's rules: matched to the server's roster by file name (student number or ID
number) or the roster's 照片 column, each checked (readable, exactly one face, big enough). Each photo is kept
sealed to the server's own key (station.storage.envelope), one file per student named by a digest of the student
number, so neither the picture nor the number lies in the clear. A station asks which photos the server holds
(student number and SHA-256 of the photo), then fetches the ones it lacks in small batches, each photo sealed
again for a key pair the station made for that request alone: only that station's request can open them. The
station imports them through the same checks as `photo-station roster photos` (station.upload.references).
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from station.adapters.server.home import ServerContext
from station.db import open_db
from station.identity.embedder import FaceEmbedder
from station.identity.references import (Refused, ReferenceReport, check_source, checked_entries, photo_column,
                                         source_entries)
from station.localtime import system_clock
from station.storage.atomic import write_atomic
from station.storage.envelope import EnvelopeError, open_with_server_key, parse, public_key_from_b64, seal

FOLDER = "references"
BATCH = 20  # photos per fetch: an ID photo is tens of kB, so a batch stays a few MB


def _path(server: ServerContext, student_no: str) -> Path:
    return server.home / FOLDER / f"{hashlib.sha256(student_no.encode('utf-8')).hexdigest()[:40]}.reference.pse"


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
        if isinstance(student_no, str) and isinstance(sha256, str) and path == _path(server, student_no):
            found.append(Held(student_no, sha256))
    return found


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
    photo_names = photo_column(roster) if roster is not None else None
    public_key = public_key_from_b64(server.public_key)
    report = ReferenceReport()
    with tempfile.TemporaryDirectory() as scratch:
        db = _scratch_roster(server, Path(scratch))
        try:
            for outcome in checked_entries(db, source_entries(source), embedder or FaceEmbedder(), photo_names):
                if isinstance(outcome, Refused):
                    report.rejected.append(outcome)
                    continue
                digest = hashlib.sha256(outcome.data).hexdigest()
                path = _path(server, outcome.student_no)
                old = _held_digest(path)
                if old == digest:
                    report.unchanged += 1
                    continue
                meta = {**_meta(outcome.student_no, digest), "file": Path(outcome.file).name}
                write_atomic(path, seal(outcome.data, meta, public_key, None))
                if old is None:
                    report.imported += 1
                else:
                    report.updated += 1
        finally:
            db.close()
    return report


def _held_digest(path: Path) -> str | None:
    try:
        return parse(path.read_bytes()).meta.get("sha256")
    except (OSError, EnvelopeError):
        return None


def sealed_for_station(server: ServerContext, student_nos: list[str], station_key_b64: str) -> Iterator[dict]:
    """The photos asked for (at most BATCH), each opened with the server's key and sealed again for the key the
    station sent with its request; a student the server holds no photo for is left out."""
    recipient = public_key_from_b64(station_key_b64)
    for student_no in student_nos[:BATCH]:
        path = _path(server, student_no)
        try:
            meta, photo = open_with_server_key(path.read_bytes(), server.private_key)
        except (OSError, EnvelopeError):
            continue
        if meta.get("student_no") != student_no:
            continue
        sha256 = hashlib.sha256(photo).hexdigest()
        suffix = Path(str(meta.get("file", ""))).suffix.lower() or ".jpg"
        sealed = seal(photo, {**_meta(student_no, sha256), "suffix": suffix}, recipient, None)
        yield {"student_no": student_no, "sha256": sha256, "photo": base64.b64encode(sealed).decode("ascii")}
