"""The makeup (浓妆) check on real faces: a heavy-makeup face is asked about and the demo student passes, by default
it never blocks and a school's policy can make it, the question outlines the face, `check --json` carries it with
its level, and a rerun of training/evaluate.py (which rewrites the blend) keeps it."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from station import ASSETS_DIR
from station.compliance import ComplianceEngine
from station.compliance.policy import DEFAULT_POLICY, Policy
from station.compliance.regions import rule_regions
from station.compliance.results import FAIL, LOOK, PASS
from models import read_manifest, write_manifest
from tests.cli import json_lines, run_cli
from tests.compliance.conftest import test_split

HEAVY_MAKEUP = "images/10453.jpg"  # a celebahq test face labelled Heavy_Makeup (score 0.995 when chosen)
DEMO = ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"


@pytest.fixture(scope="module")
def heavy(faces_dir: Path) -> np.ndarray:
    assert HEAVY_MAKEUP in test_split("celebahq")
    return cv2.imread(str(faces_dir / "celebahq" / HEAVY_MAKEUP))


def test_heavy_makeup_is_asked_about_and_the_demo_student_passes(heavy, engine: ComplianceEngine) -> None:
    result = engine.analyze(heavy)
    makeup = result.checks["makeup"]
    assert makeup.level == LOOK and makeup.ok and makeup.message.zh == "浓妆？请目视确认"
    assert ("makeup", makeup) in result.questions
    if DEMO.is_file():
        assert engine.analyze(cv2.imread(str(DEMO))).checks["makeup"].level == PASS


def test_by_default_it_never_blocks_and_a_school_can_make_it(heavy, engine: ComplianceEngine, tmp_path: Path) -> None:
    assert Policy.load()["makeup"].level(1.0) == LOOK
    strict = tmp_path / "strict.toml"
    text, count = re.subn(r"(\[makeup\]\nenforced = true\nlook = [0-9.]+\n)block = 1\.0+", r"\g<1>block = 0.98",
                          DEFAULT_POLICY.read_text(encoding="utf-8"))
    assert count == 1
    strict.write_text(text, encoding="utf-8")
    with ComplianceEngine(Policy.load(strict), engine.learned, lenses=engine.lenses) as school:
        makeup = school.analyze(heavy).checks["makeup"]
    assert makeup.level == FAIL and not makeup.ok and makeup.message.zh == "请卸去浓妆"


def test_the_question_outlines_the_face(heavy, engine: ComplianceEngine) -> None:
    face = engine.analyze(heavy).face
    (x, y, w, h), = rule_regions("makeup", face)
    fx, fy, fw, fh = face.box
    assert x < fx and y < fy and x + w > fx + fw and y + h > fy + fh and w < 1.1 * fw


def test_check_json_carries_makeup_with_its_level(heavy, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "浓妆.jpg"
    cv2.imwrite(str(path), heavy)
    result = run_cli("check", str(path), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    (line,) = json_lines(result)
    makeup = line["checks"]["makeup"]
    assert makeup["level"] == LOOK and makeup["ok"] and makeup["score"] > 0.9 and "makeup" in line["questions"]


def test_rewriting_the_blend_keeps_the_checks_chosen_apart(tmp_path: Path) -> None:
    """training/evaluate.py rewrites "checks" with the rules it chooses: makeup must survive it."""
    shipped = read_manifest()
    write_manifest({**shipped, "checks": {"glasses": shipped["checks"]["glasses"]}}, tmp_path)
    written = read_manifest(tmp_path)
    assert set(written["checks"]) == {"glasses", "makeup"} and written["ships"]["makeup"] == ["makeup"]
