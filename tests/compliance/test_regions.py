"""The regions a question outlines sit on the part of the face the rule is about, on a real demo frame."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from station import ASSETS_DIR
from station.compliance import LEARNED_CHECK_IDS
from station.compliance.regions import EYES, MOUTH, rule_regions


@pytest.fixture(scope="module")
def face(engine):
    path = ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"
    if not path.is_file():
        pytest.skip("demo frames absent")
    return engine.analyze(cv2.imread(str(path))).face


def _centre(box) -> np.ndarray:
    x, y, w, h = box
    return np.array([x + w / 2, y + h / 2])


def _contains(box, points: np.ndarray) -> bool:
    x, y, w, h = box
    return bool(((points[:, 0] >= x) & (points[:, 0] <= x + w) & (points[:, 1] >= y) & (points[:, 1] <= y + h)).all())


def test_each_learned_rule_outlines_its_part_of_the_face(face) -> None:
    xy = face.points[:, :2]
    width, height = face.image_size
    boxes = {check: rule_regions(check, face) for check in LEARNED_CHECK_IDS}
    for check, regions in boxes.items():
        assert regions, check
        for x, y, w, h in regions:
            assert w > 0 and h > 0 and 0 <= x and x + w <= width and 0 <= y and y + h <= height, check
    assert _contains(boxes["mouth_open"][0], xy[list(MOUTH)]) and _contains(boxes["glasses"][0], xy[list(EYES)])
    fx, fy, fw, fh = face.box
    eyes_y, mouth_y = _centre(boxes["eyes_closed"][0])[1], _centre(boxes["teeth"][0])[1]
    assert _centre(boxes["hat"][0])[1] < _centre(boxes["eyebrows_covered"][0])[1] < eyes_y < mouth_y
    assert _centre(boxes["necklace"][0])[1] > fy + fh  # below the chin
    for check in ("earrings", "ears_covered"):  # one box per ear, at the cheek edges, left and right of the face
        right, left = boxes[check]
        assert _centre(right)[0] < fx + 0.1 * fw and _centre(left)[0] > fx + 0.9 * fw
    assert _centre(boxes["earrings"][0])[1] > _centre(boxes["ears_covered"][0])[1]  # the lobe, below the ear's middle


def test_frame_rules_have_no_region_and_the_faces_light_outlines_the_face(face) -> None:
    """The backdrop is the whole frame; exposure's question (曝光？, session 22) is about the face, read on it."""
    assert rule_regions("background", face) == []
    (box,) = rule_regions("exposure", face)
    assert box == rule_regions("blur", face)[0] and _contains(box, face.points[:, :2])
