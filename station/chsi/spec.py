"""Every limit of the CHSI (学信网) graduation photo in one place.

A school with a different spec edits this file only: the crop planner, the JPEG
encoder, the verifier, the compliance checks and the `crop` command all read these.
Vertical positions are pixels from the top edge of the output photo.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    """A closed interval with the middle the planner aims at."""

    low: float
    high: float

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2

    def __contains__(self, value: object) -> bool:
        return isinstance(value, (int, float)) and self.low <= value <= self.high


@dataclass(frozen=True)
class ChsiSpec:
    width: int = 480
    height: int = 640
    dpi: int = 300
    # "20 to 40 KB": read in the stricter sense at each end (20 KiB, 40 000 bytes), so the
    # file passes whichever meaning of KB an uploader checks.
    min_bytes: int = 20 * 1024
    max_bytes: int = 40 * 1000
    min_jpeg_quality: int = 60
    max_jpeg_quality: int = 100
    hair_top_y: Range = Range(50, 110)
    eyes_y: Range = Range(200, 300)
    face_width: Range = Range(180, 300)
    max_roll_deg: float = 1.0
    # "head centred": the face centre may sit this far from the vertical mid-line.
    max_centre_offset_px: float = 12.0
    # Upscaling the camera frame more than this blurs the photo: the student must come closer.
    max_upscale: float = 2.5
    # A second face at least this wide (relative to the main face) means several people in view.
    second_face_min_ratio: float = 0.3


SPEC = ChsiSpec()
