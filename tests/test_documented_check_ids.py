"""docs/cli.md lists the check ids `check --json` gives, in their order. The list was written before coloured_lenses,
makeup and backdrop_drift were added and still named 18 of the 21: it is compared here with station.compliance's
CHECK_IDS, the order `check --json` writes them in."""

from __future__ import annotations

import re
from pathlib import Path

from station.compliance import CHECK_IDS

ROOT = Path(__file__).resolve().parents[1]


def test_the_documented_check_ids_are_the_ones_check_prints() -> None:
    text = " ".join((ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split())
    listed = re.search(r'\{<id>: \{"ok", "level", "score"\}\} for (.*?), "questions"', text)
    assert listed is not None
    assert listed.group(1).split(", ") == list(CHECK_IDS)
