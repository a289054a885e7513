"""Faces framed as people hand them in: a head filling an ID photo, a photo lying on its side, a small face in a big
photo. Each must be found and compared as the upright, ordinary photo of the same person is."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from station.identity.embedder import FaceEmbedder
from station.identity.references import check_photo
from station.identity.verify import SAME_THRESHOLD
from tests.cli import json_lines, run_cli
from tests.identity.faces import photos_of

PEOPLE = ("Colin_Powell", "Ariel_Sharon", "Alan_Greenspan", "Hugo_Chavez")


@pytest.fixture(scope="module")
def embedder() -> FaceEmbedder:
    return FaceEmbedder()


def close_up(embedder: FaceEmbedder, photo: Path) -> np.ndarray:
    """The head cut out tight (the face box and a sixth of it around, 3:4) and enlarged to 1200x1600, as an
    enrolment photo scanned at high resolution shows it."""
    image = cv2.imread(str(photo))
    x, y, width, _ = embedder.embed(image).box
    centre_x, centre_y, half = x + width / 2, y + width / 2, width * 0.65
    top, left = max(0, round(centre_y - half * 4 / 3)), max(0, round(centre_x - half))
    head = image[top:round(centre_y + half * 4 / 3), left:round(centre_x + half)]
    return cv2.resize(head, (1200, 1600), interpolation=cv2.INTER_CUBIC)


def small_in_big(photo: Path) -> np.ndarray:
    """The photo shrunk so its face is about 40 px wide, in a 3000x4000 frame (a phone photo taken from afar): 13 px
    at the 1280 px YuNet first searches, too small for it."""
    canvas = np.full((4000, 3000, 3), (200, 120, 60), np.uint8)
    canvas[1800:1900, 1400:1500] = cv2.resize(cv2.imread(str(photo)), (100, 100), interpolation=cv2.INTER_AREA)
    return canvas


def test_a_head_filling_the_frame_is_one_face_the_same_person(faces_dir: Path, embedder: FaceEmbedder) -> None:
    for person in PEOPLE:
        first, second = photos_of(faces_dir, person)[:2]
        close = close_up(embedder, first)
        found = embedder.faces(close)
        assert found and not [f for f in found[1:] if f.width >= 0.3 * found[0].width], person
        assert 700 < found[0].width < 1200, person  # the head itself, in the image's pixels
        reference = check_photo(embedder, close)  # a reference photo: exactly one face, big enough
        assert isinstance(reference, np.ndarray), (person, reference)
        assert float(reference @ embedder.embed(cv2.imread(str(second))).vector) >= SAME_THRESHOLD, person


def test_a_photo_saved_on_its_side_or_upside_down_is_compared_upright(faces_dir: Path,
                                                                       embedder: FaceEmbedder) -> None:
    for person in PEOPLE[:2]:
        first, second = photos_of(faces_dir, person)[:2]
        other = embedder.embed(cv2.imread(str(second))).vector
        upright = embedder.embed(cv2.imread(str(first))).vector
        for turns in (1, 2, 3):
            turned = embedder.embed(np.ascontiguousarray(np.rot90(cv2.imread(str(first)), turns))).vector
            assert float(turned @ upright) > 0.95 and float(turned @ other) >= SAME_THRESHOLD, (person, turns)


def test_verify_finds_a_close_up_a_turned_photo_and_a_small_face(faces_dir: Path, embedder: FaceEmbedder,
                                                                  home: Path, tmp_path: Path) -> None:
    first, second = photos_of(faces_dir, "Colin_Powell")[:2]
    cv2.imwrite(str(tmp_path / "证件照 特写.jpg"), close_up(embedder, first))
    cv2.imwrite(str(tmp_path / "侧卧.jpg"), np.rot90(cv2.imread(str(first))))  # no EXIF orientation to help
    cv2.imwrite(str(tmp_path / "远景.jpg"), small_in_big(first))
    (tmp_path / "pairs.csv").write_text("a,b\n" + "".join(f"{name},{second}\n" for name in
                                                        ("证件照 特写.jpg", "侧卧.jpg", "远景.jpg")), encoding="utf-8")

    run = run_cli("verify", "--pairs", str(tmp_path / "pairs.csv"), "--json", home=home)

    lines = json_lines(run)
    assert run.returncode == 0 and [line.get("same") for line in lines] == [True, True, True], lines


def test_blank_images_as_thin_as_yunet_s_stride_have_no_face(tmp_path: Path) -> None:
    """YuNet gives such an image, now and then, boxes of infinite or random size scoring 1.0: verify compared
    their "faces" (a score of 0.16 for a grey 1x5000 strip)."""
    pairs = []
    for thin in (1, 2, 3, 8, 16, 32):
        for long in (300, 5000):
            for shape in ((thin, long), (long, thin)):
                image = tmp_path / f"{shape[0]}x{shape[1]}.png"
                cv2.imwrite(str(image), np.full((*shape, 3), 128, np.uint8))
                pairs.append(f"{image},{image}\n")
    (tmp_path / "pairs.csv").write_text("a,b\n" + "".join(pairs))
    result = run_cli("verify", "--pairs", str(tmp_path / "pairs.csv"), "--json")
    assert result.returncode == 0
    assert {line.get("error") for line in json_lines(result)} == {"a: no_face: no face found in the image"}


def beside_a_wider_face(subject: Path, other: Path) -> np.ndarray:
    """A press photo framed on its subject, with a colleague nearer the camera at its edge: the colleague's face is the
    wider of the two (about 1.3 times), the subject's is at the centre."""
    canvas = np.full((480, 640, 3), (90, 90, 90), np.uint8)
    canvas[150:330, 230:410] = cv2.resize(cv2.imread(str(subject)), (180, 180), interpolation=cv2.INTER_AREA)
    canvas[125:355, 0:230] = cv2.resize(cv2.imread(str(other)), (230, 230), interpolation=cv2.INTER_AREA)
    return canvas


