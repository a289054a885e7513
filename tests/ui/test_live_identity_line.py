"""The student card's live identity line in the real window: the face at the (file) camera, 林晓雯's, compared with
the current student's enrolment photo about once a second: hers matches, 赵雨桐's does not, 刘子涵 has none. The line
sits beside the name, whole, and the card stays whole on a 1366x700 laptop window with its fee in sight, and at
1280x680 (s33 English walk: "Not the person in the enrolment pho…" there)."""

from __future__ import annotations

from pathlib import Path

from station.adapters.demo import import_demo_references
from station.capture.live_identity import SAID
from tests.ui.test_side_panel_fits import SIZES, fits, in_sight
from ui.i18n import t
from ui.theme import BAD, MUTED, OK


def test_the_card_says_whether_the_face_is_the_students(qtbot, themed, make_window, frames: Path,  # noqa: F811
                                                        station) -> None:
    import_demo_references(station, station.demo_key)
    window = make_window(frames, live_identity=True)  # 林晓雯 at the camera
    line = window.card.identity
    for code, level, colour in (("DEMO0001", "same", OK), ("DEMO0004", "different", BAD),
                                ("DEMO0005", "no_reference", MUTED)):
        window.identify(code)
        assert line.full_text == ""  # a new student starts afresh
        qtbot.waitUntil(lambda: line.full_text == t(SAID[level]), timeout=8_000)
        assert colour in line.styleSheet()
        for width, height in SIZES:  # the laptop's window, and the narrowest the station is laid out for
            window.resize(width, height)
            qtbot.wait(50)
            assert line.text() == line.full_text and fits(line), (themed, width, line.text())  # whole, not cut
            assert fits(window.card.name), (themed, width)  # in its weight: a bold verdict ran past the edge
            for widget in (window.card, line, window.card.values["fee"]):
                assert in_sight(widget), (widget.objectName(), code, themed, width)
        assert window.session.student.student_no == f"202101010{code[-1]}"  # said, never switched
