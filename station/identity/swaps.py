"""Swaps: a face that is another student's, caught by comparing it with every stored face at once.

The stored faces (each student's reference photo and current capture) are one contiguous float32 matrix kept
in memory (station.identity.verify.Gallery); one new face against all of them is a single matrix product (about
a millisecond for 10,000 faces, scripts/benchmark_verify.py). The rule, the same at the station and on the server:
the new face is a suspected swap when another student's stored face scores at least SAME_THRESHOLD (the shipped
"same person" threshold) and higher than every stored face of the student it is filed under.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from station.identity.verify import SAME_THRESHOLD, Gallery

CAPTURE, REFERENCE = "capture", "reference"


@dataclass(frozen=True)
class StoredFace:
    """Whose face a gallery row is, and where it comes from."""

    student_no: str
    source: str  # CAPTURE or REFERENCE
    ref: str = ""  # the capture's uid (a student has one reference photo)


@dataclass(frozen=True)
class Suspect:
    """The other student whose stored face the new one matches better than its own."""

    face: StoredFace
    score: float
    own_score: float | None  # the best of the student's own stored faces (None: they have none)


@dataclass(frozen=True)
class FaceGallery:
    """Immutable: a save makes a new gallery (`with_face`), so a search on the shutter's thread never sees one
    change under it."""

    faces: tuple[StoredFace, ...]
    gallery: Gallery  # keyed by student number, one row per face

    @classmethod
    def build(cls, items: Sequence[tuple[StoredFace, np.ndarray]]) -> "FaceGallery":
        return cls(tuple(face for face, _ in items), Gallery.build([(face.student_no, v) for face, v in items]))

    def __len__(self) -> int:
        return len(self.faces)

    def with_face(self, face: StoredFace, vector: np.ndarray) -> "FaceGallery":
        """This gallery with a new face; the student's earlier face of the same source (a capture the new one
        supersedes, a reference photo imported again) leaves it."""
        keep = np.ones(len(self.faces), bool)
        for row in np.flatnonzero(self.gallery.key_array == face.student_no):  # the student's few rows
            keep[row] = self.faces[row].source != face.source
        faces = tuple(f for f, kept in zip(self.faces, keep) if kept) + (face,)
        matrix = np.concatenate([self.gallery.matrix[keep], np.asarray(vector, np.float32)[None, :]])
        keys = np.append(self.gallery.key_array[keep], face.student_no)
        return FaceGallery(faces, Gallery(tuple(f.student_no for f in faces), matrix, keys))


def find_swap(vector: np.ndarray, faces: FaceGallery, student_no: str) -> Suspect | None:
    """Another student's stored face that matches `vector` as the same person and better than any of
    `student_no`'s own, or None."""
    if not len(faces):
        return None
    # einsum runs on the calling thread; `@` hands this matrix-vector product to OpenBLAS's threads, whose
    # hand-offs cost ten times the product itself on two busy cores (5.7 ms against 0.6 ms, median over 10,000)
    scores = np.einsum("ij,j->i", faces.gallery.matrix, np.asarray(vector, np.float32))
    own = faces.gallery.key_array == student_no
    own_score = float(scores[own].max()) if own.any() else None
    scores[own] = -np.inf
    best = int(np.argmax(scores))
    score = float(scores[best])
    if score < SAME_THRESHOLD or (own_score is not None and score <= own_score):
        return None
    return Suspect(faces.faces[best], score, own_score)
