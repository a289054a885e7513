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


def test_the_face_is_named_after_its_owner_not_after_a_student_it_was_wrongly_saved_under() -> None:
    """The walk's swap (s24, finding 18): 林晓雯's face saved under 赵雨桐 over 不是同一人 (a row that does not vouch),
    then shot again under a third student: it matched 赵雨桐's row best (the very same frame) and was named
    这张脸已作为赵雨桐拍摄过, sending the photographer to look for the wrong student; her own photo matches too."""
    rng = np.random.default_rng(5)
    face = unit(rng.normal(size=128))
    crowd = [(StoredFace(f"2021{i:06d}", CAPTURE, f"u{i}"), unit(rng.normal(size=128))) for i in range(200)]
    hers = StoredFace("2021010101", CAPTURE, "hers")
    wrongly_filed = StoredFace("2021010104", CAPTURE, "swap", vouches=False)
    gallery = FaceGallery.build(crowd + [(hers, near(face, 0.9, rng)), (wrongly_filed, near(face, 0.99, rng))])
    suspect = find_swap(face, gallery, "2021010108")
    assert suspect.face == hers and abs(suspect.score - 0.9) < 1e-4
    alone = FaceGallery.build(crowd + [(wrongly_filed, near(face, 0.99, rng))])
    assert find_swap(face, alone, "2021010108").face == wrongly_filed  # still a swap, named by what there is
    own = gallery.with_face(StoredFace("2021010108", REFERENCE), near(face, 0.95, rng))
    suspect = find_swap(face, own, "2021010108")  # her own 0.9 is below this student's 0.95; the filed one is above
    assert suspect.face == wrongly_filed and suspect.own_score > 0.94
