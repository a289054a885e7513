"""A student card's barcode misread from one camera frame never names another student: Code 39 without its check
character reads a smudged digit as another valid one, and the classmate one number on is in the roster. Real rendered
cards through the real reader and scanner, looked at one frame at a time as its thread would."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from pyzbar import pyzbar

from station.camera import open_camera
from station.camera.source import Frame
from station.capture.session import HELD_UP_SHARE, CaptureSession
from station.capture.workflow import CaptureWorkflow
from station.identify.confirm import LinearConfirmation, near
from station.identify.frames import decode_codes
from station.identify.scanner import CodeScanner
from station.adapters.demo import DEMO_DIR
from station.storage.captures import CaptureStore
from tests.capture.test_session import Heard
from tests.identify.images import card_in_room, code128_image, code39_image, held_up, qr_image, student_card

HERS, HIS = "2021010101", "2021010102"  # the demo roster's first two students


def smudged_card() -> np.ndarray:
    """Her card with two elements of its last digit smeared (a narrow bar widened, a wide one narrowed): 7 px of
    its bars, and the digit reads as his."""
    hers, his = code39_image(HERS), code39_image(HIS)
    columns = np.flatnonzero((hers != his).any(axis=(0, 2)))
    smudged = hers.copy()
    smudged[:, columns] = his[:, columns]
    return smudged


@pytest.fixture
def session(demo_station, engine, pipeline):
    store = CaptureStore(demo_station, key=demo_station.demo_key)
    workflow = CaptureWorkflow(demo_station, store, "摄影师甲", engine=engine, pipeline=pipeline)
    heard = Heard()
    session = CaptureSession(demo_station, store, "摄影师甲", open_camera(str(DEMO_DIR / "kiosk")),
                             listener=heard.listener(), live_checks=False, scan_codes=False, workflow=workflow)
    session.heard = heard
    yield session
    session.source.stop()


def look(session: CaptureSession, frames: list[tuple[float, np.ndarray]]) -> None:
    """The scanner's looks at these frames (at these seconds), each code it takes handed to the session."""
    scanner = CodeScanner(session.source, session.camera_code)
    for index, (at, image) in enumerate(frames, 1):
        scanner._look(Frame(index, at, image))  # noqa: SLF001 - one look at a time


def test_the_smudged_card_reads_as_the_classmate() -> None:
    [read] = decode_codes(held_up(smudged_card(), tilt=0.1), thorough=False)
    assert (read.text, read.unchecked) == (HIS, True)  # what the rule below is for


def test_one_misread_frame_neither_identifies_nor_offers_the_classmate(session: CaptureSession) -> None:
    hers, smudged = held_up(code39_image(HERS), tilt=0.1), held_up(smudged_card(), tilt=0.1)
    look(session, [(0.0, hers), (0.33, smudged), (0.67, hers), (1.0, hers)])
    assert session.student is None and session.heard.identified == [] and session.heard.offered == []
    look(session, [(0.0, hers), (0.33, smudged), *((0.33 * i, hers) for i in range(2, 18))])  # 5.6 s: his read is old
    assert session.heard.identified == [HERS] and session.heard.offered == []


def test_a_misread_while_someone_is_at_the_camera_offers_nobody(session: CaptureSession) -> None:
    session.identify("DEMO0003")
    smudged, plain = held_up(smudged_card(), tilt=0.1), held_up(code39_image(HERS), tilt=0.1)
    look(session, [(0.0, smudged), (0.33, plain), (0.67, smudged), (1.0, plain)])
    assert session.heard.offered == [] and session.offer is None and session.student.student_no == "2021010103"


def test_a_clean_card_identifies_on_the_second_look_and_checked_codes_on_the_first(session: CaptureSession) -> None:
    card = held_up(code39_image(HERS), tilt=0.1)
    look(session, [(0.0, card)])
    assert session.heard.identified == []
    look(session, [(0.0, card), (0.33, card)])
    assert session.heard.identified == [HERS]
    session.identify("DEMO0003")
    look(session, [(0.0, held_up(qr_image("DEMO0002"), tilt=0.1))])  # QR codes correct their own errors
    look(session, [(0.0, held_up(code128_image("2021010104"), tilt=0.1))])  # Code 128 has a check character
    assert session.heard.offered == [HIS, "2021010104"]


