"""The one CHSI pipeline: the shutter and `photo-station crop` both run exactly this.

upright check -> landmarks -> crop plan (roll, hair top, scale) -> warp of the full-resolution
original -> JPEG size search -> re-measure the JPEG. Any step that cannot meet the spec
yields a refusal with a reason and no photo. A big still's small face (a 24 MP tethered shot) is
found in tiles (`_small_face`) and planned on the original itself when the analysis copy is too
coarse for it (`_at_full_resolution`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from station.chsi.crop import PEOPLE, CropPlan, CropPlanner, CropRefusal, apply_plan, problems_said
from station.image_io import as_bgr, shrunk
from station.chsi.jpeg import encode_chsi_jpeg
from station.chsi.people import people_in_view, someone_else_in_photo
from station.chsi.orientation import Box, UprightFinder
from station.chsi.spec import SPEC, ChsiSpec
from station.chsi.verify import ChsiMeasure, ChsiVerifier
from station.face.detection import DETECT_WIDTH, Detection, FaceDetector
from station.face.landmarks import Face, FaceMesher

ANALYSIS_SIDE = 1600  # landmarks and segmentation run on a copy no larger than this
REFINE_ROUNDS = 2  # re-measure the output and correct the warp at most this often
SETTLED_ROLL_DEG = 0.3  # a round that found less roll than this needs no further round
ROI_SCALE = 2.5  # side of the square searched around a detected face, in face-box sizes
SMALL_FACE = 40  # px in the detectors' 640 px look at a whole still: a face this small may hide a second (faces_in_band)


@dataclass(frozen=True)
class ChsiResult:
    jpeg: bytes | None
    measure: ChsiMeasure | None
    refusal: CropRefusal | None
    plan: CropPlan | None = None
    quality: int | None = None
    turns: int = 0  # quarter turns (counter-clockwise) applied to bring the input upright
    denoised: int = 0  # the noise reduction a grainy picture needed to fit the file size (jpeg.NOISE_REDUCTION)

    @property
    def ok(self) -> bool:
        return self.jpeg is not None and self.refusal is None


def in_pixels(boxes: list[Box], image: np.ndarray) -> list[Box]:
    """Boxes given as shares of `image`'s size in its pixels (share_of's inverse)."""
    height, width = image.shape[:2]
    return [(x * width, y * height, w * width, h * height) for x, y, w, h in boxes]


def mesh_in_box(mesher: FaceMesher, image: np.ndarray, box: Box) -> list[Face]:
    """The mesh of a face too small for the mesh's own detector, run on a square around a detection.

    The mesh's detector sees the whole frame at 128 px, so a face under ~15% of the frame width
    (a kiosk student standing back, a 24 MP tethered photo) can go unseen.
    """
    height, width = image.shape[:2]
    x, y, w, h = box[0] * width, box[1] * height, box[2] * width, box[3] * height
    side = ROI_SCALE * max(w, h)
    x0, y0 = int(max(0, x + w / 2 - side / 2)), int(max(0, y + h / 2 - side / 2))
    x1, y1 = int(min(width, x0 + side)), int(min(height, y0 + side))
    if x1 - x0 < 16 or y1 - y0 < 16:
        return []
    found = mesher.detect(np.ascontiguousarray(image[y0:y1, x0:x1]))[:1]
    shifted = []
    for face in found:
        points = face.points.copy()
        points[:, 0] += x0
        points[:, 1] += y0
        shifted.append(Face(points=points, image_size=(width, height)))
    return shifted


class ChsiPipeline:
    """Holds the mediapipe graphs (not thread-safe: one pipeline per thread)."""

    def __init__(self, spec: ChsiSpec = SPEC) -> None:
        self.spec = spec
        self._mesher = FaceMesher(max_faces=3)
        self._planner = CropPlanner(spec)
        self._upright = UprightFinder()
        self._verifier = ChsiVerifier(spec, mesher=self._mesher, hair=self._planner.hair, upright=self._upright)
        self._detector: FaceDetector | None = None  # for a big still's small faces (_tiles)

    def process(self, image: np.ndarray, planned: CropPlan | None = None) -> ChsiResult:
        """The CHSI photo of `image`. `planned`: the crop already planned on this very frame, upright and with
        one person in it, in its own pixels (the shutter's compliance analysis measured it a moment ago):
        the pipeline then goes straight to the warp, and the output is measured and verified as always."""
        if image.size == 0:
            return ChsiResult(None, None, CropRefusal("no_face"))
        if planned is not None:
            return self._finish(as_bgr(image), planned, 0)
        full = as_bgr(image)
        orientation = self._upright.orient(full)
        turns = orientation.turns
        if turns:
            full = np.ascontiguousarray(np.rot90(full, turns))
        factor = min(1.0, ANALYSIS_SIDE / max(full.shape[:2]))
        analysis = full if factor == 1.0 else shrunk(full, factor)
        faces = self._mesher.detect(analysis)
        in_tiles: list[Box] = []  # the faces found in tiles of a big still's copy, in its pixels
        if not faces and orientation.boxes:
            faces = mesh_in_box(self._mesher, analysis, orientation.boxes[0])
            if faces and factor < 1.0:  # a big still's face too small for the mesh: a second one as small, beside it
                in_tiles = [d.box for d in faces_in_band(self._tiles(), analysis, orientation.boxes[0])]
        if not faces:
            return self._small_face(full, analysis, turns)
        # The mesh may miss a second person; the full-range detector does not.
        people = people_in_view([f.box for f in faces], [*in_pixels(orientation.boxes, analysis), *in_tiles], self.spec)
        plan = self._planner.plan(analysis, faces[0])
        if too_small_in_copy(plan, factor):
            return self._at_full_resolution(full, share_of(faces[0].box, analysis), turns, people[1:], factor)
        return self._framed(full, plan, people, turns, factor)

    def _framed(self, full: np.ndarray, plan: CropPlan | CropRefusal, people: tuple[Box, ...], turns: int,
                factor: float = 1.0) -> ChsiResult:
        """The photo `plan` (on a copy of `full` shrunk by `factor`, as `people`, the main face first) makes, unless
        someone else is or may be in it (someone_else_in_photo: a queued student wholly outside it is no reason)."""
        if someone_else_in_photo(people, plan):
            return ChsiResult(None, None, CropRefusal("several_faces", PEOPLE.format(n=len(people))), turns=turns)
        if isinstance(plan, CropRefusal):
            return ChsiResult(None, None, plan, turns=turns)
        return self._finish(full, plan.for_source_scaled(factor), turns)

    def _small_face(self, full: np.ndarray, analysis: np.ndarray, turns: int) -> ChsiResult:
        """A still where neither the mesh nor the upright search saw anyone: on a big one, a face a few pixels wide at
        the detectors' own input size (2.5 % of a 6000 px photo) is looked for in tiles of the analysis copy, as
        `check` looks (FaceDetector.detect_in_tiles), then measured and planned on the original."""
        nobody = ChsiResult(None, None, CropRefusal("no_face"), turns=turns)
        if max(analysis.shape[:2]) <= DETECT_WIDTH:
            return nobody
        found = self._tiles().detect_in_tiles(analysis)
        if not found:
            return nobody
        people = people_in_view([], [d.box for d in found], self.spec)
        return self._at_full_resolution(full, share_of(people[0], analysis), turns, people[1:],
                                        analysis.shape[1] / full.shape[1])

    def _tiles(self) -> FaceDetector:
        """The detector that searches a big still's copy in tiles, as check's still engine searches it (a second person
        is not missed), made for the first still that needs it (two more graphs)."""
        if self._detector is None:
            self._detector = FaceDetector(thorough=True)
        return self._detector

    def _at_full_resolution(self, full: np.ndarray, box: Box, turns: int, others: tuple[Box, ...],
                            factor: float) -> ChsiResult:
        """The face in `box` (shares of the image) made into the photo from the original's own pixels; `others`: the
        other people in view, in the pixels of a copy shrunk by `factor`."""
        plan = plan_on_original(self._planner, full, face_on_original(self._mesher, full, box))
        people = (*in_pixels([box], full), *(tuple(value / factor for value in other) for other in others))
        return self._framed(full, plan, people, turns)

    def upright_turns(self, image: np.ndarray, seen: float | None = None) -> int:
        """np.rot90's k that makes the main face of `image` stand (0 when it does, or when no face is seen)."""
        return self._upright.upright_turns(as_bgr(image), seen)

    def upside_down(self, image: np.ndarray, face: Box, seen: float | None = None) -> bool:
        """Whether the face in `face` (shares of `image`) may stand on its head (UprightFinder.upside_down)."""
        return self._upright.upside_down(as_bgr(image), face, seen)

    def turns_around(self, image: np.ndarray, face: Box) -> int:
        """The quarter turns a vote around the face in `face` finds (UprightFinder.turns_around)."""
        return self._upright.turns_around(as_bgr(image), face)

    def _finish(self, full: np.ndarray, plan: CropPlan, turns: int) -> ChsiResult:
        """Warp, refine against the measured output, encode within the size limits, verify."""
        photo = apply_plan(full, plan, self.spec)
        for _ in range(REFINE_ROUNDS):
            _, seen = self._verifier.measure_face(photo)
            if seen is None:
                break
            plan = plan.refined(*seen, self.spec)
            photo = apply_plan(full, plan, self.spec)
            if abs(seen[0].roll_deg) < SETTLED_ROLL_DEG:
                break
        encoded = encode_chsi_jpeg(photo, self.spec)
        if isinstance(encoded, str):
            return ChsiResult(None, None, CropRefusal(encoded), plan, turns=turns)
        measure = self._verifier.verify(encoded.data)
        if not measure.ok:
            return ChsiResult(None, measure, CropRefusal("out_of_spec", problems_said(measure.problems)), plan,
                              encoded.quality, turns, encoded.denoised)
        return ChsiResult(encoded.data, measure, None, plan, encoded.quality, turns, encoded.denoised)

    def verify(self, data: bytes) -> ChsiMeasure:
        return self._verifier.verify(data)

    def close(self) -> None:
        self._mesher.close()
        self._planner.close()
        self._upright.close()
        if self._detector is not None:
            self._detector.close()

    def __enter__(self) -> "ChsiPipeline":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def too_small_in_copy(plan: CropPlan | CropRefusal, factor: float) -> bool:
    """A plan refused as too small on an analysis copy shrunk by `factor` < 1: the original may have pixels enough
    (plan_on_original). The pipeline and check's still engine both ask this, so that they agree."""
    return factor < 1.0 and isinstance(plan, CropRefusal) and plan.reason == "face_too_small"


def face_on_original(mesher: FaceMesher, full: np.ndarray, box: Box) -> Face | None:
    """The mesh of the face in `box` (shares of the image) in the original's own pixels, None when it cannot be
    measured even there: a face too small in the analysis copy may have pixels enough in the original."""
    faces = mesh_in_box(mesher, full, box)
    return faces[0] if faces else None


def plan_on_original(planner: CropPlanner, full: np.ndarray, face: Face | None) -> CropPlan | CropRefusal:
    """The crop of `face` (face_on_original) planned in the original's own pixels. A face the mesh could not measure
    there, or still too small to be enlarged to the CHSI photo's width, is too small (come closer)."""
    return planner.plan(full, face) if face is not None else CropRefusal("face_too_small")


def faces_in_band(detector: FaceDetector, image: np.ndarray, box: Box) -> list[Detection]:
    """The faces in tiles (FaceDetector.detect_in_tiles) of the band of `image` DETECT_WIDTH px tall around the face in
    `box` (shares of its size), in `image`'s pixels; none where that face is SMALL_FACE px or more in the detectors'
    look at the whole image (its longer side at DETECT_WIDTH px). A second person as small as such a face can be missed
    there (the demo's two people, 16-24 px in that look, were seen as one in 10 of 96 big stills) and stands about
    level with it; one row of tiles costs a third of the whole copy's. Beside a larger face one of a size to count is
    seen in that look, and the tiles would only add their own mistakes (a suit's shoulder, 0.66 sure, beside 王思远's
    58 px face in it)."""
    height, width = image.shape[:2]
    if box[2] * width * DETECT_WIDTH / max(height, width) >= SMALL_FACE:
        return []
    centre = (box[1] + box[3] / 2) * height
    top = int(min(max(0.0, centre - DETECT_WIDTH / 2), max(0, height - DETECT_WIDTH)))
    return [Detection((x, y + top, w, h), d.score)
            for d in detector.detect_in_tiles(image[top:top + DETECT_WIDTH]) for x, y, w, h in [d.box]]


def share_of(box: tuple[float, float, float, float], image: np.ndarray) -> Box:
    """A box in `image`'s pixels as shares of its size (the same box in any copy of it)."""
    height, width = image.shape[:2]
    return (box[0] / width, box[1] / height, box[2] / width, box[3] / height)
