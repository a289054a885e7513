"""Every limit of the photo file in one place: the CHSI (学信网) graduation photo, or a school's own profile.

The numbers are not in code: they are the output profiles of station/chsi/profiles.toml (the CHSI one ships
as `chsi`, the default; a school adds its own in the data folder, station.chsi.profiles). The crop planner,
the JPEG encoder, the verifier and the `crop` command all read a ChsiSpec; SPEC is the CHSI one.
Vertical positions are pixels from the top edge of the output photo.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

SHIPPED_PROFILES = Path(__file__).with_name("profiles.toml")
DEFAULT_PROFILE = "chsi"


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
    width: int
    height: int
    dpi: int
    min_bytes: int
    max_bytes: int
    min_jpeg_quality: int
    max_jpeg_quality: int
    hair_top_y: Range
    eyes_y: Range
    face_width: Range
    max_roll_deg: float
    max_centre_offset_px: float
    max_upscale: float
    second_face_min_ratio: float


def spec_of(table: dict[str, object], base: ChsiSpec | None = None) -> ChsiSpec:
    """A profile table's spec; a key it leaves out takes `base`'s value. Raises ValueError naming the first
    key that is unknown, missing, of the wrong type or out of range."""
    kinds = {f.name: f.type for f in fields(ChsiSpec)}
    values: dict[str, object] = {}
    for key, value in table.items():
        if key.startswith("label"):
            continue
        kind = kinds.get(key)
        if kind is None:
            raise ValueError(f"unknown key {key}")
        if kind == "Range":
            if not (isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value)
                    and value[0] <= value[1]):
                raise ValueError(f"{key} must be [low, high]")
            values[key] = Range(float(value[0]), float(value[1]))
        elif not _number(value) or value < 0 or (value == 0 and key != "min_bytes") or (kind == "int" and value != int(value)):
            raise ValueError(f"{key} must be a positive {'whole ' if kind == 'int' else ''}number")
        else:
            values[key] = int(value) if kind == "int" else float(value)
    if base is None:
        missing = [key for key in kinds if key not in values]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        spec = ChsiSpec(**values)
    else:
        spec = replace(base, **values)
    if spec.min_bytes > spec.max_bytes or spec.min_jpeg_quality > spec.max_jpeg_quality or spec.max_jpeg_quality > 100:
        raise ValueError("min_bytes <= max_bytes and min_jpeg_quality <= max_jpeg_quality <= 100")
    return spec


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


SPEC = spec_of(tomllib.loads(SHIPPED_PROFILES.read_text(encoding="utf-8"))["profiles"][DEFAULT_PROFILE])
