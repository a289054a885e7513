"""Is the face in the new photo this student's? Compared at the shutter with the student's reference photo (the
school's enrolment or ID photo, `photo-station roster photos`), for a retake with the photo it replaces, and with
every other student's reference photo and capture at this station (a swap: station.identity.swaps).

The verdicts are station.identity's: same person, uncertain (the photographer should look), different person
(the photo is not accepted without a recorded reason). What the comparison needs from the database and the
station key is gathered on the session's thread when the shutter is pressed (`gather`); the faces are measured
on the shutter's worker thread (`IdentityChecker`), once the CHSI photo is made; the other student a
swapped face belongs to is named, and their photo read, back on the session's thread (`named`). The new face's
embedding is computed once, here, and kept with the capture when it is accepted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from station.context import Station
from station.errors import ModelFileError, StationError
from station.i18n import Name, Text
from station.identity.capture_faces import current_face
from station.identity.embedder import JpegFaces
from station.identity.reference_store import reference_embedding, reference_photo
from station.identity.swaps import CAPTURE, FaceGallery, Suspect, find_swap
from station.identity.verify import Verdict, compare
from station.roster.store import get_student

REFERENCE, PREVIOUS, SWAP = "reference", "previous", "swap"
UNMEASURED = "unmeasured"
SAID = {
    (REFERENCE, "same"): Text("与学籍照片为同一人", "Same person as the enrolment photo"),
    (REFERENCE, "uncertain"): Text("与学籍照片不能确定是同一人：请核对本人", "Not sure it is the person in the enrolment photo: check their ID"),
    (REFERENCE, "different"): Text("与学籍照片不是同一人！", "Does not match the enrolment photo!"),
    (REFERENCE, UNMEASURED): Text("无法与学籍照片比对（新照片中未测得人脸）", "Could not compare with the enrolment photo"),
    (PREVIOUS, "same"): Text("与上一版照片为同一人", "Same person as the previous photo"),
    (PREVIOUS, "uncertain"): Text("与上一版照片不能确定是同一人：请核对本人", "Not sure it is the person in the previous photo: check their ID"),
    (PREVIOUS, "different"): Text("与上一版照片不是同一人！", "Not the person in the previous photo!"),
    (PREVIOUS, UNMEASURED): Text("无法与上一版照片比对", "Could not compare with the previous photo"),
}
# said under 与学籍照片为同一人; the previous photo "different" or only "uncertain" (blurred, turned) alike
OUTWEIGHED = Text("与上一版照片不一致（上一版可能拍错了人或不清晰）",
                  "Unlike the previous photo (which was perhaps someone else, or unclear)")
# why no face is compared, short enough for the live identity line beside the name (the file's path is in the log)
MODELS_UNUSABLE = {
    True: Text("无法比对人脸：缺少模型文件", "No face comparison: model file missing"),
    False: Text("无法比对人脸：模型文件已损坏", "No face comparison: model file damaged"),
}
SWAP_SAID = {  # by where the other student's face comes from
    CAPTURE: Text("这张脸已作为{name}（{no}）拍摄过！", "This face was already photographed as {name} ({no})!"),
    REFERENCE: Text("这张脸是{name}（{no}）学籍照片上的人！", "This face is on the enrolment photo of {name} ({no})!"),
}
SWAP_CAPTION = Text("{name}的照片（{no}）", "{name} ({no})")  # 的照片 kept with the name where it wraps
DIFFERENT_ASK = Text("照片中的人与学籍照片（或上一版照片）不是同一人。\n请核对证件：确是本人才保存，并填写原因（将被记录）：",
                     "This is not the person in the enrolment (or previous) photo.\nCheck their ID: save only if "
                     "it really is them, and give the reason (recorded):")
SWAP_ASK = Text("{said}\n请核对证件：确是本人（例如双胞胎）才保存，并填写原因（将被记录）：",
                "{said}\nCheck their ID: save only if it really is them (twins, say), and give the reason (recorded):")
# whose: beside another student's photo (a swap), a bare 学籍照片 was read as hers
REFERENCE_CAPTION = Text("{name}的学籍照片", "{name} (enrolment)")  # as short as SWAP_CAPTION: one line each
PREVIOUS_CAPTION = Text("{name}的上一版照片", "{name} (previous)")


@dataclass(frozen=True)
class Evidence:
    """What the new face is compared with, read on the session's thread at the shutter."""

    reference: np.ndarray | None = None  # the reference photo's cached embedding
    reference_photo: bytes | None = None  # shown beside the new photo
    previous_photo: bytes | None = None  # the registered photo a retake replaces
    previous_face: np.ndarray | None = None  # its cached embedding (None: embedded from the photo at the shutter)
    student_no: str = ""  # whom the photo is for
    faces: FaceGallery | None = None  # every reference photo and capture at this station, for swaps


