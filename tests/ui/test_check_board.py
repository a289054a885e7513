"""The checks beside the live picture keep their places: questions come and go from frame to frame, and a
photographer's eye must find each check, the summary and the shutter where they were a moment ago."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from station.capture.live_checks import LiveResult
from station.compliance.messages import QUESTION, TITLES
from station.compliance.results import LOOK, PASS, Analysis, CheckResult
from tests.ui.test_side_panel_fits import place  # where a widget is in the window (a chip's own geometry is its board's)

ASKED = ("earrings", "necklace")


def asking(analysis: Analysis, questions: tuple[str, ...]) -> Analysis:
    """The same measured frame with exactly these questions for the photographer (the others' answers kept)."""
    checks = {check: CheckResult(result.score, PASS, result.message) if result.level == LOOK else result
              for check, result in analysis.checks.items()}
    for check in questions:
        checks[check] = CheckResult(0.5, LOOK, QUESTION.format(title=TITLES[check]))
    return replace(analysis, checks=checks)


def test_checks_keep_their_places_as_questions_come_and_go(qtbot, make_window, frames: Path, engine) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    frame = window.preview.shown_frame
    measured = engine.analyze(frame.image)
    board = window.check_board
    seen = []
    for questions in ((), ASKED, (), ASKED[:1]):
        analysis = asking(measured, questions)
        window._live(LiveResult(frame.frame_id, (frame.image.shape[1], frame.image.shape[0]), analysis, frame.scene))
        qtbot.wait(20)  # the layouts settle
        assert [check for check, _ in analysis.questions] == list(questions)
        assert [c for c, chip in board.chips.items() if chip.property("level") == "warn"] == list(questions)
        assert board.questions.isVisible() == bool(questions)
        seen.append({"shutter": place(window.shutter_button, window), "summary": place(board.problems, window),
                     **{check: place(chip, window) for check, chip in board.chips.items()}})
    assert seen[0]["summary"].height() > 0 and seen[0]["earrings"].width() > 0
    for later in seen[1:]:
        assert later == seen[0]  # no chip, nor the summary, nor the shutter moved or changed size


def test_a_check_that_was_not_looked_at_is_shown_as_such(qtbot, make_window, frames: Path, engine) -> None:
    """Off centre no CHSI photo can be framed: the phone check looked at nothing, and its chip says – (not ✓, which a
    photographer would read as "no phone in the photo")."""
    import cv2

    from station.adapters.demo import DEMO_DIR

    window = make_window(frames)
    window.identify("DEMO0001")
    image = cv2.imread(str(DEMO_DIR / "kiosk" / "04_off_centre.jpg"))
    window.check_board.show_analysis(engine.analyze(image))
    chip = window.check_board.chips["code_in_photo"]
    assert chip.property("level") == "idle" and chip.text().startswith("–")
    assert window.check_board.chips["face_position"].property("level") == "bad"
