"""The demo's faces (issue 21): each demo student with an enrolment photo is the same person as in every camera frame
that shows them, and a different person from everyone else's photo and frames, at the shipped thresholds: so the demo
day matches cleanly and its one swap is caught on purpose, not by accident."""

from __future__ import annotations

import cv2
import pytest

from station.adapters.demo import DEMO_DIR, DEMO_REFERENCES
from station.compliance.results import FAIL
from station.identity.embedder import FaceEmbedder
from station.identity.verify import compare

STUDENTS = DEMO_DIR / "students"
# Whose face each demo camera frame shows, by enrolment photo (student number). 林晓雯 holds 陈浩然's phone in
# qr/DEMO0002.jpg; 赵雨桐 (2021010104) has an enrolment photo but no frame: hers is the demo's caught swap.
FRAMES = {
    "2021010101": ["kiosk/01_good.jpg", "kiosk/02_good_shifted.jpg", "kiosk/03_tilted.jpg", "qr/DEMO0001.jpg",
                   "qr/DEMO0002.jpg"],
    "2021010102": ["students/DEMO0002_1_phone.jpg", "students/DEMO0002_2_good.jpg",
                   "students/DEMO0002_3_good_shifted.jpg"],
    "2021010103": ["students/DEMO0003_1_phone.jpg", "students/DEMO0003_2_good.jpg",
                   "students/DEMO0003_3_good_shifted.jpg"],
    "2021010104": [],
}


@pytest.fixture(scope="module")
def vectors() -> dict[str, object]:
    embedder = FaceEmbedder()
    paths = [*(DEMO_REFERENCES / f"{no}.jpg" for no in FRAMES), *(DEMO_DIR / f for fs in FRAMES.values() for f in fs)]
    return {path.relative_to(DEMO_DIR.parent).as_posix(): embedder.embed(cv2.imread(str(path))).vector
            for path in paths}


def test_every_enrolment_photo_and_students_frame_is_accounted_for() -> None:
    assert sorted(p.stem for p in DEMO_REFERENCES.glob("*.jpg")) == sorted(FRAMES)
    assert sorted(p.relative_to(DEMO_DIR).as_posix() for p in STUDENTS.glob("*.jpg")) == sorted(
        f for fs in FRAMES.values() for f in fs if f.startswith("students/"))


@pytest.mark.parametrize("student_no", sorted(FRAMES))
def test_a_demo_students_enrolment_photo_matches_their_frames_and_nobody_elses(vectors, student_no: str) -> None:
    reference = vectors[f"demo_references/{student_no}.jpg"]
    for other, frames in FRAMES.items():
        expected = "same" if other == student_no else "different"
        faces = [f"demo/{f}" for f in frames] + ([] if other == student_no else [f"demo_references/{other}.jpg"])
        for face in faces:
            verdict = compare(reference, vectors[face])
            assert verdict.level == expected, (student_no, face, round(verdict.score, 3))


def test_chen_haorans_enrolment_photo_is_another_photograph_than_his_frames(vectors) -> None:
    """A real match across two photographs (a copy of the same one scores about 0.96), in the sizes the station uses;
    every demo photo kept small."""
    reference = cv2.imread(str(DEMO_REFERENCES / "2021010102.jpg"))
    frame = cv2.imread(str(STUDENTS / "DEMO0002_2_good.jpg"))
    assert reference.shape == (441, 358, 3) and frame.shape == (720, 1280, 3)
    score = compare(vectors["demo_references/2021010102.jpg"], vectors["demo/students/DEMO0002_2_good.jpg"]).score
    assert 0.5 < score < 0.9
    assert all(p.stat().st_size <= 100_000 for p in [*STUDENTS.glob("*.jpg"), *DEMO_REFERENCES.glob("*.jpg")])


@pytest.mark.parametrize("frame", ["DEMO0003_2_good.jpg", "DEMO0003_3_good_shifted.jpg"])
def test_wang_siyuans_frames_are_the_demos_clean_pass(engine, frame: str) -> None:
    """The demo shows a photo that passes, not only overrides: 林晓雯's and 陈浩然's broad smiles rightly fail."""
    checks = engine.analyze(cv2.imread(str(STUDENTS / frame))).checks
    assert [name for name, check in checks.items() if check.level == FAIL] == []
