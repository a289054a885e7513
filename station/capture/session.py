"""The capture session: the one owner of a station's flow, from camera to upload queue.

It holds the camera, the live checks, the code scanner, the workflow (the state machine of one student),
the encrypted capture store and the uploader, and offers a window (or a command) everything it can do:
identify, shoot (press, measure off the UI thread, take), override, accept, reshoot, retake, mark and
undo absent, and a status snapshot. What a window asks beside the flow (the roster and slots, fees, prints and
the day report, the upload queue and USB export) is the session's `desk` (station/capture/desk.py). A window only
shows what the session says and forwards keys; it holds no rule.

Threads: the camera, the live checks, the live identity line, the code scanner and the ID-card scanner run on
threads of their own.
Whatever they report reaches the session's listeners through `post`, which runs a call on the thread that drives the
session (a window passes its UI thread's poster). `measure` is the one command meant for a worker thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from station.audit.trail import Action
from station.camera import open_camera
from station.camera.backends import UsbSettings
from station.camera.source import CameraState, Frame, FrameSource, StateChange
from station.camera.tether import TetheredFile, TetherWatcher, set_aside
from station.capture.camera_choice import CameraChoice, save_camera
from station.capture.desk import Desk
from station.capture.identity_check import needs_reason, reason_question
from station.capture.live_checks import LiveChecks, LiveResult
from station.capture.live_identity import QUIET, LiveIdentity, LiveIdentityWatcher
from station.capture.queue_board import QueueBoard, QueueEntry, build_board, next_waiting
from station.chsi.pipeline import ChsiPipeline
from station.chsi.profiles import OutputProfile, Profiles, load_profiles, select_profile
from station.compliance.calibration import BackdropColour, backdrop_file, measure_backdrop
from station.compliance.engine import ComplianceEngine
from station.compliance.policy import Policy
from station.compliance.results import Analysis
from station.capture.workflow import (
    REVIEW_AT_LEAST, Blocked, CaptureWorkflow, LoadedFaces, Measured, Shot, ShutterRefused, ShutterRequest, Step,
)
from station.storage.captures import CaptureStore, CaptureVersion
from station.context import Station
from station.errors import StationError, os_reason
from station.i18n import Name, Text
from station.identify.frames import HELD_UP_SHARE, SeenCode
from station.identify.idcard_match import CardRead, CardSource, match_card
from station.identify.idcard_scanner import CardScanner
from station.identify.idcard_protocol import CardText
from station.identify.idcard_reader import CardPoller
from station.identify.idcard_watch import ChipWatcher
from station.identify.identify import Identification
from station.identify.scanner import CodeScanner
from station.identity.reference_store import reference_embedding
from station.identity.references import Progress, ReferenceReport, import_reference_photos
from station.roster import schedule
from station.roster.schedule import Slot
from station.roster.store import Student, get_student, set_absent
from station.storage.server_link import load_link
from station.storage.envelope import EnvelopeError
from station.storage.outbox import QueueHealth
from station.upload.references import fetch_references
from station.upload.uploader import Uploader
from station.watcher import Running

if TYPE_CHECKING:  # onnxruntime loads only where ID cards are read
    from station.identify.idcard_ocr import CardOcr, CardSight

__all__ = ["CaptureSession", "SessionListener", "Status", "CallQueue"]
log = logging.getLogger(__name__)

# two lines of the side panel: a third hid the fee on the student card of a 1366x768 laptop (seen on a real display)
OFFER_SWITCH = Text("镜头里有{name}（{no}）的采集码：拍此人请按 F4 切换；当前学生仍是{current}",
                    "Code of {name} ({no}) in view: F4 switches to them; still photographing {current}")
OFFER_SWITCH_CARD = Text("镜头里有{name}（{no}）的身份证：拍此人请按 F4 切换；当前学生仍是{current}",
                         "ID card of {name} ({no}) in view: F4 switches to them; still photographing {current}")
OFFER_SWITCH_CHIP = Text("阅读器上有{name}（{no}）的身份证：拍此人请按 F4 切换；当前学生仍是{current}",
                         "ID card of {name} ({no}) on the reader: F4 switches to them; still photographing {current}")
# said under the question that names {name} and the code's number (OFFER_SWITCH…), so it does not again: with them it
# was cut at 1280x680 before what to do if {current} is at the camera (s30 review)
OFFER_STANDS = Text("没有拍照：若镜头前是{name}，请先按 F4；若是{current}，请收起采集码或拿走身份证，稍后再拍",
                    "Nothing taken: if {name} is at the camera, press F4; if {current} is, have the code or card put "
                    "away")
NO_OFFER = Text("没有待切换的学生：镜头里或阅读器上出现另一名学生的采集码或身份证、并询问是否切换时，才能按 F4 切换",
                "No student to switch to: F4 works while another student's code or ID card, seen by the camera or "
                "on the reader, asks to switch")
PROFILE_BUSY = Text("正在拍照或确认照片：请先确认或重拍，再更换输出规格",
                    "A photo is being taken or reviewed: accept it or shoot again first, then change the output profile")
# why the window is not built again in the other language now: it could not show these as they stand
NOT_SWITCHED = Text("没有切换语言：{why}", "The language was not switched: {why}")
SWITCH_IN_REVIEW = Text("照片正在确认中，请先确认（回车）或放弃（Esc），再切换语言",
                        "a photo is in review. Accept it (Enter) or drop it (Esc) first, then switch")
SWITCH_PRESSING = Text("正在拍照，拍完后再切换语言", "a photo is being taken. Switch once it is done")
SWITCH_OFFERED = Text("有采集码或身份证在等待切换，请先按 F4 或收起，再切换语言",
                      "a code or ID card is waiting to be switched to. Press F4 or put it away first, then switch")
UNFILED_DIR = "tether-unfiled"  # in the data home: a tethered camera's photos that could not be filed to anyone
SET_ASIDE = Text("相机传来的照片 {name} 没有归入任何学生：{reason}。照片已移到 {path}",
                 "The tethered camera's photo {name} was not filed to anyone: {reason}. It was moved to {path}")
NOT_MOVED = Text("相机传来的照片 {name} 没有归入任何学生：{reason}。照片仍在 {folder}（无法移动：{error}）",
                 "The tethered camera's photo {name} was not filed to anyone: {reason}. It stays in {folder} "
                 "(it could not be moved: {error})")
ANSWER_FIRST = Text("请先回答“仍要拍摄？”，再拍下一张", "Answer “Take it anyway?” first, then take the next photo")
SHOT_BEFORE = Text("照片在识别{name}之前就已开始传来，是之前拍的", "it began arriving before {name} was identified: it was "
                   "taken before")
NOT_A_JPEG = Text("文件不完整或已损坏", "the file is incomplete or damaged")
ENTER_AFTER_REFUSED = Text("{refused}\n回车没有拍照：当前学生仍是{name}。确要给{name}拍照，请按空格键或“拍照”按钮",
                           "{refused}\nEnter took no photo: the current student is still {name}. To photograph {name}, "
                           "press Space or the shutter button")


class CallQueue:
    """The poster of a session driven from a thread with no event loop (a command, a test): the camera's,
    the scanner's and the live checks' reports wait here until that thread runs them (the station database,
    like mediapipe's graphs, belongs to the thread that opened it)."""

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()

    def __call__(self, call: Callable[[], None]) -> None:
        self._calls.put(call)

    def run_pending(self, wait: float = 0.0) -> int:
        """Run what has arrived (waiting up to `wait` seconds for the first); returns how many ran."""
        ran = 0
        try:
            call = self._calls.get(timeout=wait) if wait > 0 else self._calls.get_nowait()
            while True:
                call()
                ran += 1
                call = self._calls.get_nowait()
        except queue.Empty:
            return ran


def _ignore(*_: object) -> None:
    pass


@dataclass
class SessionListener:
    """What a window wants to hear; each call arrives through the session's `post`."""

    live: Callable[[LiveResult], None] = _ignore
    camera: Callable[[StateChange], None] = _ignore
    identified: Callable[[Identification], None] = _ignore  # a code the camera saw made this student current
    offered: Callable[[Identification, Text], None] = _ignore  # a code held up asks to switch students
    withdrawn: Callable[[], None] = _ignore  # that code or card has left the picture: the question is over
    unknown: Callable[[Identification], None] = _ignore  # a code held up that names nobody
    card: Callable[[CardRead], None] = _ignore  # an ID card on the chip reader or held up, looked up (made current when found)
    reader: Callable[[Text, bool], None] = _ignore  # the chip reader came (True) or went (False)
    tethered: Callable[[ShutterRequest], None] = _ignore  # a tethered camera's photo pressed the shutter: measure it
    set_aside: Callable[[Text], None] = _ignore  # a tethered camera's photo that could not be filed, and where it is
    identity: Callable[[LiveIdentity], None] = _ignore  # the face at the camera against the current student's reference


@dataclass(frozen=True)
class Status:
    """What the status bar and the side panel show, in one read."""

    camera: CameraState
    queue: QueueHealth
    slot: Slot | None
    next_waiting: QueueEntry | None
    can_undo_absent: bool
    linked: bool  # the server's key is set: photos can be sealed and saved
    has_roster: bool
    next_slot: Slot | None = None  # with no slot now, the next one (当前没有排定的班级 said nothing of when)


@dataclass
class CaptureSession:
    station: Station
    store: CaptureStore
    operator: str
    source: FrameSource
    uploader: Uploader | None = None
    listener: SessionListener = field(default_factory=SessionListener)
    post: Callable[[Callable[[], None]], None] = field(default_factory=CallQueue)
    live_checks: bool = True
    scan_codes: bool = True
    live_identity: bool = False  # the face at the camera compared with the current student's reference, once a second
    # (the station turns it on, station/adapters/startup.py; off by default, as a session a test leaves running would
    # otherwise go on comparing faces on its thread)
    workflow: CaptureWorkflow | None = None
    mask_names: bool = True  # on the queue screen
    card_reader: Callable[[], CardPoller] | None = None  # opens the ID-card chip reader, when there is one
    card_ocr: Callable[[], CardOcr] | None = None  # loads the OCR that reads ID cards held up to the camera, when wanted
    tether: Path | None = None  # a tethered camera's folder: each new JPEG there is a shutter frame
    _checks: LiveChecks | None = field(default=None, init=False, repr=False)
    _scanner: CodeScanner | None = field(default=None, init=False, repr=False)
    _cards: CardScanner | None = field(default=None, init=False, repr=False)
    _identity: LiveIdentityWatcher | None = field(default=None, init=False, repr=False)
    _chip: Running = field(default_factory=Running, init=False, repr=False)  # the chip reader's watcher
    _tether: Running = field(default_factory=Running, init=False, repr=False)  # the tether folder's
    _tethered_frames: int = field(default=0, init=False, repr=False)
    _offer: Identification | None = field(default=None, init=False, repr=False)
    _offer_key: str = field(default="", init=False, repr=False)  # the code or ID number that made the offer
    _marked_absent: list[QueueEntry] = field(default_factory=list, init=False, repr=False)
    _asked: Analysis | None = field(default=None, init=False, repr=False)  # what an open override question is about
    _answering: int = field(default=0, init=False, repr=False)  # reason boxes open about the student on the card
    # a code typed or scanned and refused, with the identification on the card then: Enter does not shoot it (press)
    _refused: tuple[Identification, Identification] | None = field(default=None, init=False, repr=False)
    usb_settings: UsbSettings = field(default_factory=UsbSettings, init=False)
    desk: Desk = field(init=False, repr=False)  # the roster, slots, fees, prints, reports, uploads: beside the flow

    def __post_init__(self) -> None:
        if self.workflow is None:
            self.workflow = CaptureWorkflow(self.station, self.store, self.operator)
        self.desk = Desk(self.station, self.store, self.workflow.audit, lambda: self.workflow.student, self.uploader)

    # -- threads -------------------------------------------------------------------------------------
    def start(self) -> "CaptureSession":
        """Start watching the camera (its state, the codes shown to it, the live checks) and the chip reader.
        The photographer named at the start is signed in from here on (in the audit trail)."""
        self.workflow.audit.record(Action.SIGN_IN)
        self._watch(self.source)
        if self.card_reader is not None:
            self.start_card_reader()
        if self.tether is not None:
            self.watch_tether(self.tether)
        return self

    def start_card_reader(self) -> None:
        self._chip.replace(ChipWatcher(self.card_reader, lambda card: self.post(lambda: self.card_laid(card)),
                                       lambda text, ok: self.post(lambda: self.listener.reader(text, ok)),
                                       on_gone=lambda number: self.post(lambda: self.code_gone(number))))

    def stop_card_reader(self) -> None:
        self._chip.replace(None)

    def _watch(self, source: FrameSource) -> None:
        source.subscribe(lambda change: self.post(lambda: self._camera_changed(source, change)))
        if self.scan_codes:
            self._scanner = CodeScanner(source, lambda code: self.post(lambda: self.camera_code(code)),
                                        lambda text: self.post(lambda: self.code_gone(text)))
            self._scanner.pause(self._holding())
            self._scanner.start()
        if self.card_ocr is not None:
            self._cards = CardScanner(source, lambda sight: self.post(lambda: self.camera_card(sight)), self.card_ocr,
                                      lambda number: self.post(lambda: self.code_gone(number)))
            self._cards.pause(self._holding())
            self._cards.start()
        if self.live_checks:
            backdrop, policy = backdrop_file(self.station.home), Policy.for_station(self.station.home)
            scanner = self._scanner
            self._checks = LiveChecks(source, lambda result: self.post(lambda: self._live(source, result)),
                                      lambda: ComplianceEngine.load(policy, video=True, backdrop_file=backdrop),
                                      sighting=(lambda: scanner.latest) if scanner else lambda: None).start()
        if self.live_identity:
            watcher = LiveIdentityWatcher(source, self._compared_student,
                                          lambda no: self.post(lambda: self._give_reference(watcher, no)),
                                          lambda seen: self.post(lambda: self._identity_seen(source, seen)))
            self._identity = watcher
            watcher.pause(self._holding())
            watcher.start()

    def stop_watching(self) -> None:
        """The camera's scanner and live checks stop (the camera itself and the workflow stay)."""
        self._unwatch()

    def _unwatch(self) -> None:
        for watcher in (self._scanner, self._cards, self._checks, self._identity):
            if watcher is not None:
                watcher.stop()
        self._scanner = self._cards = self._checks = self._identity = None
        self.code_gone(self._offer_key)  # no scanner is left to see that code go: its question ends here

    def open_usb_camera(self, index: int, settings: UsbSettings) -> FrameSource:
        """The camera dialog's choice, in place of the camera in use, and the one the next start opens."""
        self.usb_settings = settings
        save_camera(self.station.home, CameraChoice(index, settings))
        self.workflow.audit.record(Action.SETTINGS, setting="camera", index=index, **asdict(settings))
        return self.use_camera(open_camera(index, usb=settings).start())

    def use_camera(self, source: FrameSource) -> FrameSource:
        """Swap the camera under the scanner and the live checks."""
        self._unwatch()
        old, self.source = self.source, source
        old.stop()
        self._watch(source)
        return source

    def _camera_changed(self, source: FrameSource, change: StateChange) -> None:
        if source is self.source:  # a late word from a camera just swapped out says nothing now
            self.listener.camera(change)
            if source.state is not CameraState.LIVE:
                self._quiet_identity()

    def _live(self, source: FrameSource, result: LiveResult) -> None:
        if source is self.source and self.source.state is CameraState.LIVE:  # not a late result about a lost picture
            if result.someone_new and self._identity is not None:  # the line's word is about the face before:
                self._identity.afresh()  # looks begun before are not said,
                self._identity.wake()  # and it looks again now, not after its one-second rest
            self.listener.live(result)

    def _compared_student(self) -> str | None:
        """Whose reference the live face is compared with (read on the live identity's thread): the student on the
        card while the picture is live; nobody while the shutter is worked, a photo is in review or a reason box is open."""
        workflow = self.workflow
        student = workflow.student
        if workflow.step is not Step.LIVE or self._holding() or student is None:
            return None
        return student.student_no

    def _give_reference(self, watcher: LiveIdentityWatcher, student_no: str) -> None:
        """The student's cached reference embedding, read here (the session's thread owns the database) once per
        student; one that cannot be read is no reference (the shutter's check says so too)."""
        try:
            embedding = reference_embedding(self.station.db, student_no, self.store.key.key)
        except (StationError, EnvelopeError, OSError, ValueError) as exc:
            log.warning("reference photo of %s not usable for the live comparison: %s", student_no, exc)
            embedding = None
        watcher.reference(student_no, embedding)

    def _identity_seen(self, source: FrameSource, seen: LiveIdentity) -> None:
        live = source is self.source and source.state is CameraState.LIVE
        watcher = self._identity
        # still that student, live, and not a look begun before the last afresh() (someone came meanwhile)
        if live and self._compared_student() == seen.student_no and watcher and seen.generation == watcher.generation:
            self.listener.identity(seen)

    def _quiet_identity(self) -> None:
        """The live identity line speaks of a live face only: it falls quiet when none is being compared (the
        shutter, a review, the camera away), where its last word would read as a verdict on the photo; it starts
        afresh when the picture is live again."""
        student = self.workflow.student
        if self._identity is None or student is None:
            return
        self._identity.afresh()
        self.listener.identity(LiveIdentity(student.student_no, QUIET))

    # -- who is in front of the camera ---------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self.workflow.step

    @property
    def student(self) -> Student | None:
        """The student on the card: whom the shutter photographs (in review, whose photo it is)."""
        return self.workflow.student

    def identify(self, payload: str, by_number: bool = False) -> Identification:
        """A code typed, picked or scanned with a handheld scanner: a deliberate act, so it switches at once. A student
        picked from the roster is `by_number`: their number is matched as a student number alone (it may be another
        student's ID number)."""
        self._offer = None
        on_card = self.workflow.identification
        found = self.workflow.identify(payload, by_number)
        self._refused = None if found.ok or on_card is None else (found, on_card)
        return found

    def camera_code(self, code: SeenCode) -> None:
        """A code the camera saw, taken only when held up close (one in the background of the picture is a phone in
        the queue behind, whoever is at the camera, and is ignored). It identifies a student only while nobody is
        at the camera; while someone is, it asks to switch (F4). The student just saved, whose code is still in view,
        is not identified again."""
        workflow = self.workflow
        if self._holding() or code.width_share < HELD_UP_SHARE:
            return
        current = workflow.student
        if current is None:
            found = workflow.lookup(code.text)
            if found.ok and found.student.student_no == workflow.last_saved:
                return  # the save stays confirmed on screen until someone else is identified
            if found.ok:
                workflow.select(found)
                self.listener.identified(found)
            else:
                self.listener.unknown(found)
            return
        found = workflow.lookup(code.text)
        if not found.ok:
            self.listener.unknown(found)
        elif found.student.student_no != current.student_no:
            self._offer, self._offer_key = found, code.text
            self.listener.offered(found, OFFER_SWITCH.format(name=Name(found.student.name),
                                                              no=found.student.student_no, current=Name(current.name)))

    def card_laid(self, card: CardText) -> None:
        """An ID card laid on the chip reader: its student becomes current at once while nobody is at the camera (the
        name on the chip is compared with the roster's). While another student is, it asks to switch (F4), as a code
        held up does: the next student in the queue lays their card before the one at the camera is photographed, and
        a switch there filed the seated student's face as the card's. Ignored while a photo is taken or in review and
        while a reason box is open."""
        if self._holding():
            return
        read = match_card(self.station.db, CardSource.CHIP, card.id_number, card.name)
        found, current = read.identification, self.workflow.student
        if found.ok and current is not None and found.student.student_no != current.student_no:
            self._offer = replace(found, warnings=[*found.warnings, *filter(None, [read.name_mismatch])])
            self._offer_key = card.id_number  # withdrawn once the card has been off the reader for a moment
            self.listener.offered(self._offer, OFFER_SWITCH_CHIP.format(
                name=Name(found.student.name), no=found.student.student_no, current=Name(current.name)))
            return
        if found.ok:
            self._offer = None
            self.workflow.select(found)
        self.listener.card(read)

    def camera_card(self, sight: CardSight) -> None:
        """An ID card held up to the camera, read (number and name) on the card scanner's thread: it follows the
        rule of codes the camera sees (the OCR reads only a card held up close; one further back is never read),
        so it identifies at once only while nobody is at the camera, and otherwise asks to switch (F4). A number
        not in the roster is said, with the name read; a name read that is not the roster's is said beside the card."""
        workflow = self.workflow
        if self._holding():
            return
        read = match_card(self.station.db, CardSource.CAMERA, sight.id_number, sight.name)
        found, current = read.identification, workflow.student
        if found.ok and found.student.student_no == (current.student_no if current else workflow.last_saved):
            return  # the student at the camera, or the one just saved, still holding their card up
        if current is None or not found.ok:
            if found.ok:
                workflow.select(found)
            self.listener.card(read)
            return
        self._offer = replace(found, warnings=[*found.warnings, *filter(None, [read.name_mismatch])])
        self._offer_key = sight.id_number
        self.listener.offered(self._offer, OFFER_SWITCH_CARD.format(
            name=Name(found.student.name), no=found.student.student_no, current=Name(current.name)))

    def code_gone(self, key: str) -> None:
        """A code or card held up has been out of the picture for the scanner's repeat window: the question it asked
        is withdrawn, so F4 can no longer switch to a student who has walked away (held up again, it asks again)."""
        if self._offer is not None and key == self._offer_key:
            self._offer = None
            self.listener.withdrawn()

    def accept_offer(self) -> Identification:
        """F4: the student whose code or card was held up is the one at the camera (what was said about the card
        held up, such as a name unlike the roster's, is said again)."""
        offer, self._offer = self._offer, None
        if offer is None:
            raise StationError(NO_OFFER)
        found = self.workflow.identify(offer.student.student_no, by_number=True)
        return replace(found, warnings=[*found.warnings, *(w for w in offer.warnings if w not in found.warnings)])

    @property
    def offer(self) -> Identification | None:
        return self._offer

    def retake_refused(self) -> Text | None:
        """Why F2 starts no retake now (None: it may); while a refused code's Enter is held, its way on names Space."""
        return self.workflow.retake_refused(self.enter_shoots)

    def language_switch_refused(self) -> Text | None:
        """Why the window may not be built again in the other language now (None: it may): a window built anew
        could not show a photo in review or a press as they stand, and the question to switch to a code or card
        held up is said only once, as it comes (`camera_code`)."""
        if self.step is Step.REVIEW:
            why = SWITCH_IN_REVIEW
        elif self.pressing:
            why = SWITCH_PRESSING
        elif self._offer is not None:
            why = SWITCH_OFFERED
        else:
            return None
        return NOT_SWITCHED.format(why=why)

    # -- the shutter ---------------------------------------------------------------------------------
    def shutter_blocked(self) -> Blocked | None:
        """Why the shutter may not be pressed now (None: it may): first an override box still waiting for its
        answer, then the workflow's reasons, then a code or card held up that asks to switch (F4), which `press`
        refuses (the button looked ready while it did). The workflow's come first: a student photographed before
        keeps the retake's button, and F2 its work."""
        if self._asked is not None:
            return Blocked.ANSWERING
        blocked = self.workflow.shutter_blocked(self.source.state)
        if blocked is None and self._offer is not None:
            return Blocked.OFFERED
        return blocked

    def refusal_holds(self, refused: ShutterRefused) -> bool:
        """Whether a press's refusal is still true as said. One about a code or card waiting to be switched to
        (OFFER_STANDS) names that student and says F4 switches to them: once their question is withdrawn, or another
        student's replaces it, it is untrue (s25 walk: the red line said F4 switches to 陈浩然 under the question naming
        王思远, and F4 switched to 王思远)."""
        offer = self._offer
        return refused.offered_no is None or (offer is not None and offer.student.student_no == refused.offered_no)

    @property
    def enter_shoots(self) -> bool:
        """Whether Enter is the shutter now: not after a code was refused while the student on the card stays (`press`),
        which the window's shutter button says."""
        return self._refused_now() is None

    def _refused_now(self) -> tuple[Identification, Identification] | None:
        """The refused code and the identification it left on the card, while that student is still on it."""
        return self._refused if self._refused and self._refused[1] is self.workflow.identification else None

    def press(self, frame: Frame | None, enter: bool = False) -> ShutterRequest | ShutterRefused:
        """The shutter on the frame on screen; one from before the picture was last lost is no frame at all
        (`FrameSource.lost_after`: it may show the student before), whatever a window still shows. `enter`: pressed
        with Enter, which after a code was refused is that code's Enter pressed twice, not a press: it would
        photograph whoever sits at the camera under the student still on the card (the walk's DEMO0099 + Enter +
        Enter), so the refusal is said again until another student is identified or the shutter is pressed on
        purpose (Space, a pedal, the button, a tethered shot)."""
        if frame is not None and frame.frame_id <= self.source.lost_after:
            frame = None
        return self._press(frame, self.source.state, enter)

    def _press(self, frame: Frame | None, camera: CameraState, enter: bool = False) -> ShutterRequest | ShutterRefused:
        if self._asked is not None:  # a tethered shot while the override box is open: that press is not over
            return ShutterRefused(ANSWER_FIRST, [])
        if not enter:
            self._refused = None  # a press on purpose: Enter is the shutter again from now on
        offer, current = self._offer, self.workflow.student
        if offer is not None and current is not None:  # a code or card held up close is most often the sitter's own;
            # Enter is told the same (Space would be refused too), its refused code still holding once this is answered
            return ShutterRefused(OFFER_STANDS.format(name=Name(offer.student.name), current=Name(current.name)), [],
                                  offered_no=offer.student.student_no)
        refused = self._refused_now()
        if refused is not None:  # Enter, after a code was refused
            return ShutterRefused(ENTER_AFTER_REFUSED.format(refused=refused[0].message,
                                                             name=Name(refused[1].student.name)), [])
        self._refused = None
        request = self.workflow.press(frame, camera)
        if isinstance(request, ShutterRequest):
            self._pause_watching(True)
        return request

    # -- a tethered camera -----------------------------------------------------------------------------
    def watch_tether(self, folder: Path) -> None:
        """Watch a tethered camera's folder (its files from before are earlier shots, left alone)."""
        self._tether.replace(TetherWatcher(folder, lambda file: self.post(lambda: self.tethered_frame(file))))

    def stop_tether(self) -> None:
        self._tether.replace(None)

    def tethered_frame(self, file: TetheredFile) -> ShutterRequest | Text:
        """A tethered camera's new photo is the shutter's frame for the student on the card: `listener.tethered`
        gets the request to measure off the UI thread and take, as for the shutter. The live picture stays the
        webcam's, whose state does not matter here. A photo that cannot be filed (nobody identified, a photo in
        review, a retake without its reason, a damaged file, a file that began arriving before the student on the
        card was identified: the shot of the one before) is never filed to a guess: it is moved to
        tether-unfiled/ in the data home and `listener.set_aside` names it."""
        if file.image is None:
            return self._set_aside(file.path, NOT_A_JPEG)
        student = self.workflow.student
        # a file seen before the student on the card was identified is the shot of the one before (late, or a burst's)
        if student is not None and file.first_seen < self.workflow.identified_since:
            return self._set_aside(file.path, SHOT_BEFORE.format(name=Name(student.name)))
        self._tethered_frames += 1  # numbered below zero: never one of the webcam's frame numbers
        request = self._press(Frame(-self._tethered_frames, time.monotonic(), file.image), CameraState.LIVE)
        if isinstance(request, ShutterRefused):
            return self._set_aside(file.path, request.message)
        log.info("tethered photo %s taken for %s", file.path.name, request.student_no)
        self.listener.tethered(request)
        return request

    def _set_aside(self, path: Path, reason: Text) -> Text:
        try:
            text = SET_ASIDE.format(name=path.name, reason=reason, path=set_aside(path, self.station.home / UNFILED_DIR))
        except OSError as exc:  # e.g. the tether software still holds it open (Windows): it stays, named
            text = NOT_MOVED.format(name=path.name, reason=reason, folder=path.parent, error=os_reason(exc))
        log.warning("%s", text.en)
        self.listener.set_aside(text)
        return text

    def measure(self, request: ShutterRequest) -> Measured:
        """The shutter's work: run it on a worker thread, then `take` its result on the session's thread."""
        return self.workflow.measure(request)

    def load_faces(self) -> LoadedFaces | None:
        """Meant for a worker thread at start-up, like `measure`: the station's faces decrypted for the swap checks,
        so the first press does not wait for them; then `adopt_faces` on the session's thread."""
        return self.workflow.load_faces()

    def adopt_faces(self, loaded: LoadedFaces | None) -> None:
        self.workflow.adopt_faces(loaded)

    def release(self, request: ShutterRequest) -> None:
        """The measurement failed (a program error, reported): the shutter is free again."""
        self.workflow.release(request)
        self._pause_scanner()

    def take(self, measured: Measured, override_reason: str = "") -> Shot | ShutterRefused:
        """The measured press becomes the photo in review, or is refused. A refusal a reason can override opens the
        question (`take` again with the reason, or `decline_override`): until it is answered the press is not over,
        so the scanners, the live checks and the live identity line go on resting (what they said over the box was
        read as said of the photo) and no code or card switches the student."""
        self._asked = None
        try:
            outcome = self.workflow.take(measured, override_reason)
            if isinstance(outcome, Shot):  # a code held up while the override reason was typed asked to switch:
                self._offer = None  # in review, as at the press, the student photographed is the one on the card
            if isinstance(outcome, ShutterRefused) and outcome.can_override:
                self._asked = measured.analysis
            return outcome
        finally:  # also when taking fails (a program error, reported): the watchers are not left resting
            self._pause_scanner()

    def decline_override(self) -> None:
        """The override question closed without a reason: the press is over and the live picture speaks again."""
        self._asked = None
        self._pause_scanner()

    @property
    def override_asked(self) -> Analysis | None:
        """The analysis a refused press's open override question is about (the window's side panel names its checks,
        its shutter waits for the answer); None while no question is open."""
        return self._asked

    @property
    def pressing(self) -> bool:
        """A press is not over: it is being measured off the session's thread, or its override question is open."""
        return self.workflow.pressed is not None or self._asked is not None

    def _shooting(self) -> bool:
        """A press is measured, its override question is open or its photo is in review: the student on the card is
        the one photographed, and nothing the camera sees speaks of the live picture."""
        return self.workflow.step is Step.REVIEW or self.pressing

    @contextmanager
    def answering(self) -> Iterator[None]:
        """While a reason box is open outside a press (a retake's, a payment's or a refund's, a class payment's; an
        override's is its press's own): as while an override box waits, no code or card switches the student or asks
        to, and the scanners and the live identity line rest. So the card beside the box is the student it asks about,
        with no live word on it to read as a verdict on their photo (on a walk an ID card laid on the reader put
        another student and their 与学籍照片不是同一人！ beside the box asking why 林晓雯's photo was retaken). The live
        checks go on: the student is still told what to fix."""
        self._answering += 1
        self._pause_scanner()
        try:
            yield
        finally:
            self._answering -= 1
            self._pause_scanner()

    def _holding(self) -> bool:
        """The student on the card stays, and nothing the camera sees speaks of the face: a press, a review, or a
        reason box open."""
        return self._shooting() or self._answering > 0

    def review_settled(self) -> bool:
        """The photo in review has been on screen long enough for an Enter to be a decision (REVIEW_AT_LEAST), not
        the second half of the double press that took it."""
        workflow = self.workflow
        return workflow.step is Step.REVIEW and time.monotonic() - workflow.in_review_since >= REVIEW_AT_LEAST

    @property
    def needs_identity_reason(self) -> bool:
        """The photo in review shows another person's face: it is saved only with a recorded reason."""
        shot = self.workflow.shot
        return self.workflow.step is Step.REVIEW and shot is not None and needs_reason(shot.identity)

    @property
    def identity_question(self) -> Text:
        """The reason box's question for the photo in review (a swap names the other student)."""
        shot = self.workflow.shot
        return reason_question(shot.identity if shot is not None else ())

    def accept(self, identity_reason: str = "") -> CaptureVersion:
        version = self.workflow.accept(identity_reason)
        self._pause_scanner()
        if self.uploader is not None:
            self.uploader.wake()
        return version

    def reshoot(self) -> None:
        self.workflow.reject()
        self._pause_scanner()

    def start_retake(self, reason: str, for_student: str | None = None) -> None:
        self.workflow.start_retake(reason, for_student)

    def _pause_scanner(self) -> None:
        """After the shutter's work: the scanners and the live checks rest while a photo is in review."""
        self._pause_watching(False)

    def _pause_watching(self, measuring: bool) -> None:
        """While the shutter measures, and while its photo is in review: the live picture is not on screen then, and
        the live checks started again at the review would take the interpreter from the window as it shows it. While a
        reason box is open (`answering`) the scanners and the live identity line rest, the live checks go on."""
        resting = measuring or self._shooting()
        holding = resting or self._holding()
        for watcher, rests in ((self._scanner, holding), (self._cards, holding), (self._checks, resting),
                               (self._identity, holding)):
            if watcher is not None:
                watcher.pause(rests)
        if holding:
            self._quiet_identity()

    # -- station settings: the output profile and the backdrop calibration --------------------------------------
    def profiles(self) -> Profiles:
        return load_profiles(self.station.home)

    def select_profile(self, name: str) -> OutputProfile:
        """The station's photos are made by profile `name` from the next shutter on (kept in the data folder). Not
        while a photo is being taken or in review: it was made by the profile before."""
        if self._shooting():
            raise StationError(PROFILE_BUSY)
        chosen = select_profile(self.station.home, name)
        if chosen.spec != self.workflow.pipeline.spec:
            old, self.workflow.pipeline = self.workflow.pipeline, ChsiPipeline(chosen.spec)
            old.close()
        self.workflow.audit.record(Action.SETTINGS, setting="profile", name=name)
        return chosen

    def backdrop_calibrated_at(self) -> dt.datetime | None:
        """When the backdrop was last calibrated (the file's time), None when never."""
        path = backdrop_file(self.station.home)
        return dt.datetime.fromtimestamp(path.stat().st_mtime) if path.is_file() else None

    @staticmethod
    def measure_backdrop(frame: Frame) -> BackdropColour:
        """Meant for a worker thread (a second or so): the backdrop's colour in `frame`, the live picture on
        screen (a student in front is left out); raises StationError when too little blue backdrop shows."""
        return measure_backdrop(frame.image)

    def use_calibration(self, colour: BackdropColour) -> Path:
        """Save the measured backdrop in the data folder; the shutter's and the live checks use it from their next
        frame on. Returns where it was saved."""
        path = backdrop_file(self.station.home)
        colour.save(path)
        self.workflow.engine.policy = colour.applied_to(self.workflow.engine.policy)
        if self._checks is not None:
            self._checks.calibrated(colour)
        self.workflow.audit.record(Action.SETTINGS, setting="backdrop_calibration", **colour.__dict__)
        return path

    # -- the queue of students -----------------------------------------------------------------------
    def queue_board(self, now: dt.datetime | None = None, mask_names: bool | None = None) -> QueueBoard:
        current = self.workflow.student
        return build_board(self.station.db, now or dt.datetime.now(), current.student_no if current else None,
                           self.mask_names if mask_names is None else mask_names, bool(self.workflow.retake_reason))

    def next_waiting(self) -> QueueEntry | None:
        """Whom the photographer calls next, by full name (only the queue screen masks names)."""
        return next_waiting(self.queue_board(mask_names=False))

    def show_full_names(self, full: bool) -> None:
        """The queue screen shows whole names and student numbers (True) or masked ones: a privacy choice, recorded
        in the audit trail like the station's other settings."""
        self.mask_names = not full
        self.workflow.audit.record(Action.SETTINGS, setting="queue_full_names", full=full)

    def import_references(self, source: Path | None, progress: Progress | None = None,
                          stop: threading.Event | None = None) -> ReferenceReport:
        """Meant for a worker thread, like `print_sheet`: reference photos from a folder or zip (`source`), or the
        ones the receiving server holds that this station lacks (None), checked and sealed as by `photo-station
        roster photos` (`stop` set: the import ends after the photo being checked). The next press reads the face
        gallery again (its stamp changed), and the live identity line reads the current student's reference again."""
        try:
            with self.station.for_this_thread() as station:
                if source is None:
                    return fetch_references(station, self.store.key.key, progress=progress, stop=stop)
                return import_reference_photos(station, source, self.store.key.key, progress=progress, stop=stop)
        finally:
            if self._identity is not None:  # the student on the card may have just got their reference photo
                self._identity.afresh()

    # -- print sheets: whom for ----------------------------------------------------------------------
    def printable_student(self) -> Student | None:
        """Whom a print is for: the student at the camera, else the one just saved."""
        if self.workflow.student is not None:
            return self.workflow.student
        return get_student(self.station.db, self.workflow.last_saved) if self.workflow.last_saved else None

    def mark_next_absent(self) -> QueueEntry | None:
        entry = self.next_waiting()
        if entry is not None:
            set_absent(self.station.db, entry.student_no, True)
            self._marked_absent.append(entry)
            self.workflow.audit.record(Action.ABSENT, entry.student_no)
        return entry

    def undo_absent(self) -> QueueEntry | None:
        """A mistaken F3 (the student was there, or the wrong one was marked) is taken back, latest first."""
        if not self._marked_absent:
            return None
        entry = self._marked_absent[-1]
        set_absent(self.station.db, entry.student_no, False)  # a refused write (a full disk) leaves it to take back
        self._marked_absent.pop()
        self.workflow.audit.record(Action.ABSENT_UNDO, entry.student_no)
        return entry

    # -- at a glance, and at the end -----------------------------------------------------------------
    def status(self, now: dt.datetime | None = None) -> Status:
        slot, later = schedule.now_and_next(self.station.db, now or dt.datetime.now())
        return Status(self.source.state, self.desk.queue_health(), slot, self.next_waiting(),
                      bool(self._marked_absent), load_link(self.station.db).can_encrypt, self.desk.has_roster(),
                      None if slot else later)

    def closing_warnings(self) -> list[Text]:
        return self.workflow.closing_warnings()

    def close(self) -> None:
        self.workflow.audit.record(Action.SIGN_OUT)
        self._unwatch()
        self.stop_card_reader()
        self.stop_tether()
        self.source.stop()
        if self.uploader is not None:
            self.uploader.stop()
        self.workflow.close()
