"""The capture flow as a state machine, so every rule of it lives here and not in widgets.

WAITING (nobody identified) -> LIVE (a student in front of the camera) -> REVIEW (a photo
taken, student and photographer look at it together) -> accept: saved, back to WAITING;
or reject: LIVE again at once. A student already photographed needs a retake reason
before the shutter is allowed; a frame that fails the checks needs an override reason.
"""

from __future__ import annotations

import enum
import logging
import sqlite3
import time
from dataclasses import dataclass, replace

import cv2
import numpy as np

from station.camera.source import STATE_TEXT, CameraState, Frame
from station.audit.trail import Action, AuditTrail
from station.storage.captures import CaptureStore, CaptureVersion, status as capture_status
from station.storage.envelope import EnvelopeError
from station.capture.identity_check import (
    Evidence, IdentityCheck, IdentityChecker, gather, named, needs_reason, recorded,
)
from station.capture.reasons import scanned_code
from station.chsi.crop import CropPlan
from station.chsi.jpeg import TOO_GRAINY
from station.chsi.pipeline import ChsiPipeline, ChsiResult
from station.chsi.profiles import selected_spec
from station.chsi.spec import SPEC
from station.compliance.calibration import backdrop_file
from station.compliance.engine import ComplianceEngine
from station.compliance.policy import Policy
from station.compliance.results import FAIL, Analysis
from station.compliance.standing import standing
from station.context import Station
from station.errors import StationError
from station.fees.amounts import yuan
from station.fees.ledger import payment_required
from station.fees.settings import load_settings
from station.i18n import Name, Text
from station.identify.identify import Identification, Outcome, identify, identify_number
from station.identity.capture_faces import gallery_stamp, remember_face, station_gallery
from station.identity.swaps import CAPTURE, FaceGallery, StoredFace, speaks_for_student
from station.roster.store import Student, get_student
from station.storage.server_link import NOT_CONFIGURED, load_link
from station.storage.outbox import queue_health

ORIGINAL_QUALITY = 95  # the full-resolution original kept beside the CHSI photo
UPRIGHT_ROLL_DEG = 30.0  # a face rolled more than this may be a sideways camera: the pipeline looks for upright
log = logging.getLogger(__name__)


class Step(enum.Enum):
    WAITING = "waiting"
    LIVE = "live"
    REVIEW = "review"


@dataclass(frozen=True)
class ShutterRequest:
    """A shutter press that passed the immediate checks: exactly the frame on screen, for this student, and what
    the student's face is to be compared with."""

    student_no: str
    frame: Frame
    evidence: Evidence = Evidence()
    turn: int = 0  # the student's turn at the camera it was pressed in (CaptureWorkflow.turn)


@dataclass(frozen=True)
class Measured:
    """The shutter's one measurement of its frame: every check, and the CHSI photo planned from the same face,
    landmarks and crop plan. An override takes this again; nothing is measured twice."""

    request: ShutterRequest
    analysis: Analysis
    chsi: ChsiResult
    original_jpeg: bytes
    identity: tuple[IdentityCheck, ...] = ()  # the new face against the reference photo and the photo it replaces
    face: np.ndarray | None = None  # the new face's embedding


@dataclass(frozen=True)
class Shot:
    """A photo waiting for the photographer's and the student's confirmation."""

    student: Student
    frame_id: int
    chsi_jpeg: bytes
    original_jpeg: bytes
    analysis: Analysis
    override_reason: str
    retake_reason: str
    identity: tuple[IdentityCheck, ...] = ()
    face: np.ndarray | None = None  # kept with the capture, for the swaps of the rest of the day

    @property
    def questions(self) -> tuple[str, ...]:
        """The checks that asked the photographer to look when the photo was taken (recorded with it)."""
        return tuple(check for check, _ in self.analysis.questions)


@dataclass(frozen=True)
class ShutterRefused:
    message: Text
    problems: list[Text]  # the failing checks' instructions; empty when the refusal is not about the checks
    student_no: str | None = None  # whose frame was refused: an override holds for this student only
    measured: Measured | None = None  # what was measured, for an override to take without measuring again
    offered_no: str | None = None  # the student whose waiting code or card it names (CaptureSession.refusal_holds)

    @property
    def can_override(self) -> bool:
        return bool(self.problems) and self.measured is not None


