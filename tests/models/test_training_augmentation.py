"""The training scripts' augmentation: a kiosk backdrop (a blue the station accepts, the person kept) and a poor
webcam's view (teeth-sized detail and colour lost)."""

from __future__ import annotations

import cv2
import numpy as np

from training.training import Sample, augmented_crop, blue_backdrop, webcam_view
from station.compliance.policy import Policy


def test_the_painted_backdrop_is_a_blue_the_background_check_accepts() -> None:
    rule = Policy.load()["background"]
    rng = np.random.default_rng(0)
    for _ in range(50):
        hsv = cv2.cvtColor(blue_backdrop((64, 48), rng), cv2.COLOR_BGR2HSV).reshape(-1, 3)
        hue, sat, val = np.median(hsv, axis=0)
        assert rule["hue_min"] <= hue <= rule["hue_max"]
        assert sat >= rule["min_saturation"] and val >= rule["min_value"]


def test_composited_crops_keep_the_person_and_replace_the_rest() -> None:
    image = np.zeros((200, 200, 3), np.uint8)
    image[:] = (0, 200, 0)  # a green room
    image[50:150, 50:150] = (0, 0, 220)  # a red "person"
    person = np.zeros((200, 200), np.uint8)
    person[50:150, 50:150] = 255
    sample = Sample("synthetic", "x.png", image, np.zeros((478, 3), np.float32), np.zeros(1, np.float32), person)
    identity = np.float32([[0.5, 0, 0], [0, 0.5, 0]])  # 200 px -> a 100 px crop
    rng = np.random.default_rng(1)
    hues_outside, hues_inside = [], []
    for _ in range(40):
        crop = augmented_crop(sample, identity, 100, rng, strength=0.0, backdrop=1.0)
        hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
        if hsv[..., 1].mean() < 60:  # the grey-scale augmentation (plus noise)
            continue
        hues_outside.append(float(np.median(hsv[:10, :10, 0])))
        hues_inside.append(float(np.median(hsv[45:55, 45:55, 0])))
    assert len(hues_outside) > 25
    assert all(85 <= h <= 130 for h in hues_outside)  # blue, never the green room
    assert all(h < 10 or h > 170 for h in hues_inside)  # still the red person
    plain = augmented_crop(sample, identity, 100, None, backdrop=1.0)  # run time: never augmented
    assert (plain[:10, :10] == (0, 200, 0)).all()


def _teeth(crop: np.ndarray) -> float:
    """Contrast of the 2 px light and dark stripes of _mouth_with_teeth (mean step between neighbouring columns)."""
    return float(np.abs(np.diff(crop[20:44, 20:92].astype(np.float32).mean(axis=2), axis=1)).mean())


def _mouth_with_teeth() -> Sample:
    image = np.full((64, 112, 3), 90, np.uint8)
    image[20:44, ::4] = image[20:44, 1::4] = 235  # teeth and their gaps, 2 px each: a sharp 112 px mouth crop's
    return Sample("synthetic", "x.png", image, np.zeros((478, 3), np.float32), np.zeros(1, np.float32), None)


def test_a_webcam_view_loses_teeth_sized_detail_and_casts_colour() -> None:
    sharp = _mouth_with_teeth().image
    rng = np.random.default_rng(0)
    for _ in range(50):
        seen = webcam_view(sharp, rng)
        assert seen.shape == sharp.shape and seen.dtype == np.uint8
        assert _teeth(seen) < 0.65 * _teeth(sharp)  # seen at 70 % of its pixels or fewer
    grey = np.full((64, 112, 3), 128, np.uint8)
    blue_to_red = [np.divide(*webcam_view(grey, rng).astype(np.float32).mean(axis=(0, 1))[[0, 2]]) for _ in range(100)]
    assert min(blue_to_red) < 0.8 and max(blue_to_red) > 1.25  # beyond photometric's white balance (0.9-1.1 a channel)


def test_the_webcam_share_of_training_crops_is_seen_through_it_and_the_run_time_crop_never() -> None:
    sample, identity = _mouth_with_teeth(), np.float32([[1, 0, 0], [0, 1, 0]])

    def teeth(webcam: float) -> float:
        rng = np.random.default_rng(1)
        return float(np.median([_teeth(augmented_crop(sample, identity, (112, 64), rng, strength=0.0, webcam=webcam))
                                for _ in range(60)]))

    assert teeth(1.0) < 0.25 * teeth(0.0)
    plain = augmented_crop(sample, identity, (112, 64), None, webcam=1.0)
    assert (plain == sample.image).all()
