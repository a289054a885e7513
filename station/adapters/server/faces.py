"""The server's swap check: each incoming capture's face against every other student's capture, from every station,
and every reference photo the server holds.

A station compares a new face with what it holds itself (station.identity.swaps); the server holds every station's
captures, so the same rule here catches a face photographed as one student at one station and as another student
at another, or the face of another student's reference photo (station.adapters.server.references). Each face is embedded once, when its upload is stored, and kept sealed to the server's own key; each
server process keeps the opened vectors in memory. A capture whose face cannot be measured is stored all the same
(the registrar's page then has no server verdict for it).
"""

from __future__ import annotations

import base64
import logging
import threading
from pathlib import Path

import numpy as np
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.adapters.server.references import folder_stamp, reference_faces
from station.adapters.server.store import MetaStore, Upload, UploadFace
from station.identity.embedder import JpegFaces
from station.identity.swaps import CAPTURE, REFERENCE, FaceGallery, StoredFace, find_swap, speaks_for_student
from station.identity.verify import MODEL_ID
from station.storage.envelope import EnvelopeError, open_with_server_key, seal

log = logging.getLogger(__name__)


def _meta(uid: str, student_no: str) -> dict[str, object]:
    return {"uid": uid, "kind": "embedding", "student_no": student_no, "model": MODEL_ID}


class ServerFaces:
    """One per server process; thread-safe (the web server's worker threads share it)."""

    def __init__(self, store: MetaStore, private_key: X25519PrivateKey, home: Path) -> None:
        self._store = store
        self._key = private_key
        self._home = home
        self._references: tuple[int, list[tuple[str, np.ndarray]]] | None = None  # folder stamp, faces
        self._lock = threading.Lock()
        self._embed = JpegFaces().vector
        self._opened: dict[str, np.ndarray] = {}  # uid -> vector, read once per process

    def check(self, upload: Upload, chsi_jpeg: bytes) -> UploadFace | None:
        """Embed the new capture, look for a swap, keep both; None when no face could be measured."""
        with self._lock:
            vector = self._embed(chsi_jpeg)
            if vector is None:
                return None
            suspect = find_swap(vector, self._gallery(upload), upload.student_no)
            sealed = seal(vector.tobytes(), _meta(upload.uid, upload.student_no), self._key.public_key(), None)
            face = UploadFace(upload.uid, upload.student_no, base64.b64encode(sealed).decode("ascii"),
                              suspect.face.ref if suspect else "", suspect.face.student_no if suspect else "",
                              round(suspect.score, 4) if suspect else None)  # a reference photo has no uid
            self._store.insert_face(face)
            self._opened[upload.uid] = vector
            return face


    def _gallery(self, upload: Upload) -> FaceGallery:
        """Every earlier capture of the student (their own faces), every other student's registered capture, and
        every reference photo held here (the student's own among their own faces)."""
        registered = {u.uid for u in self._store.registered().values()}
        confirmed = self._store.confirmations()
        items = [(StoredFace(no, REFERENCE), vector) for no, vector in self._reference_faces()]
        for face in self._store.faces():
            if face.uid == upload.uid or (face.student_no != upload.student_no and face.uid not in registered):
                continue
            vector = self._vector(face)
            if vector is not None:
                own = face.student_no == upload.student_no  # only the student's own faces need to vouch
                vouches = not own or face.uid in confirmed or self._speaks_for_student(face)
                items.append((StoredFace(face.student_no, CAPTURE, face.uid, vouches), vector))
        return FaceGallery.build(items)

    def _speaks_for_student(self, face: UploadFace) -> bool:
        """An earlier capture of the student may stand for their face (swaps' rule) unless its station found another
        person in it or this server found it another student's (a suspected swap), and the registrar did not confirm
        it since."""
        earlier = self._store.get_upload(face.uid)
        return not face.suspect_student_no and (earlier is None or speaks_for_student(earlier.identity))

    def _reference_faces(self) -> list[tuple[str, np.ndarray]]:
        """Opened once per process, and again when reference photos were imported meanwhile."""
        stamp = folder_stamp(self._home)
        if self._references is None or self._references[0] != stamp:
            self._references = (stamp, reference_faces(self._home, self._key))
        return self._references[1]

    def _vector(self, face: UploadFace) -> np.ndarray | None:
        if face.uid not in self._opened:
            try:
                meta, raw = open_with_server_key(base64.b64decode(face.embedding), self._key)
            except (EnvelopeError, ValueError):
                return None
            if meta != _meta(face.uid, face.student_no):
                return None
            self._opened[face.uid] = np.frombuffer(raw, np.float32)
        return self._opened[face.uid]
