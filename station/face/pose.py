"""Head pose (yaw, pitch, roll in degrees) from the face mesh's 3D landmarks.

The mesh gives every point a depth at the scale of x, so the face's own axes are measured
directly: left-right from symmetric landmark pairs, up-down from the midline. A linear map per
angle, fitted on the genki4k "train" split (scripts/fit_head_pose.py), turns these raw angles
into the GENKI-4K label convention; benchmark_compliance.py measures the error on "test". Yaw and
roll keep a mirror's symmetry (a head turned left, mirrored, is turned right as far): their offset
cancels the mesh's own bias instead of following GENKI-4K's zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Symmetric pairs (subject's right -> left) and midline pairs (top -> bottom) of mediapipe's mesh.
SYMMETRIC_PAIRS = ((234, 454), (127, 356), (33, 263), (133, 362), (61, 291), (93, 323), (132, 361))
MIDLINE_PAIRS = ((10, 152), (151, 175), (9, 200), (168, 17))

# (slope, offset) per angle, fitted on genki4k train (scripts/fit_head_pose.py; yaw and roll mirror-symmetric).
CALIBRATION = {"yaw": (1.126, -0.217), "pitch": (-0.596, 5.706), "roll": (0.999, -0.009)}


@dataclass(frozen=True)
class HeadPose:
    yaw: float
    pitch: float
    roll: float


def raw_angles(points: np.ndarray) -> tuple[float, float, float]:
    """Uncalibrated yaw, pitch, roll in degrees from (478, 3) mesh points."""
    p = points.astype(np.float64)
    across = sum(p[b] - p[a] for a, b in SYMMETRIC_PAIRS)
    down = sum(p[b] - p[a] for a, b in MIDLINE_PAIRS)
    yaw = math.degrees(math.atan2(across[2], across[0]))
    roll = math.degrees(math.atan2(across[1], across[0]))
    x = across / np.linalg.norm(across)
    down = down - x * float(np.dot(x, down))
    pitch = math.degrees(math.atan2(down[2], down[1]))
    return yaw, pitch, roll


def head_pose(points: np.ndarray) -> HeadPose:
    raw = dict(zip(("yaw", "pitch", "roll"), raw_angles(points)))
    return HeadPose(**{k: CALIBRATION[k][0] * raw[k] + CALIBRATION[k][1] for k in raw})
