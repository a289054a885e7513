"""Is it the same person? Scores, verdicts and the matrix of stored faces a search runs over
(station.identity.swaps).

The score is the cosine similarity of two unit embeddings (station.identity.embedder), higher
meaning more alike. The two thresholds were chosen on the development people of
training/splits/lfw_identities.csv by the rule written in models/face_verify/README.md before any
held-out figure was looked at: SAME_THRESHOLD lets through at most 0.05 % of the development pairs of
different people (half the 0.1 % goal, for the sampling error), DIFFERENT_THRESHOLD at most 1 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MODEL_ID = "sface_2021dec_int8bq"  # the embedder these thresholds belong to; cached embeddings carry it
EMBEDDING_SIZE = 128  # its vectors' length
# The rule on 2,299 dev images (13,887 genuine, 2,627,664 impostor pairs), the subject's face (the centre rule and the
# off-centre second look of session 33; the widest face gave 0.3855 and 0.2994), no flip (model card)
SAME_THRESHOLD = 0.3854
DIFFERENT_THRESHOLD = 0.2996

LEVELS = ("same", "uncertain", "different")


@dataclass(frozen=True)
class Verdict:
    score: float
    level: str  # one of LEVELS

    @property
    def same(self) -> bool:
        return self.level == "same"


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two embeddings (unit vectors, so the dot product)."""
    return float(np.dot(np.asarray(a, np.float32), np.asarray(b, np.float32)))


def verdict_for(score: float) -> Verdict:
    if score >= SAME_THRESHOLD:
        return Verdict(score, "same")
    if score < DIFFERENT_THRESHOLD:
        return Verdict(score, "different")
    return Verdict(score, "uncertain")


def compare(a: np.ndarray, b: np.ndarray) -> Verdict:
    """Same person, uncertain (a person should look), or different person."""
    return verdict_for(similarity(a, b))


@dataclass(frozen=True)
class Gallery:
    """Stored faces as one matrix, so one face is compared with all of them in a single product."""

    keys: tuple[str, ...]  # e.g. student numbers, one per row (a student may have several rows)
    matrix: np.ndarray  # (n, 128) float32, unit rows
    key_array: np.ndarray  # the keys again as a numpy array, to mask a student's own rows at once

    @classmethod
    def build(cls, items: Sequence[tuple[str, np.ndarray]]) -> "Gallery":
        if not items:
            return cls((), np.zeros((0, EMBEDDING_SIZE), np.float32), np.array([], dtype=str))
        keys, vectors = zip(*items)
        return cls(tuple(keys), np.ascontiguousarray(np.stack(vectors).astype(np.float32)), np.asarray(keys))

