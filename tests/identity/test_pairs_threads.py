"""`verify --pairs` runs each worker on one OpenCV thread (OpenCV's own threads under each of two workers oversubscribed
two cores: SFace took 28 CPU-ms an embedding against 22 on one thread; the speed is docs/cli.md's measurement, not a
test). What is tested: OpenCV gets its thread count back when the run ends, so what else the process does with OpenCV
keeps its threads, and two workers' vectors are one worker's."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from station import PROJECT_ROOT
from station.identity.pairs import verify_pairs

STUDENTS = PROJECT_ROOT / "assets" / "demo" / "students"
REFERENCES = PROJECT_ROOT / "assets" / "demo_references"


def pairs() -> list[tuple[str, Path | None, str, Path | None]]:
    named = [(STUDENTS / "DEMO0003_2_good.jpg", REFERENCES / "2021010103.jpg"),
             (STUDENTS / "DEMO0002_2_good.jpg", REFERENCES / "2021010103.jpg")]
    return [(a.name, a, b.name, b) for a, b in named]


def test_the_workers_verdicts_are_one_workers_and_opencv_gets_its_threads_back() -> None:
    before = cv2.getNumThreads()
    two = list(verify_pairs(pairs(), workers=2))
    assert cv2.getNumThreads() == before
    one = list(verify_pairs(pairs(), workers=1))
    assert [r.verdict.level for r in two] == ["same", "different"]
    for mine, theirs in zip(two, one):
        assert np.array_equal(mine.a.vector, theirs.a.vector) and np.array_equal(mine.b.vector, theirs.b.vector)
