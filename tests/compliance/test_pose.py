"""Head pose against GENKI-4K's labels on its test split: frontal faces pass, turned faces fail."""

from __future__ import annotations

import csv
import math

import cv2
import numpy as np
import pytest

from station.face import FaceMesher
from station.face.pose import head_pose
from tests.compliance.conftest import test_split

pytestmark = pytest.mark.dataset


@pytest.fixture(scope="module")
def genki(faces_dir):
    wanted = set(test_split("genki4k"))
    with open(faces_dir / "genki4k" / "labels.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["file"] in wanted]
    return faces_dir / "genki4k", rows


def test_pose_error_on_genki_test_is_small(genki) -> None:
    folder, rows = genki
    errors = []
    with FaceMesher(max_faces=1) as mesher:
        for row in rows[:60]:
            faces = mesher.detect(cv2.imread(str(folder / row["file"])))
            if not faces:
                continue
            pose = head_pose(faces[0].points)
            truth = [math.degrees(float(row[k])) for k in ("yaw_rad", "pitch_rad", "roll_rad")]
            errors.append([abs(pose.yaw - truth[0]), abs(pose.pitch - truth[1]), abs(pose.roll - truth[2])])
    errors = np.array(errors)
    assert len(errors) >= 50
    assert errors.mean() < 5.0
    assert errors[:, 2].mean() < 3.0  # roll is the best-defined angle


def test_turned_head_fails_pose_and_frontal_head_passes(engine, genki) -> None:
    folder, rows = genki
    yaw = {r["file"]: math.degrees(float(r["yaw_rad"])) for r in rows}
    pitch = {r["file"]: math.degrees(float(r["pitch_rad"])) for r in rows}
    roll = {r["file"]: math.degrees(float(r["roll_rad"])) for r in rows}
    turned = [f for f in yaw if abs(yaw[f]) > 25][:3]
    frontal = [f for f in yaw if abs(yaw[f]) < 3 and abs(pitch[f]) < 3 and abs(roll[f]) < 3][:3]
    assert turned and frontal
    for file in turned:
        check = engine.analyze(cv2.imread(str(folder / file))).checks["pose"]
        assert not check.ok and "转头" in check.message.zh, file
    for file in frontal:
        assert engine.analyze(cv2.imread(str(folder / file))).checks["pose"].ok, file


def test_rolled_head_fails_pose(engine, genki) -> None:
    folder, rows = genki
    file = next(r["file"] for r in rows if abs(float(r["roll_rad"])) < 0.03 and abs(float(r["yaw_rad"])) < 0.1)
    image = cv2.imread(str(folder / file))
    h, w = image.shape[:2]
    turned = cv2.warpAffine(image, cv2.getRotationMatrix2D((w / 2, h / 2), 20, 1.0), (w, h),
                            borderMode=cv2.BORDER_REPLICATE)
    check = engine.analyze(turned).checks["pose"]
    assert not check.ok and "歪头" in check.message.zh
