"""The coloured_lenses (美瞳) check on a real face: a lens painted on it is asked about and the clean face passes,
by default it never blocks and a school's policy can make it, the question outlines both irises, `check --json`
carries it with its level, and a station without its weights says the check is unavailable."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.compliance import ComplianceEngine
from station.compliance.irises import LensModel, iris_circle
from station.compliance.policy import DEFAULT_POLICY, Policy
from station.compliance.regions import rule_regions
from station.compliance.results import FAIL, LOOK, PASS, UNAVAILABLE
from tests.cli import json_lines, run_cli
from tests.compliance.conftest import test_split
from training.paint_lenses import paint, random_lens

# A celebamaskhq test portrait (512 px: an iris about 23 px wide, as at a kiosk) with dark eyes, and a blue lens of a
# fixed print painted on it (scores 0.12 clean, 0.97 painted when chosen; look is 0.867).
PORTRAIT = 3
LENS_SEED = 3


@pytest.fixture(scope="module")
def clean_and_painted(faces_dir: Path, engine: ComplianceEngine) -> tuple[np.ndarray, np.ndarray]:
    clean = cv2.imread(str(faces_dir / "celebamaskhq" / test_split("celebamaskhq")[PORTRAIT]))
    face = engine.analyze(clean).face
    assert face is not None
    return clean, paint(clean, face.points, random_lens(np.random.default_rng(LENS_SEED), "blue"))


def test_a_painted_lens_is_asked_about_and_the_clean_face_passes(clean_and_painted, engine) -> None:
    clean, painted = (engine.analyze(image) for image in clean_and_painted)
    assert clean.checks["coloured_lenses"].level == PASS
    lens = painted.checks["coloured_lenses"]
    assert lens.level == LOOK and lens.ok and lens.message.zh == "美瞳？请目视确认"
    assert ("coloured_lenses", lens) in painted.questions


def test_by_default_it_never_blocks_and_a_school_can_make_it(clean_and_painted, engine, tmp_path: Path) -> None:
    assert Policy.load()["coloured_lenses"].level(1.0) == LOOK
    strict = tmp_path / "strict.toml"
    text, count = re.subn(r"(\[coloured_lenses\]\nenforced = true\nlook = [0-9.]+\n)block = 1.0", r"\g<1>block = 0.9",
                          DEFAULT_POLICY.read_text(encoding="utf-8"))
    assert count == 1
    strict.write_text(text, encoding="utf-8")
    with ComplianceEngine(Policy.load(strict), engine.learned, lenses=engine.lenses) as school:
        lens = school.analyze(clean_and_painted[1]).checks["coloured_lenses"]
    assert lens.level == FAIL and not lens.ok and lens.message.zh == "请摘下美瞳"


def test_the_question_outlines_both_irises(clean_and_painted, engine) -> None:
    face = engine.analyze(clean_and_painted[0]).face
    boxes = rule_regions("coloured_lenses", face)
    assert len(boxes) == 2
    for (x, y, w, h), eye in zip(boxes, (0, 1)):
        (cx, cy), radius = iris_circle(face.points, eye)
        assert x < cx < x + w and y < cy < y + h and 3 * radius < w < 5 * radius


def test_check_json_carries_it_with_its_level(clean_and_painted, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "美瞳.png"
    cv2.imwrite(str(path), clean_and_painted[1])
    result = run_cli("check", str(path), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    (line,) = json_lines(result)
    lens = line["checks"]["coloured_lenses"]
    assert lens["level"] == LOOK and lens["ok"] and lens["score"] > 0.867 and "coloured_lenses" in line["questions"]


def test_without_its_weights_the_check_is_unavailable(clean_and_painted, engine, tmp_path: Path) -> None:
    (tmp_path / "coloured_lenses").mkdir()
    broken = tmp_path / "coloured_lenses" / "coloured_lenses.json"
    broken.write_text('{"weights": [1, 2], "bias": 0}', encoding="utf-8")
    assert LensModel.load(tmp_path) is None and LensModel.load(tmp_path / "absent") is None
    with ComplianceEngine(engine.policy, engine.learned, lenses=None) as bare:
        lens = bare.analyze(clean_and_painted[0]).checks["coloured_lenses"]
    assert lens.state == UNAVAILABLE and not lens.ok and lens.score == 1.0