def test_a_photo_is_of_the_face_at_its_centre_not_of_a_wider_one_at_its_edge(faces_dir: Path,
                                                                             embedder: FaceEmbedder) -> None:
    """The widest face was embedded: a photo of its subject with a colleague beside and nearer the camera was compared
    as the colleague (the centre rule of models/face_verify/README.md, session 33). The live glance too."""
    for person, other in zip(PEOPLE, PEOPLE[1:] + PEOPLE[:1]):
        first, second = photos_of(faces_dir, person)[:2]
        scene = beside_a_wider_face(first, photos_of(faces_dir, other)[0])
        found = embedder.faces(scene)
        assert len(found) == 2 and found[0].box[0] < 230 <= found[1].box[0], person  # the colleague's is the wider
        own = embedder.embed(cv2.imread(str(second))).vector
        colleague = embedder.embed(cv2.imread(str(photos_of(faces_dir, other)[1]))).vector
        for vector in (embedder.embed(scene).vector, embedder.glance(scene)):
            assert float(vector @ own) >= SAME_THRESHOLD > float(vector @ colleague), person


# LFW photos (dev people) whose subject, at the centre, the search's first look missed while it found a colleague at
# the edge (another look, twice the size or at the lower threshold, finds the subject)
SUBJECT_MISSED_FIRST = ("Steven_Spielberg_0002", "John_Negroponte_0004", "Erika_Harold_0003",
                        "Taha_Yassin_Ramadan_0013")


def test_a_subject_the_first_look_missed_is_looked_for_again(faces_dir: Path, embedder: FaceEmbedder) -> None:
    """The model card's off-centre second look (session 33): the face chosen did not hold the photo's centre, so every
    look is made and the subject, found by a later one, is embedded, not the colleague."""
    for name in SUBJECT_MISSED_FIRST:
        person = name.rsplit("_", 1)[0]
        photo = faces_dir / "lfw_identities" / "images" / person / f"{name}.jpg"
        image = cv2.imread(str(photo))
        first = embedder.faces(image)  # the search stops at the first look finding a face: only the colleague's
        assert first and not any(x <= 125 <= x + w for x, _, w, _ in (f.box for f in first)), name
        found = embedder.embed(image)
        x, y, width, height = found.box
        assert x <= 125 <= x + width and y <= 125 <= y + height, name
        others = [p for p in photos_of(faces_dir, person) if p != photo][:3]
        scores = [float(found.vector @ embedder.embed(cv2.imread(str(p))).vector) for p in others]
        assert max(scores) >= SAME_THRESHOLD, (name, scores)
