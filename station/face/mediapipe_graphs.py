"""The one door to mediapipe's bundled graphs (face mesh, face detectors, selfie segmentation).

Every graph is built through `solutions()`, so two things hold wherever one is made (the window, `check`, `crop`,
`capture`, a test): mediapipe's C++ log stays off the operator's console, and on a Windows whose code page cannot
name the folder mediapipe lives in, the photographer reads what to do instead of "The path does not exist" from a
worker thread (station/face/native_paths.py).
"""

from __future__ import annotations

import os
from types import ModuleType

os.environ.setdefault("GLOG_minloglevel", "2")

import mediapipe as mp  # noqa: E402

from station.face.native_paths import check_mediapipe_folder  # noqa: E402


def solutions() -> ModuleType:
    """mediapipe's `solutions` package, once its folder is known to be readable (a StationError if not)."""
    check_mediapipe_folder()
    return mp.solutions
