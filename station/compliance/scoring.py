"""Turning a measure into P(rule broken): a logistic curve that is 0.5 exactly at the policy's limit."""

from __future__ import annotations

import math


def beyond(value: float, limit: float, softness: float) -> float:
    """Near 0 well below `limit`, 0.5 at it, near 1 well above; `softness` is the measure's noise."""
    z = (value - limit) / max(softness, 1e-9)
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
