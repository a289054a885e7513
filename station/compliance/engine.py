"""The compliance engine: every CHSI rule checked on one frame, with a verdict and instructions.

Data flows camera -> analysis -> decision: `analyze` measures the frame (face mesh, face
detector, person mask, crop plan, learned models), turns each measure into a Finding, then the
policy decides. Consistent rules for what cannot be measured:
- a check that needs a face, when no face was measured: state "no_face", score 1.0, not ok;
- a learned check whose model is missing or failed: state "unavailable", score 1.0, not ok;
- a check the policy does not enforce is always ok (its score is still reported);
- a check of the face's light with a phone over the face (code_in_photo blocks): state "covered", ok;
- a check of the backdrop's colour, or of the face's pixels, in a picture too dark to read them (exposure blocks,
  saying so): state "dark", ok.
face_count, exposure and background look at the whole frame and always run. A big still's face too small in the
1600 px analysis copy is measured in the original (FaceView): its light, focus, learned models and lenses are read
from the pixels the CHSI photo is made of, not from a face a few dozen pixels wide. Each check's level (pass,
look, fail) comes from the policy's two thresholds. The verdict is "no_face" when nobody is in view, else
"fail" when a check blocks, else "pass" (questions for the photographer may remain: Analysis.questions).
"""

from __future__ import annotations

import logging
import pathlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from station.chsi.crop import CropPlan, CropPlanner, CropRefusal
from station.chsi.face_geometry import FaceGeometry
from station.chsi.hair import hair_top_from_landmarks
from station.image_io import as_bgr, shrunk
from station.chsi.pipeline import (
    ANALYSIS_SIDE, face_on_original, faces_in_band, mesh_in_box, plan_on_original, share_of, too_small_in_copy,
)
from station.compliance import backdrop, codes, framing, messages, photometry
from station.compliance.calibration import BACKDROP_FILE, BackdropColour
from station.compliance.irises import LENS_FILE, LensModel
from station.compliance.policy import Policy
from station.compliance.results import (
    CHECK_IDS, COVERED, DARK, FAIL, LEARNED_CHECK_IDS, MEASURED, NO_FACE, NOT_FRAMED, PASS, UNAVAILABLE, Analysis, CheckResult, Finding,
    LearnedScores, PlannedCrop, Reuse, SceneMask, moved_at_most,
)
from station.face.detection import DETECT_WIDTH, Box, FaceDetector
from station.face.landmarks import Face, FaceMesher
from station.face.pose import head_pose
from station.face.segmentation import PersonSegmenter
from station.errors import ModelFileError, load_model
from station.i18n import Text
from models import MODELS_DIR

if TYPE_CHECKING:
    from station.compliance.learned import LearnedChecks

log = logging.getLogger(__name__)
T = TypeVar("T")

# A face that moved less than this share of its width keeps its crop plan.
REUSE_TOLERANCE = 0.04
# Learned scores describe the person, not where they stand: they carry over unless the face jumped this
# far (another person, most likely).
LEARNED_REUSE_TOLERANCE = 0.5
# Checks that look inside the CHSI photo: without a photo that can be framed there is nothing to look in.
FRAMED_CHECKS = ("code_in_photo",)
# Checks that read the light on the face. A phone held over the face (the next student's code shown in front of the
# one photographed) puts a white screen where the face's light is read: "glare on the face", "one side too dark".
# code_in_photo blocks that photo anyway and says why; these say nothing until the phone moves.
FACE_LIGHT_CHECKS = ("exposure", "lighting", "blur")
# Checks that read the face's own pixels (the learned models, the irises, the light across the cheeks, the focus): in
# a face too dark to see they read noise (photometry.MIN_JUDGED_FACE_LIGHTNESS), and say nothing while exposure blocks
# it as too dark. The mesh's geometry (face_count, face_position, pose) is still judged.
FACE_PIXEL_CHECKS = LEARNED_CHECK_IDS + ("coloured_lenses", "lighting", "blur")
# The share of the face's pixels that the phone around a code may cover before the face's light is not read.
PHONE_OVER_FACE = 0.05


@dataclass(frozen=True)
class Unavailable:
    """Why the learned checks cannot run."""

    message: Text


