"""Copy-paste augmentation: the masked earrings (hats, fringes) of celebamaskhq's TRAIN faces pasted onto train faces
without.

CelebA-HQ has about 1,300 train faces labelled with earrings, many of them hidden by hair or too small to see; the
CelebAMask-HQ masks show exactly which pixels are earrings. Each donor's pixels are cut in its own region crop (the
run-time transform, so both ears are already in one mirrored frame) and pasted through the recipient's inverse
crop transform at the same place (beside the recipient's ear lobe, on its head); the recipient then goes through
the usual jitter, backdrop and photometric augmentation as a face breaking the rule. Only train faces give or
take: the val and test images and masks never enter (issue 20, item 3).

A fringe is pasted differently (COVERED): nearly every face shows some hair in its brow band, so only a face whose own
mask hides a brow gives its band's hair, and the recipient is labelled by what the pasted hair leaves of its own
brows in its own mask: the jitter moves a fringe off the brows as often as over them, and a fringe that ends above
the brows is as much worth learning (the CHSI rule is the brows, not the fringe) as one that hides them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from training.cache_landmarks import load_landmarks
from training.datasets import FACES_DIR, load_mask, load_split
from training.labels import brows_hidden
from training.training import Sample, Size
from station.compliance.learned import REGIONS

# celebamaskhq mask values of the checks that can be pasted (dataset README): a fringe is hair
MASK_VALUES = {"earrings": 15, "hat": 14, "eyebrows_covered": 13}
# the checks whose donors must break the rule by their own mask, and whose recipients are labelled by what the paste
# covers: (mask, points, cover) -> broken
COVERED = {"eyebrows_covered": brows_hidden}
MIN_PIXELS = 12  # pixels a donor crop needs at the training size: fewer earring pixels are a glint, not an earring


@dataclass(frozen=True)
class Donor:
    """One side's earring in crop coordinates: its pixels and their opacity (0..1), the side it was on."""

    crop: np.ndarray  # (H, W, 3) uint8
    alpha: np.ndarray  # (H, W) float32
    side: int  # index into the region's transforms


def load_donors(check: str, region: str, size: Size) -> list[list[Donor]]:
    """Per celebamaskhq train face with `check`'s mask pixels in a crop: its donors (one per crop that has them)."""
    value = MASK_VALUES[check]
    landmarks = load_landmarks("celebamaskhq")
    faces = []
    for file in load_split("celebamaskhq")["train"]:
        if file not in landmarks:
            continue
        image = cv2.imread(str(FACES_DIR / "celebamaskhq" / file), cv2.IMREAD_COLOR)
        parsing = cv2.resize(load_mask(file), (image.shape[1], image.shape[0]), interpolation=cv2.INTER_NEAREST)
        if check in COVERED and not COVERED[check](parsing, landmarks[file]):
            continue
        mask = (parsing == value).astype(np.uint8) * 255
        donors = []
        for side, matrix in enumerate(REGIONS[region].transforms(landmarks[file], size)):
            alpha = cv2.warpAffine(mask, matrix, size, flags=cv2.INTER_LINEAR)
            if np.count_nonzero(alpha > 127) >= MIN_PIXELS:
                crop = cv2.warpAffine(image, matrix, size, flags=cv2.INTER_LINEAR)
                alpha = cv2.GaussianBlur(alpha.astype(np.float32) / 255, (0, 0), 0.6)
                donors.append(Donor(crop, alpha, side))
        if donors:
            faces.append(donors)
    return faces


def paste(sample: Sample, donors: list[Donor], region: str, size: Size, rng: np.random.Generator) -> Sample:
    """A copy of `sample` wearing the donor face's earrings (hat), on the same sides, at a jittered size, angle, place
    and brightness (its labels are the Recipient's business)."""
    return dressed(sample, donors, region, size, rng)[0]


def covered(recipient: Recipient, donors: list[list[Donor]], check: str, index: int, region: str, size: Size,
            rng: np.random.Generator) -> Sample:
    """The recipient (a celebamaskhq train face) wearing a random donor's fringe (`check`'s pasted thing), its label at
    `index` read off its own mask under the pasted pixels (COVERED)."""
    sample, cover = dressed(recipient.sample, donors[rng.integers(len(donors))], region, size, rng)
    parsing = load_mask(sample.file)
    if parsing.shape != cover.shape:
        raise ValueError(f"{sample.file}: its mask is not the image's size (a kiosk scene?): cover unknown")
    labels = sample.labels.copy()
    labels[index] = float(COVERED[check](parsing, sample.points, cover))
    return replace(sample, labels=labels)


def dressed(sample: Sample, donors: list[Donor], region: str, size: Size,
            rng: np.random.Generator) -> tuple[Sample, np.ndarray]:
    """`paste`'s copy of `sample`, and the opacity of everything pasted on it (the image's size, 0..1)."""
    transforms = REGIONS[region].transforms(sample.points, size)
    image = sample.image.astype(np.float32)
    height, width = image.shape[:2]
    person = None if sample.person is None else sample.person.astype(np.float32)
    cover = np.zeros((height, width), np.float32)
    for donor in donors:
        m = cv2.getRotationMatrix2D((size[0] / 2, size[1] / 2), rng.uniform(-15, 15), np.exp(rng.uniform(-0.2, 0.2)))
        m[:, 2] += rng.uniform(-0.06, 0.06, 2) * size[0]
        inverse = cv2.invertAffineTransform(transforms[donor.side])
        to_image = (np.vstack([inverse, [0, 0, 1]]) @ np.vstack([m, [0, 0, 1]]))[:2]
        pixels = cv2.warpAffine(donor.crop, to_image, (width, height), flags=cv2.INTER_LINEAR).astype(np.float32)
        alpha = cv2.warpAffine(donor.alpha, to_image, (width, height), flags=cv2.INTER_LINEAR)[..., None]
        pixels *= rng.uniform(0.75, 1.25)
        image = alpha * np.clip(pixels, 0, 255) + (1 - alpha) * image
        cover = np.maximum(cover, alpha[..., 0])
        if person is not None:  # the pasted thing is the person's: the backdrop step must not trim it to their outline
            person = np.maximum(person, alpha[..., 0] * 255)
    return replace(sample, image=image.astype(np.uint8),
                   person=None if person is None else person.astype(np.uint8)), cover


@dataclass(frozen=True)
class Recipient:
    """A train face without earrings (hat) that the crop function dresses with a random donor's: one more
    training item, labelled as breaking the pasted check (`labels`), the face's other labels kept."""

    sample: Sample
    labels: np.ndarray


def recipients(train: list[Sample], check: int, share: float, rng: np.random.Generator) -> list[Recipient]:
    """`share` of the train faces labelled without the thing (label 0 at index `check`), as paste targets."""
    clean = [s for s in train if s.labels[check] == 0]
    chosen = rng.choice(len(clean), size=round(share * len(clean)), replace=False)
    return [Recipient(clean[i], np.where(np.arange(len(clean[i].labels)) == check, 1.0, clean[i].labels)
                      .astype(np.float32)) for i in sorted(chosen)]
