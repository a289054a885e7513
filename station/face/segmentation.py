"""Who is the person and what is the backdrop: mediapipe's selfie segmentation (bundled in its wheel).

The landscape model (144x256 input) fits 16:9 camera frames and is the faster of the two; the
general one (256x256) suits square portraits.
"""

from __future__ import annotations

import numpy as np

from station.face.frames import to_rgb
from station.face.mediapipe_graphs import solutions


class PersonSegmenter:
    """Not thread-safe: one per thread."""

    def __init__(self, portrait: bool = False) -> None:
        self._seg = solutions().selfie_segmentation.SelfieSegmentation(model_selection=0 if portrait else 1)

    def mask(self, bgr: np.ndarray) -> np.ndarray:
        """Float32 0..1 (1 = person), the size of the image."""
        return self._seg.process(to_rgb(bgr)).segmentation_mask

    def close(self) -> None:
        self._seg.close()

    def __enter__(self) -> "PersonSegmenter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
