"""docs/compliance.md says how many learned models the live preview shares out over its frames, in how many turns and
so how many frames a full round takes (station/compliance/live.py points a reader there for "the shipped count").
Session 19 retired seven of twenty-six models and the page still said twenty-six models in eleven turns, about 22
frames: the figures are read here from the shipped models, as the live analyser packs them."""

from __future__ import annotations

from pathlib import Path

from station.compliance.learned import LearnedChecks

ROOT = Path(__file__).resolve().parents[2]
WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six "
         "twenty-seven twenty-eight twenty-nine thirty").split()


def test_the_documented_live_round_is_the_shipped_one() -> None:
    checks = LearnedChecks.load()
    models, turns = len(checks.models), len(checks.live_groups())
    frames = 2 * turns  # one turn on each frame that does not segment: about every other frame (live.py)
    text = " ".join((ROOT / "docs" / "compliance.md").read_text(encoding="utf-8").split())
    said = f"the {WORDS[models]} shipped models take {WORDS[turns]} turns"
    assert said in text, said
    assert f"{said}, packed by each model's multiply-adds" in text
    assert f"about {frames} frames for a full round" in text