@dataclass(frozen=True)
class LoadedFaces:
    """The station's face gallery read off the session's thread (CaptureWorkflow.load_faces)."""

    stamp: tuple  # gallery_stamp when the read began
    gallery: FaceGallery
    remembered: int  # faces the workflow had added to its gallery by then (CaptureWorkflow.adopt_faces)


class Blocked(enum.Enum):
    """Why the shutter is refused before any picture is looked at."""

    REVIEW = "review"
    BUSY = "busy"  # the last press is still being measured
    NOBODY = "nobody"
    NEEDS_RETAKE = "needs_retake"
    NO_LIVE_PICTURE = "no_live_picture"
    NOT_LINKED = "not_linked"  # no server key to seal photos with: nothing could be saved
    UNPAID = "unpaid"  # the school takes payment before the shutter, and this student has not paid
    ANSWERING = "answering"  # a refused press's override box waits for its answer (said by CaptureSession)
    OFFERED = "offered"  # another student's code or card held up asks to switch (F4) (said by CaptureSession)


NOBODY = Text("请先扫描采集码或输入学号", "Identify the student first (scan the code or type the number)")
NEEDS_RETAKE = Text("该学生已拍摄过：如需重拍，请按 F2 或点“重拍”并填写原因",
                    "This student already has a photo: press F2 (retake) and give a reason")
CHECKS_FAILED = Text("照片不符合要求：", "Breaks the rules: ")
NO_LIVE_PICTURE = Text("相机没有实时画面（{state}），不能拍照：请检查相机连接",
                       "The camera has no live picture ({state}); no photo can be taken: check the camera")
UNPAID = Text("{name}尚未缴费（每套 {price} 元）：本校要求先缴费再拍照，请先登记缴费（F6）",
              "{name} has not paid (a set is {price} yuan): this school takes payment before the photo; record "
              "the payment first (F6)")
BUSY = Text("正在处理上一张，请稍候", "Still processing the last press: a moment")
NO_FRESH_FRAME = Text("画面还没有更新，请稍候再按快门", "The picture has not been updated yet; press the shutter again")
NOT_THE_SAME_PERSON = Text("照片中的人与学籍照片（或上一版照片）不是同一人：确认是本人时请填写原因后再保存",
                           "This is not the person in the enrolment (or previous) photo: give a reason to save it "
                           "if it really is them")
NOT_IN_REVIEW = Text("没有待确认的照片", "There is no photo waiting for confirmation")
# An accept this soon after the photo appeared is the second half of a double press, not a decision: the student
# has not looked at it yet.
REVIEW_AT_LEAST = 0.8
FINISH_REVIEW = Text("请先确认保存（回车）或再拍一张（Esc）", "Accept (Enter) or shoot again (Esc) first")
NOTHING_TO_RETAKE = Text("{name}还没有拍过照片，无需重拍：请直接按{keys}拍照",
                         "{name} has no photo yet, so there is nothing to retake: press {keys} to shoot")
RETAKE_BEGUN = Text("{name}的重拍已经开始：请按{keys}拍照", "{name}'s retake has begun: press {keys} to shoot")
# The keys those two name: Enter is no shutter while a refused code's Enter is held (CaptureSession.enter_shoots).
SHUTTER_KEYS = Text("空格或回车", "Space or Enter")
SPACE_KEY = Text("空格键", "Space")
STUDENT_CHANGED = Text("填写原因期间扫描了另一名学生，没有拍照：请核对当前学生后重新按快门",
                       "Another student was scanned while the reason was being entered; nothing was taken: check the "
                       "student on the card and press the shutter again")
IDENTIFIED_AGAIN = Text("拍照期间又识别了一次{name}（重新开始，重拍原因需重新填写），没有拍照：请核对后重新按快门",
                        "{name} was identified again while the photo was being taken (a fresh start: a retake needs "
                        "its reason again); nothing was taken: check and press the shutter again")
RETAKE_STUDENT_CHANGED = Text("填写重拍原因期间扫描了另一名学生，重拍没有开始：请核对当前学生，需要重拍时再按 F2",
                              "Another student was scanned while the retake reason was being entered; no retake was "
                              "started: check the student on the card, and press F2 again if they need one")
