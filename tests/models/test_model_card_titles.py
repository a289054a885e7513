"""A model card's title names the checks its model takes part in. After session 19 gave `glasses` to the brow band
alone, face_attributes' card still named `glasses` and brow_band_3's named `eyebrows_covered`, which val gives it no
weight in: each title is compared here with models/manifest.json's blends."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TITLE = re.compile(r"# Model card: (\w+)\.onnx \((.*)\)$")


def test_each_card_title_names_the_checks_its_model_is_blended_into() -> None:
    manifest = json.loads((ROOT / "models" / "manifest.json").read_text(encoding="utf-8"))
    blended: dict[str, set[str]] = {}
    for check, weights in manifest["checks"].items():
        for output, weight in weights.items():
            if weight > 0:
                blended.setdefault(output.split("/")[0], set()).add(check)
    compared = 0
    for card in sorted((ROOT / "models").glob("*/*.md")):
        title = TITLE.match(card.read_text(encoding="utf-8").splitlines()[0])
        named = set(re.findall(r"`(\w+)`", title.group(2))) if title else set()
        if not named or title.group(1) not in blended:  # a sister run's card names none; lenses are not blended
            continue
        assert named == blended[title.group(1)], card.relative_to(ROOT)
        compared += 1
    assert compared >= 15
