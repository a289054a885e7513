"""Kiosk-scene augmentation: a share of the train faces replaced by the kiosk scene the benchmarks compose from them.

The hat models read a bare head's outline against the blue backdrop as a hat (session 29: bald celebahq faces' hat
scores double once cut out onto the blue, not when pasted at kiosk size with their own background). The backdrop
step of training/training.augmented_crop puts crops on a random blue through the soft person mask; this gives the
models the scenes themselves, cut out and composed as training/kiosk_scenes does for the benchmarks (hard cut, CHSI
blue, torso, portrait side 420 or 280 in a 1280x720 frame), faces chosen without looking at their labels so that blue
says nothing about a hat. Only train faces are used (issue 20, item 3).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from station.face.segmentation import PersonSegmenter
from training import kiosk_scenes as scenes
from training.training import Sample

SIDES = (scenes.PORTRAIT_SIDE, scenes.SMALL_PORTRAIT_SIDE)


def kiosk_sample(sample: Sample, side: int, segmenter, rng: np.random.Generator, seed: int = 0) -> Sample:
    """`sample` cut out and composed on the blue backdrop at portrait `side`, kept as the part of the frame around
    the portrait (the crops never reach further), its mesh points moved with it; all of it counts as the person, so
    the backdrop step leaves it as it is."""
    frame = scenes.compose(sample.image, scenes.cut_out(sample.dataset, sample.file, sample.image, segmenter),
                           scenes.backdrop("blue", rng), seed=seed, side=side)
    x0, y0, side = scenes.placement(frame.shape, side)
    left, bottom = max(0, x0 - side // 2), min(frame.shape[0], y0 + side + side // 4)
    window = np.ascontiguousarray(frame[:bottom, left:x0 + side + side // 2])
    height, width = sample.image.shape[:2]
    points = sample.points.astype(np.float32) * np.float32([side / width, side / height, side / width])
    points[:, :2] += np.float32([x0 - left, y0])
    return replace(sample, image=window, points=points, person=np.full(window.shape[:2], 255, np.uint8))


def with_kiosk_scenes(train: list[Sample], share: float, rng: np.random.Generator) -> list[Sample]:
    """`train` with `share` of its faces (chosen blind to their labels) replaced by their kiosk scenes, half at each
    portrait side."""
    chosen = rng.choice(len(train), size=round(share * len(train)), replace=False)
    out = list(train)
    with PersonSegmenter(portrait=True) as segmenter:
        for k, i in enumerate(sorted(chosen)):
            out[i] = kiosk_sample(train[i], SIDES[k % 2], segmenter, rng, seed=int(i))
    return out