def test_values_near_each_other_hold_each_other_back_and_far_ones_do_not() -> None:
    confirmation = LinearConfirmation(window_s=2.0)
    assert confirmation.look({HERS}, 0.0) == set()
    assert confirmation.look({HERS, "LIB-88812"}, 0.3) == {HERS}  # a second barcode on the card is no misread
    assert confirmation.look({HIS}, 0.6) == set()
    assert confirmation.look({HERS}, 0.9) == set()  # his read, 0.3 s before, makes hers unsure too
    assert confirmation.look({HERS}, 2.7) == {HERS}
    assert near("2021010101", "2021010122") and not near("2021010101", "2021010222")  # I25 misreads digit pairs


def test_a_card_read_only_by_the_fallbacks_is_confirmed_on_the_next_look(session: CaptureSession) -> None:
    faded = (105 + code39_image(HERS).astype(np.float32) / 255 * 20).astype(np.uint8)  # grey on grey: worn, dim
    dim = held_up(faded, tilt=0.15)
    assert decode_codes(dim, thorough=False) == [] and [c.text for c in decode_codes(dim)] == [HERS]
    look(session, [(0.33 * i, dim) for i in range(2)])  # the first look is thorough (every 6th), and the next too
    assert session.heard.identified == [HERS]


def thumbed_card(seed: int, angle: float = 4.0, thumb: bool = True) -> np.ndarray:
    """Her Interleaved 2 of 5 card held up, 40 % of the frame's width long (30 % held sideways), turned `angle`
    degrees, a thumb over four fifths of its bars' height; `seed` draws the frame's blur and noise."""
    card = student_card("itf", HERS)
    if thumb:
        height, width = card.shape[:2]
        card[:int(height * 0.8), int(width * 0.45):int(width * 0.52)] = 70
    return card_in_room(card, 0.4 if abs(angle) < 45 else 0.3, 0.1, angle, np.random.default_rng(seed))


# (seed, angle) of frames in which zbar reads her card on one scanline only: across the frame, then held sideways
ONE_LINE = {"across": [(1, 4.0), (9, 4.0)], "sideways": [(4, 86.0), (4, 94.0)]}


@pytest.mark.parametrize("held", ONE_LINE)
def test_a_card_read_on_one_scanline_is_measured_across_its_bars(held: str) -> None:
    """zbar marks a barcode read on one scanline with a single point, where that read ended (across the frame, here
    at its right end, then its left): such a card held up close measured 0 px long, as if in the background. Held
    sideways, it was measured by its bars' height even when zbar read it whole."""
    along = 0 if held == "across" else 1  # the box's side along the scanline
    [clean] = pyzbar.decode(cv2.cvtColor(thumbed_card(1, ONE_LINE[held][0][1], thumb=False), cv2.COLOR_BGR2GRAY))
    clean_start, clean_length = clean.rect[along], clean.rect[along + 2]  # read both ways: both ends marked
    for seed, angle in ONE_LINE[held]:
        [one_line] = pyzbar.decode(cv2.cvtColor(thumbed_card(seed, angle), cv2.COLOR_BGR2GRAY))
        assert (one_line.data.decode(), one_line.quality, one_line.rect.width) == (HERS, 1, 0)  # the premise
        [read] = decode_codes(thumbed_card(seed, angle), thorough=False)
        start, length = read.box[along], read.box[along + 2]
        assert abs(start - clean_start) < 12 and abs(start + length - clean_start - clean_length) < 12
        assert read.width_share >= HELD_UP_SHARE


@pytest.mark.parametrize("held", ONE_LINE)
def test_a_card_read_on_one_scanline_is_taken_while_held(session: CaptureSession, held: str) -> None:
    """Both looks read her card on one scanline only: it was dropped as a code in the background, and the repeat
    filter then kept it from being handed on again while it was held up."""
    look(session, [(0.33 * index, thumbed_card(seed, angle)) for index, (seed, angle) in enumerate(ONE_LINE[held])])
    assert session.heard.identified == [HERS]
