"""Swaps: a face that is another student's, caught by comparing it with every stored face at once.

The stored faces (each student's reference photo and current capture) are one contiguous float32 matrix kept
in memory (station.identity.verify.Gallery); one new face against all of them is a single matrix product (about
a millisecond for 10,000 faces, scripts/benchmark_verify.py). The rule, the same at the station and on the server:
the new face is a suspected swap when another student's stored face scores at least SAME_THRESHOLD (the shipped
"same person" threshold) and higher than every stored face that speaks for the student it is filed under. A capture
saved over a "different person" verdict (a reason given: a swap, not the enrolment photo's person) speaks for nobody:
its face stays in the gallery as someone's, but it cannot vouch for its own student. Otherwise a swap, once overridden,
was the student's "own" face: its retake with the same wrong face matched it better than the other student's photo
and passed as the same person, with no question at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import json

import numpy as np

from station.identity.verify import SAME_THRESHOLD, Gallery

CAPTURE, REFERENCE = "capture", "reference"


@dataclass(frozen=True)
class StoredFace:
    """Whose face a gallery row is, and where it comes from."""

    student_no: str
    source: str  # CAPTURE or REFERENCE
    ref: str = ""  # the capture's uid (a student has one reference photo)
    vouches: bool = True  # False: a capture saved over a "different person" verdict (speaks_for_student)


def speaks_for_student(identity: str) -> bool:
    """Whether a capture, by its recorded identity comparison (station.capture.identity_check.recorded: JSON with
    "checks", each with "against" and "level"; '' when nothing was compared), may stand for its student's face: not
    when a check found another person ("different"), except the photo a retake replaced when the retake is its
    enrolment photo's person (that photo was the wrong one: identity_check.outweigh)."""
    checks = json.loads(identity)["checks"] if identity else []
    own_face = is_enrolment_photos_person(checks)
    return not any(c["level"] == "different" and not (c["against"] == "previous" and own_face) for c in checks)


def is_enrolment_photos_person(checks: list[dict]) -> bool:
    """A recorded comparison (its "checks") found the face to be the enrolment photo's person: what it says of the
    photo a retake replaced is then about that photo, not this one (identity_check.outweigh, as recorded)."""
    return any(c["against"] == "reference" and c["level"] == "same" for c in checks)


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

    @cached_property
    def vouching(self) -> np.ndarray:
        """Per row, whether the face speaks for its own student (StoredFace.vouches)."""
        return np.fromiter((face.vouches for face in self.faces), bool, len(self.faces))

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
    `student_no`'s own that vouches for them, or None. Of several such faces, one that speaks for its student is
    named before one that does not: a face saved under a wrong student (over 不是同一人, with a reason) and again
    under its owner is the owner's (这张脸已作为林晓雯拍摄过), not the student it was wrongly filed under."""
    if not len(faces):
        return None
    # einsum runs on the calling thread; `@` hands this matrix-vector product to OpenBLAS's threads, whose
    # hand-offs cost ten times the product itself on two busy cores (5.7 ms against 0.6 ms, median over 10,000)
    scores = np.einsum("ij,j->i", faces.gallery.matrix, np.asarray(vector, np.float32))
    own = np.flatnonzero(faces.gallery.key_array == student_no)  # the student's few rows
    vouching = [row for row in own if faces.faces[row].vouches]
    own_score = float(scores[vouching].max()) if vouching else None
    scores[own] = -np.inf
    bar = max(SAME_THRESHOLD, np.nextafter(own_score, np.inf)) if own_score is not None else SAME_THRESHOLD
    matching = scores >= bar
    if not matching.any():
        return None
    named = matching & faces.vouching
    if not named.any():
        named = matching
    best = int(np.argmax(np.where(named, scores, -np.inf)))
    return Suspect(faces.faces[best], float(scores[best]), own_score)
