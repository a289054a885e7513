"""The figures models/evaluate.py writes into the model cards: the error rates a kiosk feels."""

from __future__ import annotations

import numpy as np

from models.evaluate import Scored, measure


def test_false_alarms_count_negatives_flagged_and_misses_count_positives_passed() -> None:
    # two models blended 3:1; label-negatives score 0.1, 0.3, 0.6, 0.7 and positives 0.2, 0.8, 0.9
    a = np.array([0.1, 0.3, 0.6, 0.7, 0.2, 0.8, 0.9])
    scored = Scored({"m/x": a, "n/x": a}, {"y": np.array([0, 0, 0, 0, 1, 1, 1], float)}, [], [])
    got = measure(scored, {"m/x": 0.75, "n/x": 0.25}, "y", threshold=0.5)
    assert got["false_alarm_rate"] == 0.5  # 0.6 and 0.7 of the four negatives
    assert got["miss_rate"] == round(1 / 3, 4)  # 0.2 of the three positives
    assert got["balanced_accuracy"] == round((0.5 + 2 / 3) / 2, 4)
    assert (got["n"], got["positives"]) == (7, 3)