def load_learned(models_dir: pathlib.Path) -> "LearnedChecks | Unavailable":
    """The trained models, or why they could not be loaded: a missing or corrupt models/
    folder is a real situation at a kiosk and must not stop the other checks."""

    def learned() -> "LearnedChecks":
        from station.compliance.learned import LearnedChecks

        return LearnedChecks.load(models_dir)

    return _or_why(learned)


def load_lenses(models_dir: pathlib.Path) -> LensModel | Unavailable:
    """The coloured-lens network, or why it could not be loaded (that check alone is then unavailable)."""
    return _or_why(lambda: load_model(models_dir / LENS_FILE, LensModel))


def _or_why(load: Callable[[], T]) -> T | Unavailable:
    """`load()`, or what to tell the person when a model file or the runtime is missing: the other checks go on."""
    try:
        return load()
    except ModelFileError as exc:  # which file, and to reinstall (the loader's words are in the log)
        return Unavailable(exc.text)
    except ImportError as exc:  # onnxruntime itself
        log.warning("models unavailable: %s", exc)
        return Unavailable(messages.RUNTIME_MISSING)


@dataclass(frozen=True)
class FaceView:
    """Where the face-level measures (exposure's face, lighting, blur, the learned models, the lenses) read the face:
    the analysis copy, or the original for a still whose face the copy holds too few pixels of (ComplianceEngine._plan
    measured it there), so that check judges the pixels crop makes the photo of."""

    image: np.ndarray
    face: Face  # in `image`'s pixels
    scale: float  # `image` pixels per analysis-copy pixel

    def patch(self) -> photometry.FacePatch | None:
        return photometry.FacePatch.cut(self.image, self.face)


