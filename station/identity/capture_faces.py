"""Each accepted capture's face embedding, computed once at the shutter and kept sealed in the station database.

Embeddings are biometric data: sealed like reference photos (station.storage.envelope, for the station key and
the server's), never stored in the clear. With the reference photos' cached embeddings they make the station's
face gallery (station.identity.swaps), loaded once and grown at each save. Light like reference_store: the
database imports it whenever it opens.
"""

from __future__ import annotations

import numpy as np
import sqlite_utils

from station.db import Migrations, register, write_transaction
from station.identity.reference_store import reference_embeddings
from station.identity.swaps import CAPTURE, REFERENCE, FaceGallery, StoredFace, speaks_for_student
from station.identity.verify import MODEL_ID
from station.storage.envelope import EnvelopeError, open_with_station_key, seal
from station.storage.server_link import load_link


def _create_capture_faces(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE capture_faces (
            uid        TEXT PRIMARY KEY,
            student_no TEXT NOT NULL,
            model      TEXT NOT NULL,
            embedding  BLOB NOT NULL
        )"""
    )


MIGRATIONS = register(Migrations("capture_faces", [_create_capture_faces]))


def _meta(uid: str, student_no: str) -> dict[str, object]:
    return {"uid": uid, "kind": "embedding", "student_no": student_no, "model": MODEL_ID}


def remember_face(db: sqlite_utils.Database, uid: str, student_no: str, vector: np.ndarray,
                  station_key: bytes) -> None:
    """Keep a just-saved capture's embedding (sealed) for the comparisons of the rest of the day."""
    sealed = seal(np.asarray(vector, np.float32).tobytes(), _meta(uid, student_no), load_link(db).server_key(),
                  station_key)
    with write_transaction(db):
        db.execute("INSERT OR REPLACE INTO capture_faces(uid, student_no, model, embedding) VALUES (?, ?, ?, ?)",
                   [uid, student_no, MODEL_ID, sealed])


def current_face(db: sqlite_utils.Database, student_no: str, station_key: bytes) -> np.ndarray | None:
    """The cached embedding of the student's registered (not superseded) capture, or None (none kept)."""
    row = db.execute("SELECT f.uid, f.embedding FROM capture_faces f JOIN captures c ON c.uid = f.uid "
                     "WHERE c.student_no = ? AND f.student_no = ? AND c.superseded_at IS NULL AND f.model = ?",
                     [student_no, student_no, MODEL_ID]).fetchone()
    return _opened(row[0], student_no, row[1], station_key) if row else None


def _opened(uid: str, student_no: str, blob: bytes, station_key: bytes) -> np.ndarray | None:
    try:
        meta, raw = open_with_station_key(blob, station_key)
    except EnvelopeError:
        return None
    return np.frombuffer(raw, np.float32) if meta == _meta(uid, student_no) else None


def gallery_stamp(db: sqlite_utils.Database) -> tuple:
    """Changes whenever reference photos are imported: the gallery in memory is then loaded again."""
    return tuple(db.execute("SELECT COUNT(*), MAX(imported_at) FROM reference_photos").fetchone())


def station_gallery(db: sqlite_utils.Database, station_key: bytes) -> FaceGallery:
    """Every student's reference photo and current (not superseded) capture at this station, as one matrix."""
    items = [(StoredFace(no, REFERENCE), vector) for no, vector in reference_embeddings(db, station_key)]
    for uid, student_no, blob, identity in db.execute(
            "SELECT f.uid, f.student_no, f.embedding, c.identity FROM capture_faces f JOIN captures c ON c.uid = f.uid "
            "WHERE c.superseded_at IS NULL AND c.student_no = f.student_no AND f.model = ?", [MODEL_ID]):
        vector = _opened(uid, student_no, blob, station_key)
        if vector is not None:
            items.append((StoredFace(student_no, CAPTURE, uid, speaks_for_student(identity)), vector))
    return FaceGallery.build(items)
