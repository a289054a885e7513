"""face_count blocks the shutter with 画面中有多张人脸, and the analysis says where the faces beside the main one are, so
that the live picture can outline them: a photographer could not tell a poster, a passer-by at the edge or a friend
half behind the student from nobody."""

from __future__ import annotations

import cv2
import pytest

from station import ASSETS_DIR
from station.compliance.framing import faces_in_view
from station.compliance.live import LiveAnalyzer
from station.compliance.results import FAIL, PASS
from station.face.detection import Detection, centre_inside

KIOSK = ASSETS_DIR / "demo" / "kiosk"
# scripts/make_demo_assets.py places the student's centre at x 400 and the second person's at x 900
MAIN_X, SECOND_X = 400, 900


def centre_x(box) -> float:
    return box[0] + box[2] / 2


def test_the_face_beside_the_student_is_located(engine) -> None:
    frame = cv2.imread(str(KIOSK / "05_two_people.jpg"))
    analysis = engine.analyze(frame)
    assert analysis.checks["face_count"].level == FAIL and analysis.faces == 2
    [other] = analysis.other_faces
    assert abs(centre_x(other) - SECOND_X) < other[2] / 2, other  # on the second person's face
    main = analysis.face.box
    assert abs(centre_x(main) - MAIN_X) < main[2] / 2 and not centre_inside(other, main)


def test_a_big_still_gives_them_in_its_own_pixels(engine) -> None:
    """A still over 1600 px is measured on a shrunk copy: the boxes are given back in the still's pixels."""
    frame = cv2.imread(str(KIOSK / "05_two_people.jpg"))
    big = cv2.resize(frame, None, fx=2.5, fy=2.5, interpolation=cv2.INTER_AREA)
    analysis = engine.analyze(big)
    assert analysis.analysis_scale < 1.0
    [other] = analysis.other_faces
    assert abs(centre_x(other) - 2.5 * SECOND_X) < other[2] / 2, other
    assert other[2] > 2.5 * 100  # the face is about 140 px wide in the 1280 px frame


def test_a_single_student_has_no_other_face(engine) -> None:
    analysis = engine.analyze(cv2.imread(str(KIOSK / "01_good.jpg")))
    assert analysis.checks["face_count"].level == PASS and analysis.faces == 1 and analysis.other_faces == ()


def test_the_live_analyser_locates_them_too() -> None:
    """A live preview tracks one face with the mesh: the other one is the face detector's."""
    from station.compliance.engine import ComplianceEngine

    frame = cv2.imread(str(KIOSK / "05_two_people.jpg"))
    with ComplianceEngine.load(video=True) as engine:
        live = LiveAnalyzer(engine, hold=1)
        for _ in range(2):  # the second frame reuses what the first measured
            analysis = live.analyze(frame)
            [other] = analysis.other_faces
            assert abs(centre_x(other) - SECOND_X) < other[2] / 2, other


@pytest.mark.parametrize("width, counted", [(70, True), (50, False)])
def test_only_the_faces_face_count_counts_are_given(width: float, counted: bool) -> None:
    """A face narrower than 30 % of the main one (a poster, someone far behind) is not a second person."""
    main = Detection((100, 100, 200, 240), 0.9)
    same = Detection((110, 90, 190, 230), 0.8)  # the main face found again: one person
    other = Detection((600, 120, width, width * 1.2), 0.8)
    people = faces_in_view([], [main, same, other])
    assert people == ((main.box, other.box) if counted else (main.box,))