@dataclass(frozen=True)
class IdentityCheck:
    against: str  # REFERENCE, PREVIOUS or SWAP
    photo: bytes  # what the new photo was compared with (for a swap: read on the session's thread, `named`)
    verdict: Verdict | None  # None: no single face could be measured in one of the two
    suspect: Suspect | None = None  # a swap: the other student's stored face
    name: str = ""  # a swap: the other student's name
    # a retake's doubt about the photo it replaces, where the new face is the enrolment photo's person: the photo
    # replaced was the wrong one (照片不是我本人 is why students are retaken), so it asks nothing (see outweigh)
    outweighed: bool = False
    why: Text | None = None  # nothing compared, for a reason of the station's own (its face models cannot load)

    @property
    def level(self) -> str:
        return self.verdict.level if self.verdict else UNMEASURED

    @property
    def said(self) -> Text:
        if self.suspect is not None:
            face = self.suspect.face
            return SWAP_SAID[face.source].format(name=Name(self.name) if self.name else face.student_no,
                                                 no=face.student_no)
        if self.why is not None:
            return self.why
        return OUTWEIGHED if self.outweighed else SAID[(self.against, self.level)]

    def to_json(self) -> dict[str, object]:
        recorded = {"against": self.against, "level": self.level,
                    "score": round(self.verdict.score, 4) if self.verdict else None}
        if self.suspect is not None:
            face = self.suspect.face
            recorded.update(student_no=face.student_no, source=face.source, uid=face.ref,
                            own_score=None if self.suspect.own_score is None else round(self.suspect.own_score, 4))
        return recorded


@dataclass(frozen=True)
class IdentityResult:
    checks: tuple[IdentityCheck, ...] = ()
    face: np.ndarray | None = None  # the new photo's embedding, kept with the capture once accepted


def gather(station: Station, station_key: bytes, student_no: str, previous_photo: bytes | None) -> Evidence:
    """The faces kept of the enrolment photo and of the photo a retake replaces are compared even when their files
    cannot be read (a data folder copied without references/, a damaged capture): only the picture beside the new one
    is missing."""
    embedding = reference_embedding(station.db, student_no, station_key)
    shown = _reference(station, student_no, station_key) if embedding is not None else None
    # the face kept of the photo a retake replaces: compared also when that photo's file can no longer be read
    return Evidence(embedding, shown, previous_photo, current_face(station.db, student_no, station_key), student_no)


def named(checks: tuple[IdentityCheck, ...], station: Station, station_key: bytes,
          capture_photo: Callable[[str], bytes | None]) -> tuple[IdentityCheck, ...]:
    """The swap checks with the other student's name and photo (their reference photo, or their capture read by
    `capture_photo(uid)`), on the session's thread, which owns the database."""
    shown = []
    for check in checks:
        if check.suspect is not None:
            face = check.suspect.face
            student = get_student(station.db, face.student_no)
            photo = capture_photo(face.ref) if face.source == CAPTURE else _reference(station, face.student_no,
                                                                                       station_key)
            check = replace(check, photo=photo or b"", name=student.name if student else "")
        shown.append(check)
    return tuple(shown)


def _reference(station: Station, student_no: str, station_key: bytes) -> bytes | None:
    try:
        return reference_photo(station, student_no, station_key)
    except (OSError, ValueError, StationError):
        return None  # a damaged or missing reference photo: the comparison is still said, without the picture


