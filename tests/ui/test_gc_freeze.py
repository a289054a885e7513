"""Start-up's objects are kept out of the cyclic garbage collector's walks: a full collection over the ~136,000
objects Qt, numpy, OpenCV and mediapipe leave behind held the interpreter for 55-83 ms, freezing the preview at
random moments (scripts/benchmark_shutter.py caught it during shutter presses)."""

from __future__ import annotations

import gc

import ui.main_window  # noqa: F401  (what the window imports is what start-up leaves behind)
from ui.opening import freeze_startup_objects


def test_what_start_up_made_is_frozen_and_what_comes_later_is_still_collected() -> None:
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 50_000

        class Node:
            pass

        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle made after start-up, then dropped
        del a, b
        assert gc.collect() >= 2  # found and freed: only start-up's objects are out of reach
    finally:
        gc.unfreeze()
