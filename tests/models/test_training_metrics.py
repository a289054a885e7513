"""The figures the model cards quote: error rates and balanced accuracy at a threshold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from training.training import balanced_accuracy, error_rates

LABELS = np.array([0, 0, 0, 0, 1, 1, 1], float)
SCORES = np.array([0.1, 0.3, 0.6, 0.7, 0.2, 0.8, 0.9])


def test_false_alarms_count_negatives_flagged_and_misses_count_positives_passed() -> None:
    assert error_rates(LABELS, SCORES, threshold=0.5) == (0.5, 1 / 3)  # 0.6 and 0.7 of four; 0.2 of three
    assert error_rates(LABELS, SCORES, threshold=0.6) == (0.5, 1 / 3)  # a score at the threshold is flagged
    assert error_rates(LABELS, SCORES, threshold=0.05) == (1.0, 0.0)


def test_balanced_accuracy_is_the_mean_of_the_two_hit_rates() -> None:
    assert balanced_accuracy(LABELS, SCORES, threshold=0.5) == pytest.approx((0.5 + 2 / 3) / 2)
    assert balanced_accuracy(LABELS, SCORES, threshold=0.75) == pytest.approx((1.0 + 2 / 3) / 2)


def test_look_and_block_follow_the_written_rule() -> None:
    """Block where at most 0.5 % of faces keeping the rule are blocked; look where at most the miss target of
    faces breaking it get neither answer; never look above block."""
    from training.evaluate import BLOCK_BUDGET, choose_levels, level_shares

    rng = np.random.default_rng(0)
    scores = np.concatenate([rng.uniform(0.0, 0.6, 1000), rng.uniform(0.2, 1.0, 400)])
    labels = np.concatenate([np.zeros(1000), np.ones(400)])
    levels = choose_levels(labels, scores, miss_target=0.10)
    shares = level_shares(labels, scores, levels)
    assert shares["ok_block"] <= BLOCK_BUDGET and (scores[:1000] >= levels.block - 0.002).mean() > BLOCK_BUDGET
    assert shares["bad_pass"] <= 0.10 and shares["bad_pass"] > 0.09  # the highest look that meets the target
    assert levels.look < levels.block and shares["ok_look"] > 0.5  # overlapping scores: many faces asked
    strict = choose_levels(labels, scores, miss_target=0.0)
    assert strict.look <= scores[1000:].min()
    no_target = choose_levels(labels, scores, miss_target=None)  # necklace: at most 3 % of compliant faces asked
    assert level_shares(labels, scores, no_target)["ok_look"] + level_shares(labels, scores, no_target)["ok_block"] <= 0.03


def test_the_question_budget_is_shared_fairly_and_caps_each_rule() -> None:
    """Rules whose miss target needs less than an equal share keep their need and the others share the rest; a rule
    over its allowance has its look raised until it asks no more than that (its miss target gives way), and block
    never moves."""
    from training.evaluate import Levels, allowances, asked, choose_levels, within_allowance

    shares = allowances({"a": 0.01, "b": 0.30, "c": 0.03, "d": 0.20}, budget=0.14)
    assert shares["a"] == 0.01 and shares["c"] == 0.03 and shares["b"] == shares["d"] == pytest.approx(0.05)
    assert allowances({"a": 0.01, "b": 0.02}, budget=0.14) == {"a": 0.01, "b": 0.02}
    rng = np.random.default_rng(0)
    scores = np.concatenate([rng.uniform(0.0, 0.6, 1000), rng.uniform(0.2, 1.0, 400)])
    labels = np.concatenate([np.zeros(1000), np.ones(400)])
    levels = choose_levels(labels, scores, miss_target=0.10)
    assert asked(labels, scores, levels) > 0.5
    capped = within_allowance(labels, scores, levels, 0.05)
    assert 0.04 < asked(labels, scores, capped) <= 0.05
    assert capped.block == levels.block and capped.look > levels.look
    assert within_allowance(labels, scores, levels, 1.0) == levels
    apart = Levels(0.3, 1.0)  # a look chosen elsewhere, between two val scores, asking within the allowance stays
    assert within_allowance(np.zeros(2), np.array([0.1, 0.5]), apart, 0.5) == apart


def test_the_union_of_questions_on_compliant_faces_is_held_to_the_budget_by_the_biggest_asker_first() -> None:
    """On every set the rules together ask at most the budget of its compliant faces (a face blocked by one rule is
    not counted as asked); the rule asking the most gives way first, a rule within budget keeps its look, and
    block never moves."""
    from training.evaluate import Levels, any_question, within_union

    rng = np.random.default_rng(1)
    levels = {"a": Levels(0.5, 0.9), "b": Levels(0.5, 1.0), "c": Levels(0.9, 0.95)}
    portraits = {"a": rng.uniform(0.0, 0.6, 100), "b": rng.uniform(0.0, 0.55, 100), "c": np.zeros(100)}
    scenes = {"a": rng.uniform(0.0, 0.52, 50), "b": rng.uniform(0.0, 0.8, 50), "c": np.zeros(50)}
    sets = {"portraits": portraits, "scenes": scenes}
    assert any_question(portraits, levels) > 0.14 and any_question(scenes, levels) > 0.14
    held = within_union(sets, levels, budget=0.14)
    assert all(any_question(s, held) <= 0.14 for s in sets.values())
    assert held["b"].look > levels["b"].look and held["c"] == levels["c"]
    assert all(held[r].block == levels[r].block for r in levels)
    one_less = {**held, "b": Levels(round(held["b"].look - 0.001, 3), 1.0)}  # the smallest raise that holds
    assert max(any_question(s, one_less) for s in sets.values()) > 0.14 or held["b"] == levels["b"]
    blocked = {"a": np.array([0.95, 0.6]), "b": np.array([0.7, 0.1]), "c": np.zeros(2)}
    assert any_question(blocked, levels) == 0.5  # the first face is blocked by a: its question from b is not counted


def test_the_budget_the_union_left_goes_to_the_rule_missing_most_until_a_set_would_be_over() -> None:
    """Session 32: a look the allowances raised comes down toward its miss-target look, one face breaking the rule at
    a time, the rule furthest over its miss target first, while every set of compliant faces stays within budget; a
    rule whose next face would put a set over keeps its look; blocks never move, and no look goes below its floor."""
    from training.evaluate import Levels, any_question, filled

    # rule "earrings" (target 10 %): 10 faces breaking it score 0.35..0.80; "hat" (target 3 %): 4 faces 0.6..0.9
    earrings_bad, hat_bad = np.linspace(0.35, 0.80, 10), np.array([0.6, 0.7, 0.8, 0.9])
    on_val = {"earrings": (np.r_[np.ones(10), np.zeros(3)], np.r_[earrings_bad, 0.1, 0.1, 0.1]),
              "hat": (np.r_[np.ones(4), np.zeros(2)], np.r_[hat_bad, 0.0, 0.0])}
    floors = {"earrings": Levels(0.30, 0.95), "hat": Levels(0.55, 0.95)}
    levels = {"earrings": Levels(0.75, 0.95), "hat": Levels(0.85, 0.95)}
    # 20 compliant faces: one asked by hat already; earrings scores 0.55 on another, 0.44 and 0.43 on two more
    portraits = {"earrings": np.r_[0.55, 0.44, 0.43, np.zeros(17)], "hat": np.r_[0.0, 0.0, 0.0, 0.86, np.zeros(16)]}
    sets = {"portraits": portraits}
    assert any_question(portraits, levels) == 0.05
    out = filled(sets, levels, on_val, floors, budget=0.05)  # no room for another face
    assert out["earrings"].look == 0.6  # down to its breaking face at 0.60: the next (0.55) would ask face 0
    assert out["hat"].look == 0.6  # hat's faces ask no other compliant one: down to its lowest breaking face
    assert all(out[r].block == levels[r].block for r in levels)
    roomier = filled(sets, levels, on_val, floors, budget=0.10)  # room for one more face of the 20
    assert roomier["earrings"].look == 0.45 and any_question(portraits, roomier) == 0.10  # 0.40 would ask two more
    assert filled(sets, levels, on_val, floors, budget=0.04) == levels  # over already: every look stays
    low = filled(sets, levels, on_val, {**floors, "hat": Levels(0.75, 0.95)}, budget=0.10)
    assert low["hat"].look == 0.75  # never below the miss-target look


def test_the_unions_kiosk_scenes_hold_the_compliant_celebahq_val_faces_at_both_sizes_as_the_benchmark_checks_them(
        faces_dir: Path) -> None:
    """Session 31: on the 44 celebamaskhq val scenes alone one face was 2.3 points of the union's budget. The scenes
    set also holds the compliant celebahq val faces cut out at 420 and 280 px, each the very frame
    benchmark_trust --celebahq-scenes --split val checks: the backdrops of the faces left out are still drawn."""
    from training import kiosk_scenes as scenes
    from training.datasets import load_split
    from training.evaluate import COMPLIANT_MEANS_NOT, Scored, celebahq_scenes

    files = load_split("celebahq")["val"][:4]
    labels = {c: np.zeros(4) for c in COMPLIANT_MEANS_NOT}
    labels["Wearing_Earrings"][0] = labels["Smiling"][2] = 1  # these two faces break a rule: not in the set
    got = list(celebahq_scenes(Scored({}, labels, files), "val"))
    assert [name for name, _ in got] == [f"{side}_{f}" for f in (files[1], files[3]) for side in scenes.SIDES]
    every = {f"{side}_{f}": frame for f, side, frame in scenes.cut_out_scenes(files)}
    assert all(frame.shape == (720, 1280, 3) and np.array_equal(frame, every[name]) for name, frame in got)
