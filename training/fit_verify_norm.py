"""A linear normalisation of SFace's face embeddings, fitted on identity-labelled faces (the LFW dev people).

Two kinds, the candidates of the face verification model card ("A linear normalisation of the embeddings"):
- "centre": subtract the fitting images' mean embedding, then L2-normalise;
- "wccn": centre, multiply by S^(-1/2), S the within-person covariance (each image minus its person's mean, pooled
  over the people with at least 2 images) shrunk towards SHRINKAGE * trace(S) / d * I, then L2-normalise.
scripts/benchmark_verify_norm.py measures them by cross-validation over the dev people. Neither met the card's rule
(session 20), so the station compares SFace's vectors as they are and nothing here is shipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

KINDS = ("centre", "wccn")
SHRINKAGE = 0.1  # fixed in the card's rule before any figure: the identity added, relative to S's mean variance


@dataclass(frozen=True)
class Normalisation:
    mean: np.ndarray  # (d,) subtracted first
    transform: np.ndarray | None  # (d, d) applied to the centred row vectors (v @ transform), None for "centre"

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """Rows mapped and L2-normalised again (so the cosine stays a dot product)."""
        mapped = np.asarray(vectors, np.float64) - self.mean
        if self.transform is not None:
            mapped = mapped @ self.transform
        return (mapped / np.linalg.norm(mapped, axis=-1, keepdims=True)).astype(np.float32)


def fit(vectors: np.ndarray, labels: Sequence[str], kind: str) -> Normalisation:
    """The `kind` normalisation fitted on unit embeddings `vectors` (n, d) of the people `labels`."""
    vectors = np.asarray(vectors, np.float64)
    mean = vectors.mean(axis=0)
    if kind == "centre":
        return Normalisation(mean, None)
    if kind != "wccn":
        raise ValueError(kind)
    ids = np.unique(np.asarray(labels), return_inverse=True)[1]
    counts = np.bincount(ids)
    keep = counts[ids] >= 2
    person_means = np.zeros((len(counts), vectors.shape[1]))
    np.add.at(person_means, ids, vectors)
    person_means /= counts[:, None]
    within = (vectors - person_means[ids])[keep]
    scatter = within.T @ within / len(within)
    scatter += SHRINKAGE * np.trace(scatter) / len(scatter) * np.eye(len(scatter))
    values, basis = np.linalg.eigh(scatter)
    return Normalisation(mean, basis @ np.diag(values ** -0.5) @ basis.T)