ROSTER_CHANGED = Text("拍摄期间名单中{name}（{no}）的信息有变（名单重新导入了）：扫描的采集码或证件现在可能对应另一名学生，"
                      "这张照片不能归入{name}。请重新扫描或输入学号核对学生后再拍",
                      "The roster entry of {name} ({no}) changed while the photo was taken (a roster was imported): the code "
                      "or card scanned may now name another student, so this photo cannot be filed as {name}. Scan "
                      "again or type the student number, then take the photo")
CLOSING_IN_REVIEW = Text("{name}的照片还没有确认保存：现在关闭，这张照片会被丢弃。",
                         "{name}'s photo has not been accepted yet: closing now drops it.")
CLOSING_UNSENT = Text(
    "还有 {n} 张照片没有上传到服务器。照片已加密保存在本机，不会丢失：下次启动工作站会继续上传；"
    "如需今天交给学校，请先用“上传 → 导出到U盘…”。",
    "{n:photo is|photos are} not on the server yet. Nothing is lost: what is not sent is saved, encrypted, on this "
    "laptop, and the station goes on uploading at its next start. To hand it over today, use Upload → Export to USB "
    "stick… first.",
)
CLOSING_FAILED = Text(
    "有 {n} 张照片上传失败，不会自动重传：原因见“上传 → 失败的上传…”，排除后可在那里重试。照片已加密保存在本机；"
    "如需今天交给学校，“上传 → 导出到U盘…”也会导出上传失败的照片。",
    "{n:photo|photos} could not be uploaded, and the station does not retry a failed upload by itself: Upload → "
    "Failed uploads… says why, and retries once that is fixed. Nothing is lost: every photo is saved, encrypted, on "
    "this laptop; to hand photos over today, Upload → Export to USB stick… takes failed ones too.",
)


