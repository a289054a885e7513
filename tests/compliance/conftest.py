"""One engine per test session (its mediapipe graphs take a second to build), and real test images."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from training.datasets import SPLITS_DIR
from station.compliance import ComplianceEngine
from station.compliance.engine import Unavailable


@pytest.fixture(scope="session")
def engine(tmp_path_factory) -> ComplianceEngine:
    """The shipped policy, without this station's backdrop calibration (tests expect the CHSI blue)."""
    uncalibrated = tmp_path_factory.mktemp("calibration") / "backdrop.toml"
    with ComplianceEngine.load(backdrop_file=uncalibrated) as eng:
        yield eng


@pytest.fixture(scope="module")
def student() -> np.ndarray:
    """The demo's 林晓雯 (kiosk/01_good.jpg) before the blue cloth, lit: her crop spans x 417-863, she stands in x
    252-915."""
    from station.adapters.demo import DEMO_DIR

    frame = cv2.imread(str(DEMO_DIR / "kiosk" / "01_good.jpg"))
    if frame is None:
        pytest.skip("demo frames absent")
    return frame


@pytest.fixture(scope="session")
def models_installed(engine: ComplianceEngine) -> None:
    """The trained models ship in models/: without them the install is broken, which must fail, not skip."""
    assert not isinstance(engine.learned, Unavailable), engine.learned


def test_split(dataset: str) -> list[str]:
    """The held-out "test" part of a dataset (training/splits), never used to tune anything."""
    return json.loads((SPLITS_DIR / f"{dataset}.json").read_text(encoding="utf-8"))["test"]


test_split.__test__ = False  # a helper, not a test


def labelled(faces_dir: Path, dataset: str, column: str, value: str, count: int) -> list[np.ndarray]:
    """The first `count` test-split images whose label `column` equals `value`."""
    wanted = set(test_split(dataset))
    with open(faces_dir / dataset / "labels.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["file"] in wanted and r[column] == value]
    return [cv2.imread(str(faces_dir / dataset / r["file"])) for r in rows[:count]]


def portrait_and_mask(faces_dir: Path, index: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A CelebAMask-HQ test portrait and its parsing mask (class per pixel)."""
    from PIL import Image

    file = test_split("celebamaskhq")[index]
    image = cv2.imread(str(faces_dir / "celebamaskhq" / file))
    mask = np.array(Image.open(faces_dir / "celebamaskhq" / "masks" / (Path(file).stem + ".png")))
    return image, mask
