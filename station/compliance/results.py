"""What the compliance engine says about one frame."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from station.chsi.crop import CropPlan, CropRefusal
from station.face.landmarks import Face
from station.face.pose import HeadPose
from station.i18n import Text
from station.identify.frames import Box, SeenCode

CHECK_IDS: tuple[str, ...] = (
    "face_count", "face_position", "code_in_photo", "pose", "eyes_closed", "mouth_open", "teeth", "glasses", "hat",
    "earrings", "necklace", "ears_covered", "eyebrows_covered", "coloured_lenses", "makeup",
    "background", "backdrop_drift",
    "clothing_contrast", "exposure", "lighting", "blur",
)
# Scored by the models this project trains (station.compliance.learned), not by geometry.
LEARNED_CHECK_IDS: tuple[str, ...] = (
    "eyes_closed", "mouth_open", "teeth", "glasses", "hat", "earrings", "necklace", "ears_covered",
    "eyebrows_covered", "makeup",
)

# A failing check whose instruction another failing check's already gives: "close your mouth so your teeth do
# not show" also says "close your mouth", and a student told both hears one thing twice.
SAID_BY = {"mouth_open": "teeth"}

# A check's three answers: it holds; ask the photographer to look (the shutter stays free); it blocks the
# shutter (a photo needs a recorded reason). policy.toml explains the two thresholds between them.
PASS, LOOK, FAIL = "pass", "look", "fail"

# Why a check has the result it has.
MEASURED = "measured"
NO_FACE = "no_face"  # the check needs a face and none was measured: ok=False, score=1.0
UNAVAILABLE = "unavailable"  # its model is missing or failed: ok=False, score=1.0
NOT_FRAMED = "not_framed"  # it looks inside the CHSI photo and none can be framed (face_position says why): passes
COVERED = "covered"  # it reads the face's light and a phone covers part of the face (code_in_photo blocks): passes
# it reads the backdrop's colour or the face's pixels and the picture is too dark to read them (exposure blocks,
# 光线太暗): passes
DARK = "dark"
# live only: a new face or view's first analyses, before the check's level has held (station.compliance.live): passes
SETTLING = "settling"


@dataclass(frozen=True)
class Finding:
    """A check's raw answer: P(rule broken) and what to tell the student if it is."""

    score: float
    problem: Text


def moved_at_most(before: np.ndarray, now: np.ndarray, tolerance: float) -> bool:
    """No landmark moved more than `tolerance` face widths (cheek to cheek) between the two meshes."""
    width = float(np.linalg.norm(now[454, :2] - now[234, :2])) or 1.0
    return float(np.abs(now[:, :2] - before[:, :2]).max()) <= tolerance * width


@dataclass(frozen=True)
class PlannedCrop:
    """The CHSI crop planned for one face (the engine's most expensive step): a live preview
    reuses it while the face stays where it was measured."""

    plan: CropPlan | CropRefusal
    points: np.ndarray  # the landmarks it was planned on


@dataclass(frozen=True)
class LearnedScores:
    """Every learned model's outputs for one face ({model: {output: p}}), the check scores blended from
    them, and which models ran on this frame (a live preview runs a few per frame, see LiveAnalyzer)."""

    outputs: dict[str, dict[str, float]]
    scores: dict[str, float]
    points: np.ndarray  # the landmarks of the latest frame that ran a model
    ran: tuple[str, ...] = ()


@dataclass(frozen=True)
class SceneMask:
    """Where the backdrop is in the scene (person segmentation, an expensive step): a live preview reuses
    it on frames that run another expensive step, while the face stays where it was taken."""

    backdrop: np.ndarray  # bool, at the scene's scale (station.compliance.backdrop.Scene)
    points: np.ndarray  # the landmarks of the face in the frame it was taken on


@dataclass(frozen=True)
class Reuse:
    """What a live preview carries over from earlier frames (see LiveAnalyzer)."""

    crop: PlannedCrop | None = None
    learned: LearnedScores | None = None
    refresh: tuple[str, ...] | None = None  # the learned models to run on this frame; None: all of them
    scene: SceneMask | None = None
    segment: bool = True  # segment the person on this frame (unless the crop is planned again)
    # the codes the code scanner read in a recent frame of this scene (boxes in the frame's pixels): a live frame is
    # not read twice; None: the engine reads the codes around the crop itself (a still, the shutter)
    codes: tuple[SeenCode, ...] | None = None


