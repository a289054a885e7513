"""The figures the model cards quote: error rates and balanced accuracy at a threshold."""

from __future__ import annotations

import numpy as np
import pytest

from models.training import balanced_accuracy, error_rates

LABELS = np.array([0, 0, 0, 0, 1, 1, 1], float)
SCORES = np.array([0.1, 0.3, 0.6, 0.7, 0.2, 0.8, 0.9])


def test_false_alarms_count_negatives_flagged_and_misses_count_positives_passed() -> None:
    assert error_rates(LABELS, SCORES, threshold=0.5) == (0.5, 1 / 3)  # 0.6 and 0.7 of four; 0.2 of three
    assert error_rates(LABELS, SCORES, threshold=0.6) == (0.5, 1 / 3)  # a score at the threshold is flagged
    assert error_rates(LABELS, SCORES, threshold=0.05) == (1.0, 0.0)


def test_balanced_accuracy_is_the_mean_of_the_two_hit_rates() -> None:
    assert balanced_accuracy(LABELS, SCORES, threshold=0.5) == pytest.approx((0.5 + 2 / 3) / 2)
    assert balanced_accuracy(LABELS, SCORES, threshold=0.75) == pytest.approx((1.0 + 2 / 3) / 2)
