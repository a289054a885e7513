"""The domain API the review screen uses: verdict levels and the cohort-wide gallery search."""

from __future__ import annotations

import numpy as np

from station.identity import verify
from station.identity.verify import Gallery, best_match, compare, verdict_for


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    vectors = rng.normal(size=(n, 128)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_levels_follow_the_shipped_thresholds() -> None:
    assert verify.DIFFERENT_THRESHOLD < verify.SAME_THRESHOLD
    assert verdict_for(verify.SAME_THRESHOLD).level == "same"
    assert verdict_for(np.nextafter(verify.SAME_THRESHOLD, -1)).level == "uncertain"
    assert verdict_for(np.nextafter(verify.DIFFERENT_THRESHOLD, -1)).level == "different"
    a = _unit(np.random.default_rng(1), 1)[0]
    assert compare(a, a).same and compare(a, -a).level == "different"


def test_best_match_finds_the_planted_face_among_ten_thousand_and_leaves_out_the_own_rows() -> None:
    rng = np.random.default_rng(7)
    vectors = _unit(rng, 10_000)
    keys = [f"2021{i:06d}" for i in range(10_000)]
    keys[42] = keys[43] = "2021999999"  # a student with a reference and a capture
    gallery = Gallery.build(list(zip(keys, vectors)))
    probe = vectors[5000] + 0.05 * _unit(rng, 1)[0]
    match = best_match(probe, gallery)
    assert match is not None and match.key == keys[5000] and match.score > 0.9
    own = vectors[42] + 0.05 * _unit(rng, 1)[0]
    assert best_match(own, gallery).key == "2021999999"
    assert best_match(own, gallery, exclude="2021999999").key != "2021999999"
    assert best_match(probe, Gallery.build([])) is None
