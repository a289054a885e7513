"""The register of reference photos (a table in the station database) and reading them back.

Light on purpose: the database imports it whenever it opens (station.db.SCHEMA_OWNERS), so no OpenCV here.
The import itself, with its checks, is station.identity.references.
"""

from __future__ import annotations

import numpy as np
import sqlite_utils

from station.context import Station
from station.db import Migrations, register
from station.identity.verify import MODEL_ID
from station.storage.envelope import open_with_station_key

FOLDER = "references"  # under the data home: <uid[:2]>/<uid>.reference.pse


def _create_references(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE reference_photos (
            student_no  TEXT PRIMARY KEY REFERENCES students(student_no),
            uid         TEXT NOT NULL UNIQUE,
            file        TEXT NOT NULL,
            source      TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            model       TEXT NOT NULL,
            embedding   BLOB NOT NULL,
            imported_at TEXT NOT NULL
        )"""
    )


MIGRATIONS = register(Migrations("reference_photos", [_create_references]))


def reference_photo(station: Station, student_no: str, station_key: bytes) -> bytes | None:
    """The decrypted reference photo (as imported), or None when the student has none."""
    row = station.db.execute("SELECT uid, file FROM reference_photos WHERE student_no = ?", [student_no]).fetchone()
    if row is None:
        return None
    meta, image = open_with_station_key((station.home / row[1]).read_bytes(), station_key)
    if meta.get("uid") != row[0] or meta.get("student_no") != student_no:
        raise ValueError("reference photo file does not match the register")
    return image


def reference_embeddings(db: sqlite_utils.Database, station_key: bytes) -> list[tuple[str, np.ndarray]]:
    """Every student's cached reference embedding (of the current model), by student number."""
    items = []
    for student_no, uid, blob in db.execute(
            "SELECT student_no, uid, embedding FROM reference_photos WHERE model = ? ORDER BY student_no", [MODEL_ID]):
        meta, raw = open_with_station_key(blob, station_key)
        if meta.get("uid") == uid and meta.get("student_no") == student_no:
            items.append((student_no, np.frombuffer(raw, np.float32)))
    return items


def reference_embedding(db: sqlite_utils.Database, student_no: str, station_key: bytes) -> np.ndarray | None:
    """One student's cached reference embedding (of the current model), or None when there is none."""
    row = db.execute("SELECT uid, embedding FROM reference_photos WHERE student_no = ? AND model = ?",
                     [student_no, MODEL_ID]).fetchone()
    if row is None:
        return None
    meta, raw = open_with_station_key(row[1], station_key)
    if meta.get("uid") != row[0] or meta.get("student_no") != student_no:
        return None  # a record that does not match its own row is not this student's face
    return np.frombuffer(raw, np.float32)
