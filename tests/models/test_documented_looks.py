"""The look-only checks' model cards (makeup, coloured lenses) tell a school which `look` ships, as the last of their
amendments. After session 19 raised makeup's to 0.977 its card still ended on session 15's 0.975: the shipped value is
read here from station/compliance/policy.toml and looked for, in bold, on the card."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.compliance.policy import Policy

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("check", "card"), [("makeup", "models/makeup/makeup.md"),
                                             ("coloured_lenses", "models/coloured_lenses/coloured_lenses.md")])
def test_a_look_only_card_names_the_shipped_look(check: str, card: str) -> None:
    look = Policy.load()[check].look
    text = (ROOT / card).read_text(encoding="utf-8")
    assert f"**{look:.3f}**" in text or f"**look = {look:.3f}**" in text, (card, look)


@pytest.mark.parametrize(("check", "card"), [("eyebrows_covered", "models/brows_mnv2/brows_mnv2.md"),
                                             ("ears_covered", "models/ear_box/ear_box.md")])
def test_a_close_up_card_names_the_shipped_levels(check: str, card: str) -> None:
    """brows_mnv2's card ended on session 13's levels (look 0.303, block 0.506) and told of the demo portrait still
    hearing 请把刘海拨开, which the shipped look (0.290 since) lets pass; ear_box's gave only session 6's single
    threshold 0.693 as the check's."""
    levels = Policy.load()[check]
    text = (ROOT / card).read_text(encoding="utf-8")
    assert f"`{check}` look **{levels.look:.3f}**, block **{levels.block:.3f}**" in text, card
