"""Is the face at the camera the current student's? Compared with their reference photo (the school's enrolment or ID
photo) about once a second while they are live, so a wrong face is seen before the shutter, not only at review.

Only a hint on the student card: it never blocks the shutter (the comparison at the shutter, identity_check, stays
the authority) and never switches students. It runs on a thread of its own, on the newest frame, and rests while a
photo is taken or reviewed. The reference embedding is read from the database on the session's thread, once per
student (`want_reference`), and handed to this thread with `reference`.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from station.camera.frame_watcher import FrameWatcher
from station.camera.source import Frame, FrameSource
from station.capture.identity_check import MODELS_UNUSABLE
from station.compliance.live import SteadyLevels
from station.errors import ModelFileError
from station.i18n import Text
from station.identity.embedder import FaceEmbedder
from station.identity.verify import compare

NO_REFERENCE, NO_FACE = "no_reference", "no_face"  # beside station.identity.verify's LEVELS
QUIET = "quiet"  # nothing to say: no live face is being compared (the shutter, a review, the camera away)
UNAVAILABLE = "unavailable"  # the face models cannot load: nothing is compared, and the line says why
SAID = {
    "same": Text("与学籍照片一致", "Matches the enrolment photo"),
    "uncertain": Text("与学籍照片不能确定是同一人", "Not sure: check their ID"),
    "different": Text("与学籍照片不是同一人！", "Does not match the enrolment photo!"),  # the review's words
    NO_REFERENCE: Text("无学籍照片", "No enrolment photo"),
    NO_FACE: Text("未检测到人脸", "No face in view"),
    QUIET: Text("", ""),
}
RATE_HZ = 1.0  # one embedding a second (YuNet + SFace on the newest frame)
HOLD = 2  # looks in a row a new level must come out of before it is shown (a blink or a turned head says nothing)
REFERENCE_WAIT_S = 0.5  # how long a look waits for the session's thread to read a new student's reference


@dataclass(frozen=True)
class LiveIdentity:
    student_no: str  # whose reference the face was compared with
    level: str  # "same", "uncertain", "different", NO_REFERENCE, NO_FACE or QUIET
    score: float | None = None
    generation: int = 0  # the watcher's generation when the look began (LiveIdentityWatcher.generation)
    why: Text | None = None  # UNAVAILABLE: why nothing is compared

    @property
    def said(self) -> Text:
        return self.why if self.level == UNAVAILABLE and self.why else SAID[self.level]


class LiveIdentityWatcher(FrameWatcher):
    """The face on the newest frame against the current student's reference, `rate_hz` times a second. `current`
    (read on this thread) names the student to compare with, or None (nobody, a shutter press, a review): then it
    does nothing. The face models load on this thread at the first comparison."""

    def __init__(self, source: FrameSource, current: Callable[[], str | None],
                 want_reference: Callable[[str], None], on_result: Callable[[LiveIdentity], None],
                 rate_hz: float = RATE_HZ) -> None:
        super().__init__(source, rate_hz, "live identity")
        self._current = current
        self._want = want_reference
        self._on_result = on_result
        self._reference: tuple[str, np.ndarray | None] | None = None  # (student number, embedding or None)
        self._arrived = threading.Event()
        self._afresh = threading.Event()
        self._generations = itertools.count(1)
        self.generation = 0  # a word from a look begun before the last afresh() is about a view gone since
        self._student: str | None = None
        self._scene: int | None = None
        self._steady = SteadyLevels(HOLD)
        self._embedder: FaceEmbedder | None = None
        self._unusable: Text | None = None  # the models failed to load: said on every look, not tried again

    def reference(self, student_no: str, embedding: np.ndarray | None) -> None:
        """From the session's thread: `student_no`'s reference embedding (None: they have none)."""
        self._reference = (student_no, embedding)
        self._arrived.set()

    def afresh(self) -> None:
        """From any thread: the next look reads the student's reference again and holds nothing from before (their
        reference photo was just imported; the line fell quiet for a shutter, a review or a lost camera; someone
        came to the camera). Words of looks begun before carry an older generation: the session drops them."""
        self.generation = next(self._generations)  # atomic: any thread may call this
        self._afresh.set()

    def _look(self, frame: Frame) -> None:
        generation = self.generation
        student_no = self._current()
        if self._afresh.is_set():
            self._afresh.clear()
            self._student = None
        if frame.scene != self._scene:  # another view (a reconnected camera, a file camera's next picture): afresh,
            self._scene = frame.scene  # or the last view's "not the same person" stays on a new face for two looks
            self._steady.reset()
        if student_no != self._student:  # a new student starts afresh
            self._student = student_no
            self._steady.reset()
            if student_no is not None:
                self._arrived.clear()
                self._want(student_no)
                self._arrived.wait(REFERENCE_WAIT_S)
        reference = self._reference
        if student_no is None or reference is None or reference[0] != student_no:
            return
        seen = self._seen(student_no, reference[1], frame)
        shown = self._steady.steady({"identity": seen})["identity"]
        if self._current() == student_no:  # not a late word about a student who has gone meanwhile
            self._on_result(replace(shown, generation=generation))

    def _seen(self, student_no: str, reference: np.ndarray | None, frame: Frame) -> LiveIdentity:
        if reference is None:
            return LiveIdentity(student_no, NO_REFERENCE)
        if self._embedder is None and self._unusable is None:
            try:
                self._embedder = FaceEmbedder()
            except ModelFileError as exc:  # logged once by ModelFileError; the thread went on silent before
                self._unusable = MODELS_UNUSABLE[exc.missing]
        if self._embedder is None:
            return LiveIdentity(student_no, UNAVAILABLE, why=self._unusable)
        face = self._embedder.glance(frame.image)
        if face is None:
            return LiveIdentity(student_no, NO_FACE)
        verdict = compare(face, reference)
        return LiveIdentity(student_no, verdict.level, verdict.score)