def beside(checks: tuple[IdentityCheck, ...], student: str, room: int = 2) -> list[tuple[bytes, Text]]:
    """The photos review shows beside the new one, with their captions, most telling first, at most `room`: the other
    student's for a swap (their face beside this one), the enrolment photo of `student` (the name the photo is for:
    is it this person?), the photo a retake replaces."""
    order = {SWAP: 0, REFERENCE: 1, PREVIOUS: 2}
    shown = []
    for check in sorted((c for c in checks if c.photo), key=lambda c: order[c.against]):
        if check.suspect is not None:
            face = check.suspect.face
            name = Name(check.name) if check.name else face.student_no
            shown.append((check.photo, SWAP_CAPTION.format(name=name, no=face.student_no)))
        else:
            caption = REFERENCE_CAPTION if check.against == REFERENCE else PREVIOUS_CAPTION
            shown.append((check.photo, caption.format(name=Name(student))))
    return shown[:room]


class IdentityChecker:
    """Loads the face models on first use, on the thread that uses them (the shutter's worker thread)."""

    def __init__(self) -> None:
        self._embed = JpegFaces().vector

    def check(self, evidence: Evidence, photo_jpeg: bytes | None) -> IdentityResult:
        if photo_jpeg is None:
            return IdentityResult()
        try:
            new = self._embed(photo_jpeg)  # always: the capture joins the day's gallery once accepted
        except ModelFileError as exc:  # the photo is still taken; its review says nothing was compared, and why
            return IdentityResult((IdentityCheck(REFERENCE, b"", None, why=MODELS_UNUSABLE[exc.missing]),))
        checks = []
        if evidence.reference is not None:
            verdict = compare(new, evidence.reference) if new is not None else None
            checks.append(IdentityCheck(REFERENCE, evidence.reference_photo or b"", verdict))
        if evidence.previous_photo is not None or evidence.previous_face is not None:
            old = evidence.previous_face if evidence.previous_face is not None else self._embed(evidence.previous_photo)
            verdict = compare(new, old) if new is not None and old is not None else None
            checks.append(IdentityCheck(PREVIOUS, evidence.previous_photo or b"", verdict))
        suspect = find_swap(new, evidence.faces, evidence.student_no) if new is not None and evidence.faces else None
        if suspect is not None:
            checks.append(IdentityCheck(SWAP, b"", Verdict(suspect.score, "different"), suspect))
        return IdentityResult(outweigh(tuple(checks)), new)


def outweigh(checks: tuple[IdentityCheck, ...]) -> tuple[IdentityCheck, ...]:
    """A retake whose face is the enrolment photo's person (same) and not the replaced photo's: the enrolment photo
    outweighs the station's own earlier photo, which was the wrong one; that doubt asks nothing and blocks nothing.
    It is still recorded as measured (the server reads the same rule off the record)."""
    if not any(check.against == REFERENCE and check.level == "same" for check in checks):
        return checks
    return tuple(replace(check, outweighed=True) if check.against == PREVIOUS and check.level in ("uncertain",
                                                                                                   "different")
                 else check for check in checks)


def reason_question(checks: tuple[IdentityCheck, ...]) -> Text:
    """What the photographer is asked before a photo of another person's face is saved: a swap names the other
    student."""
    swap = next((check for check in checks if check.suspect is not None), None)
    return SWAP_ASK.format(said=swap.said) if swap else DIFFERENT_ASK


def needs_reason(checks: tuple[IdentityCheck, ...]) -> bool:
    """A photo whose face is another person's (or another student's: a swap) is accepted only with a recorded
    reason."""
    return any(check.level == "different" and not check.outweighed for check in checks)


# the verdicts from the one that matters most to the one that matters least: "could not compare" is worth a look,
# but less than a face that may be someone else's
SEVERITY = ("different", "uncertain", UNMEASURED, "same")


def worst_level(checks: tuple[IdentityCheck, ...]) -> str | None:
    """The level the review's identity verdict is shown at: its most serious check's (None: nothing compared)."""
    levels = {check.level for check in checks if not check.outweighed}
    return next((level for level in SEVERITY if level in levels), None)


def recorded(checks: tuple[IdentityCheck, ...], reason: str) -> str:
    """What the register keeps of the comparison (JSON; '' when nothing was compared)."""
    if not checks:
        return ""
    return json.dumps({"checks": [c.to_json() for c in checks], "reason": reason}, ensure_ascii=False)
