"""A phone in the photo: a code read inside the part of the frame the CHSI crop keeps blocks, even partly inside; just
outside it asks the photographer to look; anywhere else it passes (that is how the next student identifies). Frames:
王思远's demo frame, which passes every check, with the next student's phone composed into it."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
from station.adapters.demo import DEMO_DIR
from station.compliance import ComplianceEngine
from station.compliance.messages import INSTRUCTIONS
from station.compliance.regions import check_regions
from station.compliance import photometry
from station.compliance.results import COVERED, FAIL, LOOK, MEASURED, NOT_FRAMED, PASS, Reuse
from station.identify.frames import SeenCode, decode_codes
from tests.chsi.images import in_big_still
from tests.identify.images import qr_image

CLEAN = DEMO_DIR / "students" / "DEMO0003_2_good.jpg"  # passes every check
OWN_PHONE = DEMO_DIR / "students" / "DEMO0002_1_phone.jpg"  # 陈浩然 holding up his own phone beside his chest
# Where the next student's phone is put (its top left, x, y) and how wide its code is, in 王思远's frame, whose crop
# runs from about x 430-460 on its left edge to 810-840 on its right, y 40-570.
INSIDE = ((440, 360), 56)  # behind his shoulder, beside his cheek
STRADDLING = ((405, 220), 64)  # across the crop's left edge
JUST_OUTSIDE = ((840, 120), 64)  # a few pixels right of the crop: its phone reaches in
FAR_OUTSIDE = ((1150, 60), 64)  # the frame's top right corner


def with_phone(frame: np.ndarray, payload: str, at: tuple[int, int], code_px: int) -> np.ndarray:
    """`frame` with a phone showing `payload` as a QR code `code_px` wide (its dark bezel, more of it above and below),
    its top left at `at`: the next student's capture code, shown early, behind the one being photographed."""
    code = cv2.resize(qr_image(payload), (code_px, code_px), interpolation=cv2.INTER_AREA)
    bezel = max(2, code_px // 8)
    phone = np.full((code_px + 4 * bezel, code_px + 2 * bezel, 3), 25, np.uint8)
    phone[2 * bezel:2 * bezel + code_px, bezel:bezel + code_px] = code
    (x, y), (height, width) = at, phone.shape[:2]
    out = frame.copy()
    out[y:y + height, x:x + width] = phone
    return out


def clean_frame_with(place: tuple[tuple[int, int], int]) -> np.ndarray:
    at, code_px = place
    return with_phone(cv2.imread(str(CLEAN)), "DEMO0002", at, code_px)


def test_the_clean_frame_passes_and_its_code_sits_where_it_was_put() -> None:
    frame = clean_frame_with(INSIDE)
    [code] = decode_codes(frame, thorough=False)
    x, y, w, h = code.box
    (left, top), code_px = INSIDE
    assert left < x < left + 20 and top < y < top + 30 and code_px * 0.7 < w <= code_px
    assert code.width_share < 0.06  # small: the capture session never takes it for the student at the camera


def test_a_code_inside_the_crop_blocks_and_is_outlined(engine: ComplianceEngine) -> None:
    assert engine.analyze(cv2.imread(str(CLEAN))).checks["code_in_photo"].level == PASS
    analysis = engine.analyze(clean_frame_with(INSIDE))
    result = analysis.checks["code_in_photo"]
    assert result.level == FAIL and result.score == 1.0
    assert analysis.problems[0][0] == "code_in_photo" and result.message == INSTRUCTIONS["code_in_photo"]
    assert analysis.verdict == "fail"
    [(x, y, w, h)] = check_regions("code_in_photo", analysis)
    corners = analysis.crop.corners().astype(np.float32)
    assert cv2.pointPolygonTest(corners, (x + w / 2, y + h / 2), False) > 0  # the outline is the code, in the photo


def test_a_code_across_the_crops_edge_blocks(engine: ComplianceEngine) -> None:
    analysis = engine.analyze(clean_frame_with(STRADDLING))
    [(x, y, w, h)] = analysis.code_boxes
    corners = analysis.crop.corners().astype(np.float32)
    assert cv2.pointPolygonTest(corners, (x, y + h / 2), False) < 0 < cv2.pointPolygonTest(corners, (x + w, y + h / 2),
                                                                                          False)
    assert analysis.checks["code_in_photo"].level == FAIL


def test_a_code_just_outside_asks_and_one_far_outside_passes(engine: ComplianceEngine) -> None:
    near = engine.analyze(clean_frame_with(JUST_OUTSIDE))
    assert near.checks["code_in_photo"].level == LOOK and near.verdict == "pass"
    clean = engine.analyze(cv2.imread(str(CLEAN)))  # his head turn is asked about (pose) with or without the phone
    asked = {check for check, _ in near.questions}
    assert asked == {check for check, _ in clean.questions} | {"code_in_photo"} and len(near.code_boxes) == 1
    far = engine.analyze(clean_frame_with(FAR_OUTSIDE))
    assert far.checks["code_in_photo"].level == PASS and far.code_boxes == () and far.verdict == "pass"


def test_a_student_holding_up_his_own_phone_beside_his_chest(engine: ComplianceEngine) -> None:
    """The demo's real phone frame: the phone stands partly inside the crop (its code from x 364 to 525, the crop's
    left edge near x 450)."""
    analysis = engine.analyze(cv2.imread(str(OWN_PHONE)))
    assert analysis.checks["code_in_photo"].level == FAIL and len(analysis.code_boxes) == 1


def test_a_large_still_reports_the_codes_box_in_its_own_pixels(engine: ComplianceEngine) -> None:
    """A tethered camera's still is measured shrunk: the box outlined is the code's in the still."""
    frame = clean_frame_with(INSIDE)
    still = cv2.resize(frame, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    analysis = engine.analyze(still)
    assert analysis.analysis_scale < 1 and analysis.checks["code_in_photo"].level == FAIL
    [(x, y, w, h)] = analysis.code_boxes
    (left, top), code_px = INSIDE
    assert 2 * left < x < 2 * (left + 20) and 2 * top < y < 2 * (top + 30) and 2 * code_px * 0.7 < w


def test_a_live_frame_takes_the_scanners_codes_and_reads_none_itself(engine: ComplianceEngine) -> None:
    """The live checks are told what the code scanner read (no second decoding): told nothing, a code in the frame is
    not looked for; told a code inside the crop, the frame blocks although the code is not in its pixels."""
    with_code, clean = clean_frame_with(INSIDE), cv2.imread(str(CLEAN))
    assert engine.analyze(with_code, Reuse(codes=())).checks["code_in_photo"].level == PASS
    [seen] = decode_codes(with_code, thorough=False)
    told = engine.analyze(clean, Reuse(codes=(seen,)))
    assert told.checks["code_in_photo"].level == FAIL and told.code_boxes == (seen.box,)
    elsewhere = SeenCode("DEMO0002", 0.04, (1150.0, 60.0, 50.0, 50.0))
    assert engine.analyze(clean, Reuse(codes=(elsewhere,))).checks["code_in_photo"].level == PASS


def test_without_a_photo_to_frame_nothing_is_looked_at_and_the_screen_says_so(engine: ComplianceEngine) -> None:
    """Off centre, no CHSI photo can be framed: face_position blocks, and the phone check is not measured (shown –,
    not ✓: it was never looked at), never a failure of its own."""
    analysis = engine.analyze(cv2.imread(str(DEMO_DIR / "kiosk" / "04_off_centre.jpg")))
    assert analysis.checks["face_position"].level == FAIL
    result = analysis.checks["code_in_photo"]
    assert result.level == PASS and result.state == NOT_FRAMED and result.unmeasured and result.score == 0.0
    assert "code_in_photo" not in dict(analysis.on_screen)


OVER_FACE = ((530, 250), 90)  # the next student's phone held up in front of his cheek and jaw


def test_a_phone_over_the_face_is_not_read_as_the_faces_light(engine: ComplianceEngine) -> None:
    """The phone's white screen on his cheek once read as glare and a dark side (曝光, 光线均匀) besides the phone
    itself: the photographer was told of three faults where there is one. The phone blocks, and says why."""
    frame = clean_frame_with(OVER_FACE)
    analysis = engine.analyze(frame)
    assert analysis.checks["code_in_photo"].level == FAIL
    for check in ("exposure", "lighting", "blur"):
        result = analysis.checks[check]
        assert result.state == COVERED and result.unmeasured and result.level == PASS, check
    on_screen = [check for check, _ in analysis.on_screen]
    assert on_screen[0] == "code_in_photo" and not {"exposure", "lighting", "blur"} & set(on_screen)
    patch = photometry.FacePatch.cut(frame, analysis.face)  # read anyway, the screen is light on the face
    assert photometry.exposure(patch, 50.0, engine.policy["exposure"]).score >= engine.policy["exposure"].block
    clean = engine.analyze(cv2.imread(str(CLEAN)))
    assert all(clean.checks[check].state == MEASURED for check in ("exposure", "lighting", "blur"))


def test_a_phone_over_a_big_stills_small_face_is_not_read_as_its_light(engine: ComplianceEngine) -> None:
    """A 150 px face in a 6000x4000 still is measured in the still itself (the 1600 px copy holds 40 px of it), so the
    phone's box, in the copy's pixels, is put in the still's to find the face covered: left in the copy's, it missed
    the face, and the phone's white screen was read as glare (曝光, score 0.98) besides the phone's own fault. The code
    is told, as the live checks are told it."""
    still = in_big_still(clean_frame_with(OVER_FACE), 1024)
    left, top = (6000 - 1024) // 2, (4000 - 576) // 2
    [seen] = decode_codes(still[top:top + 576, left:left + 1024], thorough=False)
    x, y, w, h = seen.box
    analysis = engine.analyze(still, Reuse(codes=(replace(seen, box=(x + left, y + top, w, h)),)))
    assert analysis.analysis_scale < 1 and analysis.checks["code_in_photo"].level == FAIL
    for check in ("exposure", "lighting", "blur"):
        assert analysis.checks[check].state == COVERED, check


def test_a_phone_over_a_big_stills_small_face_is_read_in_the_still(engine: ComplianceEngine) -> None:
    """The same still, its code not told: the still's own reading looked for it in the 1600 px copy, where the phone's
    61 px code is 16 px wide, and read nothing, so the phone passed and its white screen failed exposure (0.98). Around
    a crop that small in the copy the codes are read in the still itself: the phone blocks, outlined where it is."""
    still = in_big_still(clean_frame_with(OVER_FACE), 1024)
    analysis = engine.analyze(still)
    assert analysis.analysis_scale < 1 and analysis.checks["code_in_photo"].level == FAIL
    [(x, y, w, h)] = analysis.code_boxes
    (left, top), code_px = OVER_FACE
    scale = 1024 / 1280
    assert abs(x - ((6000 - 1024) // 2 + left * scale)) < 25 and abs(y - ((4000 - 576) // 2 + top * scale)) < 40
    assert 0.7 * code_px * scale < w <= code_px * scale + 2
    for check in ("exposure", "lighting", "blur"):
        assert analysis.checks[check].state == COVERED, check