class CaptureWorkflow:
    """Not thread-safe: the UI thread drives it; the engine and pipeline here are its own."""

    def __init__(self, station: Station, store: CaptureStore, operator: str,
                 engine: ComplianceEngine | None = None, pipeline: ChsiPipeline | None = None) -> None:
        self.station = station
        self.store = store
        self.operator = operator
        self.engine = engine or ComplianceEngine.load(Policy.for_station(station.home),
                                                      backdrop_file=backdrop_file(station.home))
        self.pipeline = pipeline or ChsiPipeline(selected_spec(station.home))  # the station's output profile
        self.step = Step.WAITING
        self.identification: Identification | None = None
        self.retake_reason = ""
        self.shot: Shot | None = None
        self.in_review_since = 0.0  # when the photo in review appeared (time.monotonic)
        self.pressed: ShutterRequest | None = None  # being measured, off the UI thread
        self.last_saved: str | None = None  # the student just saved, until another is identified
        self.identified_at = ""  # when the current student was identified (UTC, ISO 8601)
        self.turn = 0  # counts identifications: each one starts a student's turn afresh (no retake reason yet)
        self.identified_since = 0.0  # when the current student was identified (time.monotonic)
        self.identity = IdentityChecker()  # used on the shutter's worker thread only, like the engine and pipeline
        self._faces: tuple[tuple, FaceGallery] | None = None  # the station's face gallery, with the stamp it was read at
        self._remembered = 0  # faces of accepted photos added to the gallery in memory, ever
        self.audit = AuditTrail(station, operator)

    @property
    def student(self) -> Student | None:
        return self.identification.student if self.identification else None

    @property
    def needs_retake_reason(self) -> bool:
        found = self.identification
        return bool(found and found.outcome is Outcome.ALREADY_CAPTURED and not self.retake_reason)

    def identify(self, payload: str, by_number: bool = False) -> Identification:
        """A code typed or scanned on purpose (`by_number`: a student number picked, matched in that column alone): it
        becomes the current student at once; unknown codes leave the current student in place. Refused during
        review."""
        found = self.lookup(payload, by_number)
        if found.ok:
            self.select(found)
        return found

    def lookup(self, payload: str, by_number: bool = False) -> Identification:
        """Whom a code names, changing nothing (a code the camera saw may not switch the student by itself)."""
        if self.step is Step.REVIEW:
            raise StationError(FINISH_REVIEW)
        return identify_number(self.station.db, payload) if by_number else identify(self.station.db, payload)

    def select(self, found: Identification) -> None:
        if self.step is Step.REVIEW:
            raise StationError(FINISH_REVIEW)
        self.identification, self.retake_reason, self.step = found, "", Step.LIVE
        self.turn += 1
        self.identified_since = time.monotonic()
        self.identified_at = self.store.clock().isoformat(timespec="milliseconds")  # for the day report's timing
        self.last_saved = None  # the confirmation of the last save has been read: a new student is here
        self.audit.record(Action.IDENTIFY, found.student.student_no, outcome=found.outcome.value,
                          matched_by=found.matched_by)

    def start_retake(self, reason: str, for_student: str | None = None) -> None:
        """`for_student`: whom the reason was typed for (a scan may have changed the student meanwhile)."""
        if self.student is None:
            raise StationError(NOBODY)
        if for_student is not None and self.student.student_no != for_student:
            raise StationError(RETAKE_STUDENT_CHANGED)
        if not reason.strip():
            raise StationError(Text("重拍需要填写原因", "A retake needs a reason"))
        self._refuse_a_code(reason)
        self.retake_reason = reason.strip()
        log.info("retake started for %s by %s: %s", self.student.student_no, self.operator, self.retake_reason)
        self.audit.record(Action.RETAKE, self.student.student_no, reason=self.retake_reason)

    def _refuse_a_code(self, reason: str) -> None:
        """A reason that is a student's code or number was scanned into the reason box, not given."""
        scanned = scanned_code(self.station.db, reason)
        if scanned is not None:
            raise StationError(scanned)

    def retake_refused(self, enter_shoots: bool = True) -> Text | None:
        """Why F2 starts no retake now (None: it may: the student on the card was photographed before and no reason
        has been given yet). A key that did nothing said nothing (first-run walk, finding 21). `enter_shoots`: the
        way on names Enter only where Enter is the shutter."""
        if self.step is Step.REVIEW:
            return FINISH_REVIEW
        if self.pressed is not None:
            return BUSY
        if self.student is None:
            return NOBODY
        if self.needs_retake_reason:
            return None
        return (RETAKE_BEGUN if self.retake_reason else NOTHING_TO_RETAKE).format(
            name=Name(self.student.name), keys=SHUTTER_KEYS if enter_shoots else SPACE_KEY)

    def shutter_blocked(self, camera: CameraState) -> Blocked | None:
        """Why the shutter may not be pressed now (None: it may). The button shows it greyed with this reason,
        since a message further up may already have been replaced by the time the photographer looks."""
        if self.step is Step.REVIEW:
            return Blocked.REVIEW
        if self.pressed is not None:
            return Blocked.BUSY
        if self.student is None:
            return Blocked.NOBODY
        if self.needs_retake_reason:
            return Blocked.NEEDS_RETAKE
        if payment_required(self.station.db, self.student.student_no):
            return Blocked.UNPAID
        if camera is not CameraState.LIVE:
            return Blocked.NO_LIVE_PICTURE
        if not load_link(self.station.db).can_encrypt:  # said before a photo is taken, not when it is saved
            return Blocked.NOT_LINKED
        return None

    def press(self, frame: Frame | None, camera: CameraState) -> ShutterRequest | ShutterRefused:
        """The shutter on exactly `frame` (the one on screen), while the camera is live. A frozen or unplugged
        camera leaves its last picture on screen, which may show the student before: that is never taken.
        The request carries what the new face will be compared with (read here, on the thread that owns the
        database), and is then measured (`measure`, off the UI thread) and taken (`take`). The window, a tethered
        camera and `photo-station capture` all press here, so none of them files a face unverified."""
        blocked = self.shutter_blocked(camera)
        if blocked is not None:
            reasons = {Blocked.REVIEW: FINISH_REVIEW, Blocked.BUSY: BUSY, Blocked.NOBODY: NOBODY,
                       Blocked.NEEDS_RETAKE: NEEDS_RETAKE, Blocked.NOT_LINKED: NOT_CONFIGURED,
                       Blocked.NO_LIVE_PICTURE: NO_LIVE_PICTURE.format(state=STATE_TEXT[camera])}
            if blocked is Blocked.UNPAID:
                reasons[blocked] = UNPAID.format(name=Name(self.student.name),
                                                 price=yuan(load_settings(self.station.db).price_fen))
            return ShutterRefused(reasons[blocked], [])
        if frame is None:  # e.g. the camera is back but no new picture has reached the screen yet
            return ShutterRefused(NO_FRESH_FRAME, [])
        self.pressed = ShutterRequest(self.student.student_no, frame, self._evidence(), self.turn)
        return self.pressed

    def previous_photo(self, student_no: str) -> bytes | None:
        """The registered photo a retake replaces, for review beside the new one (None: none, or damaged)."""
        status = capture_status(self.station.db, student_no)
        if not status.captured:
            return None
        try:
            return self.store.load_for_review(student_no, status.versions)
        except (StationError, EnvelopeError):
            return None  # a damaged older copy must not block the new photo

    def _evidence(self) -> Evidence:
        """What the new face will be compared with; a reference that cannot be read compares with nothing."""
        student_no = self.student.student_no
        previous = self.previous_photo(student_no)
        try:
            evidence = gather(self.station, self.store.key.key, student_no, previous)
        except (StationError, EnvelopeError, OSError, ValueError) as exc:
            log.warning("reference photo of %s not usable: %s", student_no, exc)
            evidence = Evidence(previous_photo=previous, student_no=student_no)
        try:
            return replace(evidence, faces=self.face_gallery())
        except (StationError, EnvelopeError, OSError, ValueError) as exc:
            log.warning("the station's faces could not be read for swap checks: %s", exc)
            return evidence

    def measure(self, request: ShutterRequest) -> Measured:
        """Every check and the CHSI photo, from one measurement of the frame. Changes no state: it runs on the
        shutter's worker thread (the only user of this workflow's engine) while the preview goes on. The CHSI
        photo is made from the analysis's crop plan, after it, on the same thread, so that a core stays with the
        preview (made beside the checks on a thread of its own it came 20 ms sooner, but the preview then paused
        over 50 ms in 1-2 presses of 10: `scripts/benchmark_shutter.py`)."""
        # a frame that arrived turned (a tethered camera held sideways, no EXIF orientation) is measured, kept and
        # made into the CHSI photo as it stands
        found = standing(self.engine, self.pipeline, request.frame.image,
                         self.engine.analyze(request.frame.image))
        image, analysis = found.image, found.analysis
        if found.turns:
            log.info("the frame for %s arrived turned: measured turned %d degrees", request.student_no, found.degrees)
        # the checks plan the CHSI crop: a photo made by another output profile plans its own
        planned = upright_plan(analysis) if self.pipeline.spec == SPEC else None
        chsi = self.pipeline.process(image, planned=planned)
        identity = self.identity.check(request.evidence, chsi.jpeg)
        return Measured(request, analysis, chsi, encode_original(image), identity.checks, identity.face)

    def release(self, request: ShutterRequest) -> None:
        if self.pressed is request:
            self.pressed = None

    def take(self, measured: Measured, override_reason: str = "") -> Shot | ShutterRefused:
        """Hold the measured frame for review, or say why not. A frame failing a check needs a reason; the
        override holds only for the student whose frame it is (a code scanned while the reason was typed, or
        while the frame was measured, changed the student, and the frame shows the one before), and only for the
        turn it was pressed in (the student identified again meanwhile starts afresh, without a retake's reason)."""
        self.release(measured.request)
        if self.student is None or self.student.student_no != measured.request.student_no:
            return ShutterRefused(STUDENT_CHANGED, [])
        if measured.request.turn != self.turn:  # the same student identified again: a fresh turn, no retake reason
            return ShutterRefused(IDENTIFIED_AGAIN.format(name=Name(self.student.name)), [])
        if self.step is Step.REVIEW:
            return ShutterRefused(FINISH_REVIEW, [])
        if self._roster_changed(self.student):
            return ShutterRefused(ROSTER_CHANGED.format(name=Name(self.student.name), no=self.student.student_no), [])
        scanned = scanned_code(self.station.db, override_reason)
        if scanned is not None:  # nothing is overridden: the press is over, and the photographer presses again
            return ShutterRefused(scanned, [])
        analysis = measured.analysis
        problems = analysis.instructions
        failed = [check for check, _ in analysis.problems]
        if override_reason.strip() and problems:
            self.audit.record(Action.OVERRIDE, self.student.student_no, reason=override_reason.strip(), checks=failed)
        else:
            self.audit.record(Action.SHUTTER, self.student.student_no, frame_id=measured.request.frame.frame_id,
                              failed=failed, photo=measured.chsi.ok)
        if problems and not override_reason.strip():
            joined = Text("；".join(p.zh for p in problems), "; ".join(p.en for p in problems))
            message = Text(CHECKS_FAILED.zh + joined.zh, CHECKS_FAILED.en + joined.en)
            if not measured.chsi.ok:  # no photo can be made of this frame (nobody in it...): nothing to override
                if measured.chsi.refusal.reason == TOO_GRAINY:  # the camera's picture: nothing the student does mends it
                    grain = measured.chsi.refusal.text
                    message = Text(f"{message.zh}。{grain.zh}", f"{message.en}. {grain.en}")
                return ShutterRefused(message, problems)  # about the checks all the same: said while they still fail
            return ShutterRefused(message, problems, self.student.student_no, measured)
        if not measured.chsi.ok:
            return ShutterRefused(measured.chsi.refusal.text, [])
        if problems:
            log.info("checks overridden for %s by %s (%s): %s", self.student.student_no, self.operator,
                     ", ".join(check for check, _ in analysis.problems), override_reason.strip())
        identity = named(measured.identity, self.station, self.store.key.key, self._capture_photo)
        self.shot = Shot(self.student, measured.request.frame.frame_id, measured.chsi.jpeg, measured.original_jpeg,
                         analysis, override_reason.strip(), self.retake_reason, identity, measured.face)
        self.step = Step.REVIEW
        self.in_review_since = time.monotonic()
        return self.shot

    def reject(self) -> None:
        """Retake at once (Esc in review): the photo is dropped, the student stays."""
        if self.step is Step.REVIEW:
            self.shot, self.step = None, Step.LIVE
            log.info("photo of %s dropped in review: shooting again", self.student.student_no)
            self.audit.record(Action.RESHOOT, self.student.student_no)

    def accept(self, identity_reason: str = "") -> CaptureVersion:
        """Saved, encrypted and queued; the station is ready for the next student. A face that is another
        person's is saved only with `identity_reason` (recorded with the photo)."""
        if self.step is not Step.REVIEW or self.shot is None:
            raise StationError(NOT_IN_REVIEW)
        shot = self.shot
        if needs_reason(shot.identity) and not identity_reason.strip():
            raise StationError(NOT_THE_SAME_PERSON)
        self._refuse_a_code(identity_reason)
        if self._roster_changed(shot.student):
            raise StationError(ROSTER_CHANGED.format(name=Name(shot.student.name), no=shot.student.student_no))
        if identity_reason.strip():
            log.info("identity check overridden for %s by %s: %s", shot.student.student_no, self.operator,
                     identity_reason.strip())
        identity = recorded(shot.identity, identity_reason.strip())
        version = self.store.save(shot.student.student_no, shot.chsi_jpeg, shot.original_jpeg, self.operator,
                                  reason=shot.retake_reason, override_reason=shot.override_reason, identity=identity,
                                  questions=",".join(shot.questions), identified_at=self.identified_at)
        self.shot, self.identification, self.retake_reason, self.step = None, None, "", Step.WAITING
        self.last_saved = shot.student.student_no
        self.audit.record(Action.ACCEPT, shot.student.student_no, version=version.version, uid=version.uid,
                          override_reason=shot.override_reason, retake_reason=shot.retake_reason,
                          identity_reason=identity_reason.strip())
        if shot.face is not None:
            self._remember(version, shot.face, speaks_for_student(identity))
        return version

    def _roster_changed(self, student: Student) -> bool:
        """The student's name, ID number or capture code is not what it was when they were identified: a roster
        imported during the turn may have given the code or card that named them to another student (a corrected
        采集码 column), and the face at the camera is that student's."""
        now = get_student(self.station.db, student.student_no)
        return now is None or (now.name, now.id_number, now.capture_code) != (student.name, student.id_number,
                                                                              student.capture_code)

    def face_gallery(self) -> FaceGallery:
        """Every reference photo and current capture at this station, decrypted once and kept in memory (grown at
        each save, read again when reference photos were imported meanwhile). On the session's thread; the window
        has it read at start-up off that thread (`load_faces`), so the first press does not wait for it."""
        stamp = gallery_stamp(self.station.db)
        if self._faces is None or self._faces[0] != stamp:
            self._faces = (stamp, station_gallery(self.station.db, self.store.key.key))
        return self._faces[1]

    def load_faces(self) -> LoadedFaces | None:
        """The face gallery read and decrypted (10,000 envelopes: 0.15 CPU-s, 0.5 s on a busy machine) on the
        calling thread, through a database connection of its own; `adopt_faces` takes it on the session's thread.
        None when it cannot be read (logged): the first press then tries again, and says why."""
        remembered = self._remembered  # before the read: a face saved from here on may be missing from it
        try:
            with self.station.for_this_thread() as reader:
                stamp = gallery_stamp(reader.db)  # read first: an import meanwhile makes the next press read again
                return LoadedFaces(stamp, station_gallery(reader.db, self.store.key.key), remembered)
        except (StationError, EnvelopeError, OSError, ValueError, sqlite3.Error) as exc:
            log.warning("the station's faces could not be read ahead of the first press: %s", exc)
            return None

    def adopt_faces(self, loaded: LoadedFaces | None) -> None:
        """Keep a gallery read off the session's thread in place of none, or of one read before reference photos
        were imported (another stamp), unless a face was saved since the read began (the one kept has it)."""
        if loaded is None or (self._faces is not None and (self._faces[0] == loaded.stamp
                                                           or self._remembered != loaded.remembered)):
            return
        self._faces = (loaded.stamp, loaded.gallery)

    def _remember(self, version: CaptureVersion, face: np.ndarray, vouches: bool) -> None:
        """The accepted capture's face joins the gallery (`vouches`: it may stand for its student's face, swaps'
        rule); the photo is saved already, so a failure here only costs this face's part in later comparisons
        (logged)."""
        try:
            remember_face(self.station.db, version.uid, version.student_no, face, self.store.key.key)
        except (StationError, OSError, sqlite3.Error) as exc:
            log.warning("face of %s v%d not kept for swap checks: %s", version.student_no, version.version, exc)
            return
        self._remembered += 1
        if self._faces is not None:
            stamp, faces = self._faces
            self._faces = (stamp, faces.with_face(StoredFace(version.student_no, CAPTURE, version.uid, vouches), face))

    def _capture_photo(self, uid: str) -> bytes | None:
        """A capture of this station by uid, for review beside a face it matches (None: gone or damaged)."""
        row = self.station.db.execute("SELECT student_no, version FROM captures WHERE uid = ?", [uid]).fetchone()
        try:
            return self.store.load_for_review(row[0], row[1]) if row else None
        except (StationError, OSError):
            return None

    def closing_warnings(self) -> list[Text]:
        """What the photographer must know before the station is closed: a photo that closing would drop,
        and photos still waiting for the server (safe, but not yet handed over)."""
        warnings = []
        if self.step is Step.REVIEW and self.shot is not None:
            warnings.append(CLOSING_IN_REVIEW.format(name=Name(self.shot.student.name)))
        health = queue_health(self.station.db)
        if health.waiting + health.sending:
            warnings.append(CLOSING_UNSENT.format(n=health.waiting + health.sending))
        if health.failed:
            warnings.append(CLOSING_FAILED.format(n=len(health.failed)))
        return warnings

    def close(self) -> None:
        self.engine.close()
        self.pipeline.close()