class ComplianceEngine:
    """Holds the mediapipe graphs and the models: one engine per thread, loaded once."""

    def __init__(self, policy: Policy, learned: "LearnedChecks | Unavailable", video: bool = False,
                 lenses: LensModel | Unavailable | None = None) -> None:
        """`lenses`: the coloured-lens measure's weights (else that check is unavailable: why, or None)."""
        self.policy = policy
        self.learned = learned
        self.lenses = lenses
        self.video = video
        # Tracking one face skips the mesh's own detector on a live feed; the face detector counts people.
        self._mesher = FaceMesher(max_faces=1 if video else 3, video=video)
        self._detector = FaceDetector(thorough=not video)
        self._segmenter = PersonSegmenter()
        self._planner = CropPlanner()

    @classmethod
    def load(cls, policy: Policy | str | pathlib.Path | None = None,
             models_dir: pathlib.Path = MODELS_DIR, video: bool = False,
             backdrop_file: pathlib.Path = BACKDROP_FILE) -> "ComplianceEngine":
        """`video=True` tracks the face between frames (live preview); stills use the default.
        A backdrop calibration (calibration/backdrop.toml), when present, sets the accepted blue."""
        if not isinstance(policy, Policy):
            policy = Policy.load(policy)
        calibration = BackdropColour.load(backdrop_file)
        if calibration is not None:
            policy = calibration.applied_to(policy)
        return cls(policy, load_learned(models_dir), video=video, lenses=load_lenses(models_dir))

    def analyze(self, image: np.ndarray, reuse: Reuse | None = None) -> Analysis:
        """Every check on one frame (grey, BGR or BGRA). `reuse`: what earlier frames measured (see
        LiveAnalyzer). Their crop plan is used when the face has not moved since. A live frame runs at most
        one of the three expensive steps: planning the crop again, segmenting the person (when
        `reuse.segment`), or its turn of learned models (`reuse.refresh`); the others' latest results are
        reused, as long as it is still the same face in about the same place. A new face runs every model."""
        reuse = reuse or Reuse()
        original = as_bgr(image) if image.size else np.zeros((1, 1, 3), np.uint8)  # an empty image shows nobody
        factor = min(1.0, ANALYSIS_SIDE / max(original.shape[:2]))
        # a tethered camera's 24 MP still: measure a copy, report in the original's pixels
        bgr = shrunk(original, factor) if factor < 1.0 else original
        meshes = self._mesher.detect(bgr)
        look = self._detector.look(bgr)
        detections = look.faces
        if not meshes and not self.video and max(bgr.shape[:2]) > DETECT_WIDTH:
            if not detections:
                detections = self._detector.detect_in_tiles(bgr)  # a still's small face, as verify finds it
            elif factor < 1.0:  # a big still's small face: a second person beside it, as crop counts them
                detections = detections + faces_in_band(self._detector, bgr, share_of(detections[0].box, bgr))
        if not meshes and detections and not self.video:  # too small for the mesh's own detector
            meshes = mesh_in_box(self._mesher, bgr, share_of(detections[0].box, bgr))
        people = framing.faces_in_view(meshes, detections)
        faces = len(people)
        face = meshes[0] if meshes else None
        view = FaceView(bgr, face, 1.0) if face is not None else None
        patch = view.patch() if view is not None else None
        measured = face if patch is not None else None  # a face with pixels of the frame to measure
        planned = None
        if view is not None and measured is not None:
            if reuse.crop is not None and moved_at_most(reuse.crop.points, face.points, REUSE_TOLERANCE):
                planned = reuse.crop
            else:
                plan, view = self._plan(original, view, factor)
                planned = PlannedCrop(plan, face.points)
                if view.scale != 1.0:  # a big still's small face, measured in the original
                    patch = view.patch() or patch
        replanned = planned is not None and planned is not reuse.crop
        pose = head_pose(view.face.points) if planned is not None else None  # where the face is measured
        mask = _reusable_mask(reuse, measured, replanned)
        scene = backdrop.Scene.of(bgr, self._segmenter, mask.backdrop if mask else None)
        crop = planned.plan if planned is not None else None
        kept = scene.kept_by(crop.corners()) if isinstance(crop, CropPlan) else scene.middle()  # what a photo keeps
        findings: dict[str, Finding] = {
            "face_count": framing.face_count(people, crop),
            "exposure": photometry.exposure(patch, float(scene.lab[:, :, 0].mean()), self.policy["exposure"]),
            "background": backdrop.background(kept, self.policy["background"]),
            "backdrop_drift": backdrop.drift(kept, self.policy["backdrop_drift"]),
        }
        learned, scene_mask, in_photo, covered = None, None, None, False
        if planned is not None:
            scene_mask = mask or SceneMask(scene.backdrop, face.points)
            findings["face_position"] = framing.face_position(planned.plan)
            in_photo = codes.code_in_photo(bgr, planned.plan, self.policy["code_in_photo"], reuse.codes, factor,
                                           original)
            if in_photo.finding is not None:
                findings["code_in_photo"] = in_photo.finding
            covered = self._phone_over_face(patch, in_photo, view.scale)
            findings["pose"] = framing.pose(pose, self.policy["pose"])
            findings["clothing_contrast"] = backdrop.clothing_contrast(scene, face, self.policy["clothing_contrast"],
                                                                       kept.backdrop_colour)
            if not covered:
                findings["lighting"] = photometry.lighting(patch, self.policy["lighting"])
                findings["blur"] = photometry.blur(patch, self.policy["blur"],
                                                   photometry.asked_below(self.policy["exposure"]))
            segmented_live = mask is None and reuse.refresh is not None
            learned = self._with_lenses(view, self._learned(view, face, reuse, busy=replanned or segmented_live))
            findings.update({c: Finding(s, messages.INSTRUCTIONS[c]) for c, s in learned.scores.items()})
        unread = dict.fromkeys(FACE_LIGHT_CHECKS if covered else (), COVERED)
        if not covered and self._too_dark(findings["exposure"]):
            dark = backdrop.COLOUR_CHECKS if backdrop.too_dark(kept, self.policy["background"]) else ()
            if planned is not None and patch.too_dark:
                dark += FACE_PIXEL_CHECKS
            unread.update(dict.fromkeys(set(dark) & set(findings), DARK))
        checks = {check: self._decide(check, findings.get(check), faces, measured_face=planned is not None,
                                      unread=unread.get(check))
                  for check in CHECK_IDS}
        analysis = Analysis(faces=faces, face=face, head_box=_head_box(face), pose=pose, checks=checks,
                            planned=planned, learned=learned, scene=scene_mask,
                            code_boxes=in_photo.boxes if in_photo else (), other_faces=people[1:],
                            upright_look=look.near_score if factor == 1.0 else None)
        return analysis if factor == 1.0 else _in_original_pixels(analysis, factor)

    def _plan(self, original: np.ndarray, copy: FaceView, factor: float) -> tuple[CropPlan | CropRefusal, FaceView]:
        """The crop planned on the analysis copy of `original` (shrunk by `factor`), and where the face is measured.
        A still's face too small there is planned on the original, as the CHSI pipeline plans it (the same
        functions), so that check does not ask a face crop makes into a photo to come closer; the plan is kept in
        the copy's pixels, as all others, and the face is measured in the original, where the mesh found it."""
        plan = self._planner.plan(copy.image, copy.face)
        if not too_small_in_copy(plan, factor):
            return plan, copy
        if self.video:  # a webcam wider than the copy: its tracker follows the copy, whose mesh is scaled up here
            plan = plan_on_original(self._planner, original, _in_original(copy.face, factor))
            return _in_copy(plan, factor), copy
        face = face_on_original(self._mesher, original, share_of(copy.face.box, copy.image))
        plan = plan_on_original(self._planner, original, face)
        return _in_copy(plan, factor), copy if face is None else FaceView(original, face, 1.0 / factor)

    def _with_lenses(self, view: FaceView, learned: LearnedScores) -> LearnedScores:
        """The coloured-lens score beside the learned ones, measured with them: on a still, a new face, or a live
        frame whose turn of models ran; other live frames keep the last score, which describes the person as the
        learned scores do (the network costs about 0.3 ms a frame since session 14; it once cost 7.6 ms)."""
        if not isinstance(self.lenses, LensModel) or ("coloured_lenses" in learned.scores and not learned.ran):
            return learned
        score = self.lenses.score(view.image, view.face.points)
        return replace(learned, scores={**learned.scores, "coloured_lenses": score})

    def learned_groups(self) -> list[tuple[str, ...]]:
        """The learned models in turns of similar cost, for a live preview to run one turn per frame."""
        return [] if isinstance(self.learned, Unavailable) else self.learned.live_groups()

    def _learned(self, view: FaceView, face: Face, reuse: Reuse, busy: bool) -> LearnedScores:
        """The models on the face as `view` shows it; `face` (in the copy) is what earlier frames are compared with.
        `busy`: this live frame already ran another expensive step, so no model runs unless the face is new."""
        if isinstance(self.learned, Unavailable):
            return LearnedScores({}, {}, face.points)
        earlier = reuse.learned
        same_face = earlier is not None and moved_at_most(earlier.points, face.points, LEARNED_REUSE_TOLERANCE)
        if not same_face or reuse.refresh is None:
            earlier, models = None, None
        else:
            models = () if busy else reuse.refresh
            if not models:
                return replace(earlier, ran=())
        try:
            fresh = self.learned.outputs(view.image, view.face, models)
            outputs = {**(earlier.outputs if earlier else {}), **fresh}
            scores = self.learned.blend.scores(outputs)
        except Exception as exc:  # a model failing on one odd frame must not lose the other verdicts
            log.warning("learned checks failed on a frame: %s", exc)
            return earlier or LearnedScores({}, {}, face.points)
        scores = {c: float(np.clip(scores[c], 0.0, 1.0)) for c in LEARNED_CHECK_IDS if c in scores}
        return LearnedScores(outputs, scores, face.points, tuple(fresh))

    def _phone_over_face(self, patch: photometry.FacePatch, in_photo: codes.CodesInPhoto, scale: float) -> bool:
        """A phone whose code blocks the photo covers some of the face (where the phone may be: phone_reach).
        `scale`: the patch's image pixels per analysis-copy pixel (the codes' boxes are in the copy's)."""
        rule = self.policy["code_in_photo"]
        if in_photo.finding is None or rule.level(in_photo.finding.score) != FAIL:
            return False
        phones = [tuple(v * scale for v in codes.phone_around(box, rule["phone_reach"])) for box in in_photo.boxes]
        return patch.covered_share(phones) >= PHONE_OVER_FACE

    def _too_dark(self, exposure: Finding) -> bool:
        """Exposure blocks the picture as too dark (a lens cap, the room's lights off), saying what to fix: what is too
        dark to read in it (the backdrop's colour, the face's pixels) is not judged. A lit face before a dark backdrop
        is still told it is not blue, and a dim face exposure blocks but bright enough to read still has its brows
        judged."""
        blocks = self.policy["exposure"].level(exposure.score) == FAIL
        return blocks and exposure.problem == messages.TOO_DARK

    def _decide(self, check: str, finding: Finding | None, faces: int, measured_face: bool,
                unread: str | None) -> CheckResult:
        """`unread`: why the check was not read (COVERED, DARK): it passes and another check blocks, saying why."""
        rule = self.policy[check]
        if unread is not None:
            return CheckResult(0.0, PASS, messages.PASSED, unread)
        if finding is not None:
            level = rule.level(finding.score)
            message = {PASS: messages.PASSED, FAIL: finding.problem}.get(level) or _question(check)
            return CheckResult(round(finding.score, 4), level, message, MEASURED)
        if check in FRAMED_CHECKS and measured_face:  # no photo could be framed: face_position blocks, saying why
            return CheckResult(0.0, PASS, messages.PASSED, NOT_FRAMED)
        if measured_face:  # only a learned check can be missing when the face was measured
            state = UNAVAILABLE
            models = self.lenses if check == "coloured_lenses" else self.learned
            message = models.message if isinstance(models, Unavailable) else messages.MODEL_MISSING
        else:
            state, message = NO_FACE, messages.FACE_UNCLEAR if faces else messages.NO_FACE
        level = FAIL if rule.enforced else PASS
        return CheckResult(1.0, level, message if rule.enforced else messages.PASSED, state)

    def close(self) -> None:
        self._mesher.close()
        self._detector.close()
        self._segmenter.close()
        self._planner.close()

    def __enter__(self) -> "ComplianceEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _question(check: str) -> Text:
    return messages.QUESTION.format(title=messages.TITLES[check])


