"""Is the face in the new photo this student's? Compared at the shutter with the student's reference photo (the
school's enrolment or ID photo, `photo-station roster photos`) and, for a retake, with the photo it replaces.

The verdicts are station.identity's: same person, uncertain (the photographer should look), different person
(the photo is not accepted without a recorded reason). What the comparison needs from the database and the
station key is gathered on the session's thread when the shutter is pressed (`gather`); the faces are measured
on the shutter's worker thread (`IdentityChecker`), with the rest of the shutter's work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import cv2
import numpy as np

from station.context import Station
from station.i18n import Text
from station.identity.embedder import FaceEmbedder, FaceProblem
from station.identity.reference_store import reference_embedding, reference_photo
from station.identity.verify import Verdict, compare

REFERENCE, PREVIOUS = "reference", "previous"
UNMEASURED = "unmeasured"
SAID = {
    (REFERENCE, "same"): Text("与学籍照片为同一人", "Same person as the enrolment photo"),
    (REFERENCE, "uncertain"): Text("与学籍照片不能确定是同一人：请核对本人", "Not sure it is the person of the enrolment photo: check"),
    (REFERENCE, "different"): Text("与学籍照片不是同一人！", "Not the person of the enrolment photo!"),
    (REFERENCE, UNMEASURED): Text("无法与学籍照片比对（新照片中未测得人脸）", "Could not compare with the enrolment photo"),
    (PREVIOUS, "same"): Text("与上一版照片为同一人", "Same person as the previous photo"),
    (PREVIOUS, "uncertain"): Text("与上一版照片不能确定是同一人：请核对本人", "Not sure it is the person of the previous photo: check"),
    (PREVIOUS, "different"): Text("与上一版照片不是同一人！", "Not the person of the previous photo!"),
    (PREVIOUS, UNMEASURED): Text("无法与上一版照片比对", "Could not compare with the previous photo"),
}


@dataclass(frozen=True)
class Evidence:
    """What the new face is compared with, read on the session's thread at the shutter."""

    reference: np.ndarray | None = None  # the reference photo's cached embedding
    reference_photo: bytes | None = None  # shown beside the new photo
    previous_photo: bytes | None = None  # the registered photo a retake replaces


@dataclass(frozen=True)
class IdentityCheck:
    against: str  # REFERENCE or PREVIOUS
    photo: bytes  # what the new photo was compared with
    verdict: Verdict | None  # None: no single face could be measured in one of the two

    @property
    def level(self) -> str:
        return self.verdict.level if self.verdict else UNMEASURED

    @property
    def said(self) -> Text:
        return SAID[(self.against, self.level)]

    def to_json(self) -> dict[str, object]:
        return {"against": self.against, "level": self.level,
                "score": round(self.verdict.score, 4) if self.verdict else None}


def gather(station: Station, station_key: bytes, student_no: str, previous_photo: bytes | None) -> Evidence:
    embedding = reference_embedding(station.db, student_no, station_key)
    shown = reference_photo(station, student_no, station_key) if embedding is not None else None
    return Evidence(embedding, shown, previous_photo)


class IdentityChecker:
    """Loads the face models on first use, on the thread that uses them (the shutter's worker)."""

    def __init__(self) -> None:
        self._embedder: FaceEmbedder | None = None

    def check(self, evidence: Evidence, photo_jpeg: bytes | None) -> tuple[IdentityCheck, ...]:
        if photo_jpeg is None or (evidence.reference is None and evidence.previous_photo is None):
            return ()
        new = self._embed(photo_jpeg)
        checks = []
        if evidence.reference is not None:
            verdict = compare(new, evidence.reference) if new is not None else None
            checks.append(IdentityCheck(REFERENCE, evidence.reference_photo or b"", verdict))
        if evidence.previous_photo is not None:
            old = self._embed(evidence.previous_photo)
            verdict = compare(new, old) if new is not None and old is not None else None
            checks.append(IdentityCheck(PREVIOUS, evidence.previous_photo, verdict))
        return tuple(checks)

    def _embed(self, jpeg: bytes) -> np.ndarray | None:
        image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            return None
        if self._embedder is None:
            self._embedder = FaceEmbedder()
        try:
            return self._embedder.embed(image).vector
        except FaceProblem:
            return None


def needs_reason(checks: tuple[IdentityCheck, ...]) -> bool:
    """A photo whose face is another person's is accepted only with a recorded reason."""
    return any(check.level == "different" for check in checks)


def recorded(checks: tuple[IdentityCheck, ...], reason: str) -> str:
    """What the register keeps of the comparison (JSON; '' when nothing was compared)."""
    if not checks:
        return ""
    return json.dumps({"checks": [c.to_json() for c in checks], "reason": reason}, ensure_ascii=False)
