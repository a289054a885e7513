"""An image file to the embedding of its one main face, or the reason it has none (never an exception)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from station.image_io import MISSING, UNREADABLE, read_image, why_unreadable
from station.i18n import Text
from station.identity.embedder import FaceEmbedder, FaceEmbedding, FaceProblem


@dataclass(frozen=True)
class Unusable:
    code: str  # "missing" | "unreadable" | "no_face" | "several_faces" | ...
    text: Text


def embed_image(embedder: FaceEmbedder, image: np.ndarray | None) -> FaceEmbedding | Unusable:
    """The main face's embedding of a decoded image (None: it could not be decoded)."""
    if image is None:
        return Unusable("unreadable", UNREADABLE)
    try:
        return embedder.embed(image)
    except FaceProblem as problem:
        return Unusable(problem.code, problem.text)


def embed_file(embedder: FaceEmbedder, path: Path) -> FaceEmbedding | Unusable:
    image = read_image(path)
    if image is None:
        text = why_unreadable(path)
        return Unusable("missing" if text is MISSING else "unreadable", text)
    return embed_image(embedder, image)
