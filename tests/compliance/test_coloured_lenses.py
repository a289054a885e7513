"""The coloured_lenses (美瞳) check on a real face: a lens painted on it is asked about and the clean face passes,
as a portrait and in a 1280x720 kiosk frame; by default it never blocks and a school's policy can make it, the question
outlines both irises, `check --json` carries it with its level, and a station without its network says the check is
unavailable."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.compliance import ComplianceEngine, messages
from station.compliance.engine import Unavailable, load_lenses
from station.compliance.irises import LENS_FILE, PATCH, eye_patches, iris_circle
from station.compliance.policy import DEFAULT_POLICY, Policy
from station.compliance.regions import rule_regions
from station.compliance.results import FAIL, LOOK, PASS, UNAVAILABLE
from station.errors import MODEL_MISSING
from station.i18n import Text
from tests.cli import json_lines, run_cli
from tests.compliance.conftest import portrait_and_mask, test_split
from training import kiosk_scenes as scenes
from training.paint_lenses import paint, random_lens

# A celebamaskhq test portrait (512 px: an iris about 23 px wide) with dark eyes, and a blue lens of a fixed print
# painted on it (scores 0.02 clean, 1.0 painted as a portrait; look is 0.953: a fainter print of seed 3 scored 0.94).
PORTRAIT = 3
LENS_SEED = 6


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


def test_at_kiosk_scale_a_painted_lens_is_asked_about_and_the_clean_face_passes(faces_dir: Path, clean_and_painted,
                                                                                 engine) -> None:
    """The portraits composed into a 1280x720 kiosk frame (iris about 19 px), the face mesh found again there."""
    _, mask = portrait_and_mask(faces_dir, PORTRAIT)
    clean, painted = (engine.analyze(scenes.compose(image, mask, scenes.backdrop("blue", np.random.default_rng(0))))
                      for image in clean_and_painted)
    assert 2 * iris_circle(clean.face.points, 0)[1] < 22
    assert clean.checks["coloured_lenses"].level == PASS
    assert painted.checks["coloured_lenses"].level == LOOK


def test_an_eye_patch_is_the_same_at_any_frame_scale(faces_dir: Path, clean_and_painted, engine) -> None:
    """The network sees each iris centred at a fixed radius: the portrait halved gives nearly the same patches,
    much nearer than another person's eyes are."""
    image = clean_and_painted[0]
    half = cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    other = cv2.imread(str(faces_dir / "celebamaskhq" / test_split("celebamaskhq")[PORTRAIT + 1]))
    full, small, someone = (eye_patches(im, engine.analyze(im).face.points) for im in (image, half, other))
    assert full.shape == (2, 4, PATCH, PATCH) and full[:, 3, PATCH // 2, PATCH // 2].min() > 0.9  # iris inside the lids
    assert np.abs(full - small).mean() < 0.3 * np.abs(full - someone).mean()


def test_by_default_it_never_blocks_and_a_school_can_make_it(clean_and_painted, engine, tmp_path: Path) -> None:
    assert Policy.load()["coloured_lenses"].level(1.0) == LOOK
    strict = tmp_path / "strict.toml"
    text, count = re.subn(r"(\[coloured_lenses\]\nenforced = true\nlook = [0-9.]+\n)block = 1.0", r"\g<1>block = 0.97",
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
    look = Policy.load()["coloured_lenses"].look
    assert lens["level"] == LOOK and lens["ok"] and lens["score"] > look and "coloured_lenses" in line["questions"]


def test_without_its_weights_the_check_is_unavailable(clean_and_painted, engine, tmp_path: Path) -> None:
    broken = tmp_path / LENS_FILE
    broken.parent.mkdir()
    broken.write_bytes(b"not an onnx graph")
    damaged, missing = load_lenses(tmp_path), load_lenses(tmp_path / "absent")
    assert damaged == Unavailable(Text(f"模型文件 {broken} 已损坏，无法加载：请重新安装工作站程序。",
                                       f"The model file {broken} is damaged and cannot be loaded: reinstall the "
                                       "station program."))
    assert missing == Unavailable(MODEL_MISSING.format(path=tmp_path / "absent" / LENS_FILE))
    for lenses, said in ((damaged, damaged.message), (None, messages.MODEL_MISSING)):
        with ComplianceEngine(engine.policy, engine.learned, lenses=lenses) as bare:
            lens = bare.analyze(clean_and_painted[0]).checks["coloured_lenses"]
        assert lens.state == UNAVAILABLE and not lens.ok and lens.score == 1.0 and lens.message == said
