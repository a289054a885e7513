"""Which captures' identity is in doubt (身份核验), and the registrar's word on one: looked, and it is the student.

A doubt is a station's verdict (uncertain, different, a swap) or the server's swap check. A registered photo in doubt
is held back from the CHSI batch until the registrar confirms it on the page (or names it to export-chsi); the
confirmation is about that capture only: a retake's new photo is a new question.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from station.i18n import Text
from station.adapters.server.intake import UID, Refused
from station.adapters.server.store import Confirmation, MetaStore, Upload, in_capture_order, utc_now
from station.identity.swaps import is_enrolment_photos_person

NAME_LIMIT = 40  # characters of 核对人: a name, perhaps with a title
NOTE_LIMIT = 200  # characters of the note: a sentence, not a report

NO_SUCH_PHOTO = Text("没有这张照片（编号 {uid}）。", "There is no photo {uid}.")
NOT_IN_DOUBT = Text("这张照片的身份没有疑问，无需核对。", "This photo's identity is not in doubt; there is nothing to confirm.")
REPLACED = Text("这张照片已被重拍替换，无需核对；请核对新照片。",
                "This photo has been replaced by a retake; there is nothing to confirm. Check the new photo.")
NAME_NEEDED = Text("请填写{who}（1 到 {limit} 个字）。", "Say {who} (1 to {limit} characters).")
CHECKER = Text("核对人", "who checked it")
WITHDRAWER = Text("撤销人", "who withdraws the confirmation")
NOTE_TOO_LONG = Text("备注最多 {limit} 个字。", "The note is at most {limit} characters.")


@dataclass(frozen=True)
class Doubt:
    """A capture whose identity is in doubt: the station's verdict, or the server's swap check."""

    upload: Upload
    said: str  # what was found, in words
    reason: str  # the photographer's recorded reason ('' when none)
    other_uid: str = ""  # the capture on this server the face also matches ('' when none held here)
    other_reference: str = ""  # or the student whose reference photo (held here) it matches
    other_said: str = ""  # whose photo that is, in words, said under it (本人学籍照片, 林晓雯（2021010101）的照片)


AGAINST = {"reference": "与学籍照片", "previous": "与上一版照片"}
OWN = {"reference": "本人学籍照片", "previous": "本人上一版照片"}
LEVEL_SAID = {"same": "为同一人", "uncertain": "不能确定", "different": "不是同一人", "unmeasured": "未能比对"}
DOUBTFUL = ("uncertain", "different")


def _replaced(uploads: Iterable[Upload], retake: Upload) -> str:
    """The uid of the student's newest capture before this retake (the photo its face was compared with), or '', in
    the store's capture order (one station's own versions decide between its captures: two uploads' measured clock
    offsets differ by the network's milliseconds, which once put a retake before the photo it replaces)."""
    own = [u.uid for u in in_capture_order([u for u in uploads if u.student_no == retake.student_no])]
    at = own.index(retake.uid)
    return own[at - 1] if at else ""


def identity_doubts(store: MetaStore) -> tuple[list[Doubt], list[Doubt]]:
    """(the stations' verdicts that are uncertain or different, swaps included; the server's suspected swaps)."""
    uploads = {u.uid: u for u in store.uploads()}
    names = {s["student_no"]: s["name"] for s in store.students()}
    stations = []
    for upload in uploads.values():
        record = json.loads(upload.identity) if upload.identity else {"checks": []}
        # a retake that is the enrolment photo's person: the photo it replaced was the wrong one, not this one
        # (station.capture.identity_check.outweigh)
        own_face = is_enrolment_photos_person(record["checks"])
        for check in record["checks"]:
            if check["level"] not in DOUBTFUL or (check["against"] == "previous" and own_face):
                continue
            if check["against"] == "swap":
                other = check["student_no"]
                what = "学籍照片" if check["source"] == "reference" else "照片"
                whose = f"{names.get(other, '')}（{other}）的{what}"
                said = f"这张脸与{whose}为同一人"
            else:
                whose = OWN[check["against"]]
                said = AGAINST[check["against"]] + LEVEL_SAID[check["level"]]
            score = "" if check["score"] is None else f"（{check['score']:.2f}）"
            reference = upload.student_no if check["against"] == "reference" else (
                check["student_no"] if check.get("source") == "reference" else "")  # the student's own, or another's
            other = check.get("uid", "") if check.get("uid") in uploads else ""
            if check["against"] == "previous":
                other = _replaced(uploads.values(), upload)
            stations.append(Doubt(upload, said + score, record["reason"], other, reference, whose))
    server = []
    for f in store.faces():  # a suspect without a uid is another student's reference photo
        if f.suspect_student_no and f.uid in uploads:
            what = "照片" if f.suspect_uid else "学籍照片"
            whose = f"{names.get(f.suspect_student_no, '')}（{f.suspect_student_no}）的{what}"
            server.append(Doubt(uploads[f.uid], f"这张脸与{whose}为同一人（{f.score:.2f}）", "", f.suspect_uid,
                                "" if f.suspect_uid else f.suspect_student_no, whose))
    return stations + _carried_to_retakes(uploads, stations + server, store.confirmations().keys()), server


