"""Re-measure a produced CHSI JPEG from its bytes: the capture flow and the tests trust this, not the plan.

Everything is measured on the file itself — dimensions, colour depth, size, dpi, metadata
segments, and (with the face mesh run again on the decoded photo) hair top, eye line, face
width, remaining roll and orientation.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field, replace

import cv2
import numpy as np
from PIL import Image

from station.chsi.face_geometry import FaceGeometry
from station.chsi.hair import PERSON_THRESHOLD, HairTop, HairTopFinder, hair_top_in_mask
from station.chsi.orientation import UprightFinder
from station.chsi.spec import SPEC, ChsiSpec
from station.face.landmarks import FaceMesher

ALLOWED_SEGMENTS = {"APP0:JFIF", "DQT", "SOF0", "SOF2", "DHT", "DRI", "SOS"}


@dataclass(frozen=True)
class ChsiMeasure:
    width: int
    height: int
    channels: int
    bytes: int
    dpi: tuple[float, float]
    segments: list[str]
    faces: int = 0
    hair_top_y: float = float("nan")
    eyes_y: float = float("nan")
    face_width: float = float("nan")
    roll: float = float("nan")
    upright: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def jpeg_segments(data: bytes) -> list[str]:
    """Marker segments before the image data, e.g. ['APP0:JFIF', 'DQT', 'SOF0', 'DHT', 'SOS']."""
    if data[:2] != b"\xff\xd8":
        return ["not-a-jpeg"]
    names = {0xC0: "SOF0", 0xC2: "SOF2", 0xC4: "DHT", 0xDB: "DQT", 0xDD: "DRI", 0xDA: "SOS", 0xFE: "COM"}
    segments, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if 0xE0 <= marker <= 0xEF:
            ident = data[pos + 4 : pos + 4 + 5].split(b"\0")[0].decode("latin-1", "replace")
            segments.append(f"APP{marker - 0xE0}:{ident}")
        else:
            segments.append(names.get(marker, f"0x{marker:02X}"))
        if marker == 0xDA:
            break
        pos += 2 + length
    return segments


def measure_file(data: bytes, spec: ChsiSpec = SPEC) -> ChsiMeasure:
    """The format half: dimensions, colour, size, dpi, metadata."""
    problems: list[str] = []
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            channels = len(img.getbands())
            dpi = tuple(float(v) for v in img.info.get("dpi", (0, 0)))
            is_jpeg = img.format == "JPEG"
    except Exception:  # noqa: BLE001 - anything unreadable is simply not a CHSI photo
        return ChsiMeasure(0, 0, 0, len(data), (0.0, 0.0), [], problems=["unreadable"])
    segments = jpeg_segments(data)
    if not is_jpeg:
        problems.append("not_jpeg")
    if (width, height) != (spec.width, spec.height):
        problems.append("dimensions")
    if channels != 3:
        problems.append("not_24bit_colour")
    if not spec.min_bytes <= len(data) <= spec.max_bytes:
        problems.append("file_size")
    if tuple(round(v) for v in dpi) != (spec.dpi, spec.dpi):
        problems.append("dpi")
    if any(s not in ALLOWED_SEGMENTS for s in segments):
        problems.append("metadata")
    return ChsiMeasure(width, height, channels, len(data), dpi, segments, problems=problems)


# degrees of roll within which a face the mesh reads is levelled as the pipeline levels its photos (spec: under 1)
LEVEL_DEG = 10.0


class ChsiVerifier:
    """Measures a JPEG's face geometry too. Holds mediapipe graphs: one per thread."""

    def __init__(self, spec: ChsiSpec = SPEC, mesher: FaceMesher | None = None,
                 hair: HairTopFinder | None = None, upright: UprightFinder | None = None) -> None:
        self.spec = spec
        self._mesher = mesher or FaceMesher(max_faces=3)
        self._hair = hair or HairTopFinder()
        self._upright = upright or UprightFinder()

    def measure_face(self, bgr: np.ndarray) -> tuple[int, tuple[FaceGeometry, HairTop] | None]:
        """Faces seen, and the face and hair top when there is exactly one."""
        faces = self._mesher.detect(bgr)
        if len(faces) != 1:
            return len(faces), None
        face = FaceGeometry.from_points(faces[0].points)
        person = self._hair.person_mask(bgr) > PERSON_THRESHOLD
        return 1, (face, hair_top_in_mask(person, face))

    def verify(self, data: bytes) -> ChsiMeasure:
        base = measure_file(data, self.spec)
        if "unreadable" in base.problems:
            return base
        bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        count, found = self.measure_face(bgr)
        problems = list(base.problems)
        if found is None:
            problems.append("no_face" if not count else "several_faces")
            return replace(base, faces=count, problems=problems)
        face, hair = found
        upright = self._stands(bgr, face)
        spec = self.spec
        if hair.touches_edge or hair.y not in spec.hair_top_y:
            problems.append("hair_top_y")
        if face.eye_centre[1] not in spec.eyes_y:
            problems.append("eyes_y")
        if face.face_width not in spec.face_width:
            problems.append("face_width")
        if abs(face.roll_deg) > spec.max_roll_deg:
            problems.append("roll")
        if abs(face.centre_x - spec.width / 2) > spec.max_centre_offset_px:
            problems.append("not_centred")
        if not upright:
            problems.append("orientation")
        return replace(
            base, problems=problems, faces=1, hair_top_y=hair.y, eyes_y=face.eye_centre[1],
            face_width=face.face_width, roll=face.roll_deg, upright=upright,
        )

    def _stands(self, bgr: np.ndarray, face: FaceGeometry) -> bool:
        """Whether the photo's face stands upright. The short-range detector alone took plainly upright, levelled
        photos for faces on their side (13 or more of 300 kiosk photos of CelebA-HQ val faces, 8 of 100 portraits on a
        canvas, more grainy ones), and the mesh cannot settle it (it read one face lying on its side as leaning 41
        degrees): where that detector votes a quarter turn for a face the mesh reads level, the face stands only if
        both detectors over the whole photo, the vote `crop` orients its input by, find no turn. A half-turn vote,
        which the mesh cannot see, refuses (docs/chsi_photo.md, "Which way up the photo stands")."""
        if not (face.eye_centre[1] < face.mouth[1] < face.chin[1] and abs(face.roll_deg) < 45):
            return False
        turns = self._upright.upright_turns(bgr)
        if turns % 2 == 0 or abs(face.roll_deg) > LEVEL_DEG:
            return turns == 0
        return self._upright.orient(bgr).turns == 0

    def close(self) -> None:
        self._mesher.close()
        self._hair.close()
        self._upright.close()
