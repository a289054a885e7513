"""The domain API the review screen uses: verdict levels."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from station.identity import verify
from station.identity.verify import compare, verdict_for


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



def test_the_documented_thresholds_are_the_shipped_ones() -> None:
    """`verify`'s reference and the demo's notes quote the thresholds a reader compares scores with: after session 33
    moved them (0.3855 -> 0.3854, 0.2994 -> 0.2996) both still quoted the old ones."""
    root = Path(__file__).resolve().parents[2]
    for page in ("docs/cli.md", "assets/demo/README.md"):
        text = (root / page).read_text(encoding="utf-8")
        assert f"threshold {verify.SAME_THRESHOLD}" in text or f"threshold\n{verify.SAME_THRESHOLD}" in text, page
        assert f"below {verify.DIFFERENT_THRESHOLD}" in text, page
