"""The kiosk-backdrop augmentation of the training scripts: a blue the station accepts, the person kept."""

from __future__ import annotations

import cv2
import numpy as np

from training.training import Sample, augmented_crop, blue_backdrop
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
