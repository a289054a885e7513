"""The crop planner looks for the hair top in a small box around the head: it must find what a search of
the whole levelled frame finds, and still see the frame's edge."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from station.chsi.crop import HEAD_REGION_SIDE, hair_in_head_region, head_region, level_rotation
from station.chsi.face_geometry import FaceGeometry
from station.chsi.hair import HairTopFinder
from station.face.landmarks import FaceMesher
from tests.chsi.images import demo_frame, rotated


@pytest.fixture(scope="module")
def finder() -> HairTopFinder:
    finder = HairTopFinder()
    yield finder
    finder.close()


def _face(image: np.ndarray) -> FaceGeometry:
    with FaceMesher(max_faces=1) as mesher:
        return FaceGeometry.from_points(mesher.detect(image)[0].points)


@pytest.mark.parametrize("roll", [0.0, 8.0])
def test_head_region_finds_the_hair_top_the_whole_frame_finds(finder: HairTopFinder, roll: float) -> None:
    image = rotated(demo_frame("01_good"), roll)
    face = _face(image)
    rotation = level_rotation(face)
    height, width = image.shape[:2]
    levelled = cv2.warpAffine(image, rotation, (width, height))
    valid = cv2.warpAffine(np.ones((height, width), np.uint8), rotation, (width, height), borderValue=0)
    whole = finder.find(levelled, face.transformed(rotation), valid)
    region = hair_in_head_region(finder, image, face, rotation)
    assert whole.from_segmentation and region.from_segmentation
    assert not region.touches_edge
    assert abs(region.y - whole.y) < 0.03 * face.face_height
    upright = face.transformed(rotation)
    x0, y0, w, h = head_region(upright, rotation, (width, height))
    assert max(w, h) > HEAD_REGION_SIDE, "the region is shrunk before segmentation on this frame"
    assert x0 < upright.right_cheek[0] and upright.left_cheek[0] < x0 + w
    assert y0 < region.y < upright.chin[1] < y0 + h


def test_hair_cut_by_the_top_edge_is_seen_in_the_region(finder: HairTopFinder) -> None:
    image = demo_frame("01_good")
    face = _face(image)
    hair = hair_in_head_region(finder, image, face, level_rotation(face))
    cut = np.ascontiguousarray(image[int(hair.y) + 15:])
    face = _face(cut)
    assert hair_in_head_region(finder, cut, face, level_rotation(face)).touches_edge