def _reusable_mask(reuse: Reuse, face: Face | None, replanned: bool) -> SceneMask | None:
    """The earlier backdrop mask, on a live frame that does not segment (its turn is the models', or the crop
    is planned again), while the face stays within the crop plan's tolerance of where the mask was taken."""
    mask = reuse.scene
    if mask is None or face is None or (reuse.segment and not replanned):
        return None
    return mask if moved_at_most(mask.points, face.points, REUSE_TOLERANCE) else None


def _head_box(face: Face | None) -> tuple[float, float, float, float] | None:
    """Cheek to cheek, and from the hair top (estimated from the landmarks) to the chin."""
    if face is None:
        return None
    x, y, w, h = face.box
    top = min(y, hair_top_from_landmarks(FaceGeometry.from_points(face.points)))
    return (x, top, w, y + h - top)


def _in_original_pixels(analysis: Analysis, factor: float) -> Analysis:
    """An analysis of a copy shrunk by `factor`, with its geometry in the original image's pixels."""
    others = _boxes_in_original(analysis.other_faces, factor)
    if analysis.face is None:  # nobody measured, but several people may be seen
        return replace(analysis, other_faces=others)
    face = _in_original(analysis.face, factor)
    return replace(analysis, face=face, head_box=_head_box(face), analysis_scale=factor,
                   code_boxes=_boxes_in_original(analysis.code_boxes, factor), other_faces=others)


def _boxes_in_original(boxes: tuple[Box, ...], factor: float) -> tuple[Box, ...]:
    return tuple((x / factor, y / factor, w / factor, h / factor) for x, y, w, h in boxes)


def _in_original(face: Face, factor: float) -> Face:
    """A face measured on an analysis copy shrunk by `factor`, in the original's pixels."""
    width, height = face.image_size
    return Face(points=face.points / factor, image_size=(round(width / factor), round(height / factor)))


def _in_copy(plan: CropPlan | CropRefusal, factor: float) -> CropPlan | CropRefusal:
    """A plan made on the original, in the pixels of its analysis copy (shrunk by `factor`), as every plan is kept."""
    return plan.for_source_scaled(1.0 / factor) if isinstance(plan, CropPlan) else plan