def _carried_to_retakes(uploads: dict[str, Upload], doubts: list[Doubt], confirmed: Collection[str]) -> list[Doubt]:
    """A retake its station found to be the same person as the photo it replaced, when that photo's identity was in
    doubt and nobody confirmed it, is in the same doubt. Otherwise a swap retaken (closed eyes) with the same wrong
    face passed: the retake matched only its own first photo, and that photo, 已被重拍替换, asked nothing any more,
    so the wrong face went to CHSI (seen on the registrar walk). Along a chain of retakes, in capture order; a retake
    that is its enrolment photo's person is the student's own face and ends it."""
    found: dict[str, list[str]] = {}
    for d in doubts:
        found.setdefault(d.upload.uid, []).append(d.said)
    carried = []
    for upload in in_capture_order(list(uploads.values())):
        checks = json.loads(upload.identity)["checks"] if upload.identity else []
        same = [c for c in checks if c["against"] == "previous" and c["level"] == "same"]
        if not same or is_enrolment_photos_person(checks):
            continue
        previous = _replaced(uploads.values(), upload)
        if previous not in found or previous in confirmed:
            continue
        score = "" if same[0]["score"] is None else f"（{same[0]['score']:.2f}）"
        said = f"与上一版照片为同一人{score}，上一版存疑：{together(found[previous])}"
        found.setdefault(upload.uid, []).extend(found[previous])
        carried.append(Doubt(upload, said, json.loads(upload.identity)["reason"], previous, "", OWN["previous"]))
    return carried


def said_of_doubted(store: MetaStore) -> dict[str, str]:
    """Every capture the identity page lists: uid -> everything found of it, each finding once. A face unlike the
    student's enrolment photo may also be another student's: export-chsi's note and index.csv name both, or the
    registrar would release an old enrolment photo's doubt without seeing the swap."""
    found: dict[str, list[str]] = {}
    for doubt in (d for doubts in identity_doubts(store) for d in doubts):
        found.setdefault(doubt.upload.uid, []).append(doubt.said)
    return {uid: together(said) for uid, said in found.items()}


def together(findings: list[str]) -> str:
    """Findings in one line, each said once (a station and the server may find the same swap in the same words)."""
    return "；".join(dict.fromkeys(findings))


def open_doubts(store: MetaStore) -> dict[str, str]:
    """The registered photos still in doubt (not confirmed): what the overview counts as 待核对. A photo a retake
    has replaced is left to its retake."""
    current = {u.uid for u in store.registered().values()}
    confirmed = store.confirmations()
    return {uid: said for uid, said in said_of_doubted(store).items() if uid in current and uid not in confirmed}


def _doubted(store: MetaStore, uid: str) -> Upload:
    """The capture, refused unless the identity page lists it."""
    upload = store.get_upload(uid) if UID.match(uid) else None
    if upload is None:
        raise Refused(404, NO_SUCH_PHOTO.format(uid=uid[:40]))
    if uid not in said_of_doubted(store):
        raise Refused(409, NOT_IN_DOUBT)
    return upload


def _one_line(text: str) -> str:
    """What a person typed, on one line (control characters and runs of spaces become one space)."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _name(typed: str, who: Text) -> str:
    """Who did it, as typed: required (the sign-in is one shared account, so only the page can say who)."""
    name = _one_line(typed)
    if not 0 < len(name) <= NAME_LIMIT:
        raise Refused(422, NAME_NEEDED.format(who=who, limit=NAME_LIMIT))
    return name


def confirm(store: MetaStore, uid: str, confirmed_by: str, note: str) -> None:
    """Record that the registrar looked and it is the student. A second confirmation of one photo (a double click)
    changes nothing: the first word stands."""
    upload = _doubted(store, uid)
    if store.registered().get(upload.student_no) != upload:
        raise Refused(409, REPLACED)
    confirmed_by, note = _name(confirmed_by, CHECKER), _one_line(note)
    if len(note) > NOTE_LIMIT:
        raise Refused(422, NOTE_TOO_LONG.format(limit=NOTE_LIMIT))
    store.confirm_identity(Confirmation(uid, confirmed_by, utc_now(), note))


def undo(store: MetaStore, uid: str, withdrawn_by: str) -> None:
    """Withdraw a mistaken confirmation: the photo is in doubt again (held back from export), and the page keeps
    saying who confirmed it and who withdrew it. Undoing one that is not confirmed (a double click) changes nothing."""
    _doubted(store, uid)
    store.undo_confirmation(uid, _name(withdrawn_by, WITHDRAWER), utc_now())
