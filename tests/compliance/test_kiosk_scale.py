"""A student further from the camera: the kiosk scenes the trust benchmark composes at a smaller face size are frames
the station still photographs (scripts/benchmark_trust.py --celebahq-scenes measures the face rules on them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from station.compliance.regions import CHEEK_LEFT, CHEEK_RIGHT
from tests.compliance.conftest import portrait_and_mask
from training import kiosk_scenes as scenes
from training.datasets import SPLITS_DIR

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.dataset

GOOD = 1  # a frontal, evenly lit test-split portrait (as in test_scene_checks)


def test_a_smaller_portrait_keeps_its_middle_and_is_still_framed(engine, faces_dir) -> None:
    image, mask = portrait_and_mask(faces_dir, GOOD)
    widths = []
    for side in (scenes.PORTRAIT_SIDE, scenes.SMALL_PORTRAIT_SIDE):
        x0, y0, placed = scenes.placement((720, 1280, 3), side)
        assert placed == side and x0 + side / 2 == pytest.approx(640, abs=1)
        assert y0 + side / 2 == pytest.approx(scenes.PORTRAIT_TOP + scenes.PORTRAIT_SIDE / 2, abs=1)
        analysis = engine.analyze(scenes.compose(image, mask, scenes.backdrop("blue", np.random.default_rng(1)),
                                                 side=side))
        assert analysis.face is not None and analysis.crop is not None, side
        assert analysis.checks["face_position"].ok
        cheeks = analysis.face.points[[CHEEK_LEFT, CHEEK_RIGHT], :2]
        widths.append(float(np.linalg.norm(cheeks[0] - cheeks[1])))
    assert widths[1] / widths[0] == pytest.approx(scenes.SMALL_PORTRAIT_SIDE / scenes.PORTRAIT_SIDE, rel=0.05)


def test_the_scenes_can_be_measured_on_val_to_decide_before_test(faces_dir, tmp_path) -> None:
    """--split val: a candidate is judged on val portraits and their scenes; test is left for after the decision."""
    out = tmp_path / "val.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "benchmark_trust.py"), "--celebahq-scenes", "--split", "val",
                    "--limit", "1", "--json", str(out)], check=True, capture_output=True, cwd=ROOT, timeout=300)
    doc = json.loads(out.read_text(encoding="utf-8"))
    first_val = Path(json.loads((SPLITS_DIR / "celebahq.json").read_text(encoding="utf-8"))["val"][0]).stem
    assert list(doc) == ["celebahq val (CelebA labels)", "celebahq val as kiosk scenes, portrait 420 px",
                         "celebahq val as kiosk scenes, portrait 280 px"]
    assert [face["name"] for source in doc.values() for face in source["faces"]] == [first_val] * 3
