"""The one CHSI pipeline: the shutter and `photo-station crop` both run exactly this.

upright check -> landmarks -> crop plan (roll, hair top, scale) -> warp of the full-resolution
original -> JPEG size search -> re-measure the JPEG. Any step that cannot meet the spec
yields a refusal with a reason and no photo.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from station.chsi.crop import CropPlan, CropPlanner, CropRefusal, apply_plan
from station.chsi.image_io import as_bgr
from station.chsi.jpeg import encode_chsi_jpeg
from station.chsi.orientation import UprightFinder
from station.chsi.spec import SPEC, ChsiSpec
from station.chsi.verify import ChsiMeasure, ChsiVerifier
from station.face.landmarks import Face, FaceMesher

ANALYSIS_SIDE = 1600  # landmarks and segmentation run on a copy no larger than this


@dataclass(frozen=True)
class ChsiResult:
    jpeg: bytes | None
    measure: ChsiMeasure | None
    refusal: CropRefusal | None
    plan: CropPlan | None = None
    quality: int | None = None
    turns: int = 0  # quarter turns (counter-clockwise) applied to bring the input upright

    @property
    def ok(self) -> bool:
        return self.jpeg is not None and self.refusal is None


def several_faces(faces: list[Face], spec: ChsiSpec = SPEC) -> bool:
    """A second face big enough to be a person in the picture (not a tiny poster far behind)."""
    if len(faces) < 2:
        return False
    return faces[1].box[2] >= spec.second_face_min_ratio * faces[0].box[2]


class ChsiPipeline:
    """Holds the mediapipe graphs (not thread-safe: one pipeline per thread)."""

    def __init__(self, spec: ChsiSpec = SPEC) -> None:
        self.spec = spec
        self._mesher = FaceMesher(max_faces=3)
        self._planner = CropPlanner(spec)
        self._upright = UprightFinder()
        self._verifier = ChsiVerifier(spec, mesher=self._mesher, hair=self._planner.hair, upright=self._upright)

    def process(self, image: np.ndarray) -> ChsiResult:
        full = as_bgr(image)
        turns = self._upright.upright_turns(full)
        if turns:
            full = np.ascontiguousarray(np.rot90(full, turns))
        factor = min(1.0, ANALYSIS_SIDE / max(full.shape[:2]))
        analysis = full if factor == 1.0 else cv2.resize(full, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        faces = self._mesher.detect(analysis)
        if not faces:
            return ChsiResult(None, None, CropRefusal("no_face"), turns=turns)
        if several_faces(faces, self.spec):
            return ChsiResult(None, None, CropRefusal("several_faces", str(len(faces))), turns=turns)
        plan = self._planner.plan(analysis, faces[0])
        if isinstance(plan, CropRefusal):
            return ChsiResult(None, None, plan, turns=turns)
        plan = plan.for_source_scaled(factor)
        encoded = encode_chsi_jpeg(apply_plan(full, plan, self.spec), self.spec)
        if encoded is None:
            return ChsiResult(None, None, CropRefusal("jpeg_size"), plan, turns=turns)
        measure = self._verifier.verify(encoded.data)
        if not measure.ok:
            return ChsiResult(None, measure, CropRefusal("out_of_spec", ", ".join(measure.problems)), plan,
                              encoded.quality, turns)
        return ChsiResult(encoded.data, measure, None, plan, encoded.quality, turns)

    def verify(self, data: bytes) -> ChsiMeasure:
        return self._verifier.verify(data)

    def close(self) -> None:
        self._mesher.close()
        self._planner.close()
        self._upright.close()

    def __enter__(self) -> "ChsiPipeline":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