@dataclass(frozen=True)
class CheckResult:
    score: float  # probability the rule is broken, 0..1
    level: str  # PASS, LOOK or FAIL (a rule the policy does not enforce always passes)
    message: Text  # FAIL: the instruction to read out; LOOK: the question for the photographer; else a short "OK"
    state: str = MEASURED

    @property
    def ok(self) -> bool:
        """Nothing blocks the shutter: the rule holds, or only asks the photographer to look."""
        return self.level != FAIL

    @property
    def unmeasured(self) -> bool:
        """Nothing was looked at (no face, no photo that could be framed, a phone over the face, a picture too dark to
        read the backdrop or the face in) or nothing is said yet (a new face settling): a screen shows –, not ✓."""
        return self.state in (NO_FACE, NOT_FRAMED, COVERED, DARK, SETTLING)


@dataclass(frozen=True)
class Analysis:
    faces: int  # people in view (a face narrower than the spec's ratio of the main face is ignored)
    face: Face | None  # the main face's mesh in the image's pixels, None when no face was measured
    head_box: tuple[float, float, float, float] | None  # x, y (hair top), width, height (to the chin)
    pose: HeadPose | None
    checks: dict[str, CheckResult]
    planned: PlannedCrop | None = None  # in the pixels of the copy that was measured
    learned: LearnedScores | None = None  # likewise
    scene: SceneMask | None = None  # likewise; None when no face was measured
    analysis_scale: float = 1.0  # that copy's size / the image's size (large stills are measured shrunk)
    code_boxes: tuple[Box, ...] = ()  # codes in or near the photo (code_in_photo), in the image's pixels
    other_faces: tuple[Box, ...] = ()  # the faces counted beside the main one (face_count), likewise
    # the short-range face detector's surest score on the image itself (FaceDetector.look), where it saw a face: the
    # turn finder's upright look at a small photo, not taken again (standing)
    upright_look: float | None = None

    @property
    def crop(self) -> CropPlan | None:
        """Where the CHSI crop goes in this image (its own pixels), when it fits."""
        plan = self.planned.plan if self.planned else None
        if not isinstance(plan, CropPlan):
            return None
        return plan if self.analysis_scale == 1.0 else plan.for_source_scaled(self.analysis_scale)

    @property
    def settling(self) -> bool:
        """A live picture of a new face or view whose checks have not yet held a level: nothing is said of it, not
        even that it passes."""
        return any(result.state == SETTLING for result in self.checks.values())

    @property
    def verdict(self) -> str:
        if self.faces == 0:
            return "no_face"
        return "pass" if all(result.ok for result in self.checks.values()) else "fail"

    @cached_property
    def on_screen(self) -> list[tuple[str, CheckResult]]:
        """The one list a screen shows (side panel, override box, live picture): the blocking failures, then the
        questions for the photographer, each in CHECK_IDS order. Without a measured face the checks that need
        one are not listed one by one: nobody in view is face_count's failure, a face that cannot be measured
        is said once; checks of the whole frame (background, exposure) still show when they apply. In a picture too
        dark to see (exposure blocks and a check was not read for the dark, DARK) exposure's 光线太暗 comes first: a
        lens cap or the lights off finds no face because it is dark, and the light is what to fix."""
        shown = [(check, self.checks[check]) for check in CHECK_IDS if self.checks[check].level != PASS]
        need_face = [(check, result) for check, result in shown if result.state == NO_FACE]
        if need_face:
            shown = [(check, result) for check, result in shown if result.state != NO_FACE]
            if self.faces:  # someone is there, but their face could not be measured
                shown.append(need_face[0])
        order = {check: i for i, check in enumerate(CHECK_IDS)}
        if self.checks["exposure"].level == FAIL and any(r.state == DARK for r in self.checks.values()):
            order["exposure"] = -1
        return sorted(shown, key=lambda item: (item[1].level != FAIL, order[item[0]]))

    @cached_property
    def problems(self) -> list[tuple[str, CheckResult]]:
        """The blocking failures of `on_screen`: the first is what to fix first."""
        return [(check, result) for check, result in self.on_screen if result.level == FAIL]

    @cached_property
    def questions(self) -> list[tuple[str, CheckResult]]:
        """The questions of `on_screen` (rules to look at; the shutter stays free): a photo records the ones on
        screen when it was taken."""
        return [(check, result) for check, result in self.on_screen if result.level == LOOK]

    @cached_property
    def instructions(self) -> list[Text]:
        """What to tell the student, first things first, each thing once (SAID_BY); read on every painted
        frame, so worked out once per analysis."""
        problems = self.problems
        failing = {check for check, _ in problems}
        said: list[Text] = []
        for check, result in problems:
            if SAID_BY.get(check) not in failing and result.message not in said:
                said.append(result.message)
        return said
