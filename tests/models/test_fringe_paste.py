"""A fringe pasted on a face (training/paste.py, `covered`) is labelled by what it hides of the face's own brows in
the face's own parsing mask, not by being pasted: the brows rule is about the brows, not the fringe."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from station.face import FaceMesher
from training.datasets import load_mask, load_split
from training.labels import brows_hidden
from training.paste import Donor, Recipient, covered
from training.training import Sample

BAND = (240, 96)  # the brow band's crop size (train_pretrained's brows task)


@pytest.fixture(scope="module")
def bare_brows(faces_dir: Path) -> Sample:
    """A celebamaskhq train face whose mask shows both brows, with its own mesh points."""
    with FaceMesher(max_faces=1) as mesher:
        for file in load_split("celebamaskhq")["train"][:20]:
            image = cv2.imread(str(faces_dir / "celebamaskhq" / file))
            found = mesher.detect(image)
            if found and not brows_hidden(load_mask(file), found[0].points):
                return Sample("celebamaskhq", file, image, found[0].points, np.zeros(1, np.float32), None)
    pytest.fail("no train face with both brows shown among the first 20")


def hair(rows: slice) -> Donor:
    """Dark hair over `rows` of the band, the whole band's width."""
    alpha = np.zeros(BAND[::-1], np.float32)
    alpha[rows] = 1.0
    return Donor(np.full((*BAND[::-1], 3), 30, np.uint8), alpha, 0)


@pytest.mark.parametrize("seed", range(4))
def test_a_fringe_over_the_brows_hides_them_and_one_high_on_the_forehead_does_not(bare_brows: Sample,
                                                                                 seed: int) -> None:
    recipient = Recipient(bare_brows, np.ones(1, np.float32))  # recipients() marks every one as breaking the rule
    over = covered(recipient, [[hair(slice(None))]], "eyebrows_covered", 0, "brows", BAND, np.random.default_rng(seed))
    high = covered(recipient, [[hair(slice(0, 4))]], "eyebrows_covered", 0, "brows", BAND, np.random.default_rng(seed))
    assert over.labels[0] == 1.0 and high.labels[0] == 0.0
    changed = [np.abs(sample.image.astype(int) - bare_brows.image).sum() for sample in (over, high)]
    assert changed[0] > changed[1] > 0  # both pasted; the whole band's hair changes more
