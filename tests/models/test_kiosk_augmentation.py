"""Kiosk-scene augmentation (training/kiosk_train.py) and the paste fix it needs (training/paste.py): a face composed
as a kiosk scene keeps its mesh points on its face, and a pasted thing survives the backdrop step."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from station import ASSETS_DIR
from station.compliance.learned import REGIONS
from station.face import FaceMesher
from station.face.segmentation import PersonSegmenter
from training.kiosk_train import SIDES, kiosk_sample, with_kiosk_scenes
from training.paste import Donor, paste
from training.training import Sample, augmented_crop


@pytest.fixture(scope="module")
def portrait() -> Sample:
    """The demo student's head and shoulders as a square portrait, like a dataset image."""
    frame = cv2.imread(str(ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"))
    with FaceMesher(max_faces=1) as mesher:
        centre = mesher.detect(frame)[0].points[:, :2].mean(axis=0).astype(int)
        image = np.ascontiguousarray(frame[centre[1] - 160:centre[1] + 200, centre[0] - 180:centre[0] + 180])
        points = mesher.detect(image)[0].points
    return Sample("celebahq", "demo.png", image, points, np.zeros(1, np.float32), None)


@pytest.mark.parametrize("side", SIDES)
def test_a_kiosk_scene_keeps_the_mesh_points_on_its_face(portrait: Sample, side: int) -> None:
    with PersonSegmenter(portrait=True) as segmenter:
        scene = kiosk_sample(portrait, side, segmenter, np.random.default_rng(0))
    with FaceMesher(max_faces=1) as mesher:
        found = mesher.detect(scene.image)[0].points
    width = np.ptp(found[:, 0])
    assert abs(width - side / portrait.image.shape[1] * np.ptp(portrait.points[:, 0])) < 0.05 * width
    assert np.median(np.linalg.norm(found[:, :2] - scene.points[:, :2], axis=1)) < 0.03 * width
    assert scene.labels is portrait.labels and scene.person.min() == 255  # no second backdrop over the scene


def test_a_share_of_the_faces_is_replaced_whatever_their_labels(portrait: Sample) -> None:
    train = [Sample("celebahq", "demo.png", portrait.image, portrait.points, np.float32([k % 2]), None)
             for k in range(6)]
    out = with_kiosk_scenes(train, 0.5, np.random.default_rng(0))
    replaced = [s for s, t in zip(out, train) if s is not t]
    assert len(out) == 6 and len(replaced) == 3
    assert sorted(s.image.shape[1] for s in replaced)[0] < sorted(s.image.shape[1] for s in replaced)[-1]  # both sides


def test_a_pasted_thing_is_not_trimmed_to_the_person_s_outline_by_the_backdrop(portrait: Sample) -> None:
    size = (128, 128)
    crop = np.zeros((*size, 3), np.uint8)
    alpha = np.zeros(size, np.float32)
    cv2.circle(crop, (64, 22), 10, (0, 0, 255), -1)  # a red thing above the head, on the backdrop
    cv2.circle(alpha, (64, 22), 10, 1.0, -1)
    person = np.zeros(portrait.image.shape[:2], np.uint8)  # nobody where it lands
    bare = Sample(portrait.dataset, portrait.file, portrait.image, portrait.points, portrait.labels, person)
    dressed = paste(bare, [Donor(crop, alpha, 0)], "face", size, np.random.default_rng(0))
    matrix = np.float32(REGIONS["face"].transforms(dressed.points, size)[0])
    reds = 0
    for k in range(20):
        seen = augmented_crop(dressed, matrix, size, np.random.default_rng(k), strength=0.0, backdrop=1.0)
        b, g, r = (seen[..., i].astype(int) for i in range(3))
        reds += np.count_nonzero((r > 120) & (r > g + 60) & (r > b + 60)) > 40
    assert reds >= 15  # on the backdrop, the pasted thing is still there (not on the few grey-scale crops)