def upright_plan(analysis: Analysis) -> CropPlan | None:
    """The analysis's crop plan, when the CHSI pipeline may start from it: a face the mesh measured upright (a camera
    mounted sideways shows a head rolled near 90 degrees; the pipeline's own upright search handles that), a plan
    that fits, and nobody else in the photo it makes (face_count does not block: someone else in view wholly outside
    it, the queue, may be)."""
    if analysis.face is None or analysis.pose is None or abs(analysis.pose.roll) > UPRIGHT_ROLL_DEG:
        return None
    return None if analysis.checks["face_count"].level == FAIL else analysis.crop


def refusal_stands(refused: Analysis, shown: Analysis) -> bool:
    """A press refused for its checks (the override box closed without a reason) stays said while every part of it
    is still true: the picture on screen fails each check it named, for the reason it gave. Once one is fixed (or
    fails for another reason), or another picture comes, it goes: a line that is partly untrue ("未检测到人脸" beside a
    face, seen on a walk) is worse than none, and the side panel says what is left."""
    failing = {check: result.message for check, result in shown.problems}
    return all(failing.get(check) == result.message for check, result in refused.problems)


def encode_original(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, ORIGINAL_QUALITY])
    if not ok:
        raise StationError(Text("无法编码原图", "Could not encode the original image"))
    return data.tobytes()
