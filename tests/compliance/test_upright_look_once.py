"""A small photo's upright look is taken once: the still engine's short-range face detector already looked at the
photo itself, and the turn finder (`standing`, as `check` asks it) takes that score instead of looking again with its
own graph (about 2.3 CPU-ms of a 178x218 still's 80). The same graph on the same pixels gives the same surest score at
either threshold, so what `check` says is unchanged (docs/cli.md, `check --json`)."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from station.chsi.crop import apply_plan
from station.chsi.orientation import UprightFinder
from station.compliance.standing import standing


@pytest.fixture(scope="module")
def small_photo(engine, student) -> np.ndarray:
    """林晓雯's CHSI photo at 180x240, the size of a folder of web portraits (CelebA's are 178x218)."""
    return cv2.resize(apply_plan(student, engine.analyze(student).crop), (180, 240), interpolation=cv2.INTER_AREA)


@pytest.fixture()
def finder() -> UprightFinder:
    with_graphs = UprightFinder()
    yield with_graphs
    with_graphs.close()


def counted(finder: UprightFinder) -> list[int]:
    """How many times the finder's short-range graph runs from now on (the real graph, counted)."""
    runs = [0]
    graph = finder._detectors[0]
    process = graph.process

    def counting(rgb: np.ndarray):
        runs[0] += 1
        return process(rgb)

    graph.process = counting
    return runs


def test_the_engine_s_look_is_the_finder_s_upright_look(engine, small_photo, finder) -> None:
    analysis = engine.analyze(small_photo)
    assert analysis.upright_look is not None
    assert analysis.upright_look == finder._detect(small_photo, detectors=1).score


def test_a_standing_small_photo_is_looked_at_once_turned_and_not_again_as_it_lies(engine, small_photo, finder) -> None:
    analysis = engine.analyze(small_photo)
    runs = counted(finder)
    unknown = standing(engine, finder, small_photo, replace(analysis, upright_look=None))
    assert runs[0] == 2  # as it lies and turned half round
    known = standing(engine, finder, small_photo, analysis)
    assert runs[0] == 3  # turned half round only
    assert known.turns == unknown.turns == 0 and known.analysis is analysis


@pytest.mark.parametrize("turns", [0, 1, 2])
def test_the_vote_over_four_turns_takes_three_looks_and_finds_the_same_turn(engine, small_photo, finder,
                                                                           turns) -> None:
    photo = np.ascontiguousarray(np.rot90(small_photo, turns))
    seen = engine.analyze(photo).upright_look
    runs = counted(finder)
    unknown = finder.upright_turns(photo)
    assert runs[0] == 4
    assert seen is not None  # the engine's short-range detector sees her, turned too
    assert finder.upright_turns(photo, seen) == unknown == (4 - turns) % 4
    assert runs[0] == 7


def test_a_look_at_a_shrunk_or_resized_photo_is_not_taken_for_the_finder_s(engine, student) -> None:
    """A frame the detector saw resized (wider than 640 px) gives no upright look: the finder's is of other pixels."""
    assert engine.analyze(student).upright_look is None
    assert engine.analyze(cv2.resize(student, (640, 360), interpolation=cv2.INTER_AREA)).upright_look is not None
