"""The swap rule on planted vectors: another student's face counts only at least as the same person and better than
the student's own; a save replaces the student's earlier capture in the gallery."""

from __future__ import annotations

import numpy as np

from station.identity.swaps import CAPTURE, REFERENCE, FaceGallery, StoredFace, find_swap
from station.identity.verify import SAME_THRESHOLD


def unit(vector: np.ndarray) -> np.ndarray:
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def near(vector: np.ndarray, score: float, rng: np.random.Generator) -> np.ndarray:
    """A unit vector whose cosine with `vector` is `score`."""
    other = rng.normal(size=vector.shape)
    other -= other @ vector * vector
    return unit(score * vector + np.sqrt(1 - score ** 2) * unit(other))


def test_the_rule() -> None:
    rng = np.random.default_rng(3)
    face = unit(rng.normal(size=128))
    crowd = [(StoredFace(f"2021{i:06d}", CAPTURE, f"u{i}"), unit(rng.normal(size=128))) for i in range(2000)]
    other = StoredFace("2021999999", CAPTURE, "theirs")
    gallery = FaceGallery.build(crowd + [(other, near(face, 0.7, rng))])
    suspect = find_swap(face, gallery, "2021000001")
    assert suspect.face == other and abs(suspect.score - 0.7) < 1e-4
    assert suspect.own_score is not None and suspect.own_score < 0.3  # the student's own (random) capture
    own_better = gallery.with_face(StoredFace("2021000001", REFERENCE), near(face, 0.8, rng))
    assert find_swap(face, own_better, "2021000001") is None
    faint = FaceGallery.build(crowd + [(other, near(face, SAME_THRESHOLD - 0.01, rng))])
    assert find_swap(face, faint, "2021000001") is None  # below "same person": not a swap
    assert find_swap(face, FaceGallery.build([]), "2021000001") is None


def test_a_new_capture_supersedes_the_students_earlier_one_only() -> None:
    rng = np.random.default_rng(4)
    a, b = unit(rng.normal(size=128)), unit(rng.normal(size=128))
    gallery = FaceGallery.build([(StoredFace("1", CAPTURE, "v1"), a), (StoredFace("1", REFERENCE), a),
                                 (StoredFace("2", CAPTURE, "w1"), b)])
    grown = gallery.with_face(StoredFace("1", CAPTURE, "v2"), b)
    assert [f.ref for f in grown.faces] == ["", "w1", "v2"] and len(gallery) == 3
    assert grown.gallery.matrix.flags.c_contiguous and grown.gallery.matrix.dtype == np.float32
    assert np.allclose(grown.gallery.matrix[2], b)
