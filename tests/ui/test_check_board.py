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


def test_in_review_the_board_names_the_photos_own_checks(qtbot, make_window, frames: Path, station,
                                                         tmp_path: Path) -> None:
    """In review every chip was a grey – while the review listed 未通过：请闭上嘴巴: a new photographer read it as
    "nothing was checked" (s25 layout walk, 08_review.png). The board names the photo's checks: its failed mouth, the
    teeth asked about, the rest passed; after Esc it speaks of the live picture again."""
    from tests.ui.test_identity_at_review import her_overridden_photo_in_review

    window = her_overridden_photo_in_review(qtbot, make_window, frames, station, tmp_path)
    board = window.check_board
    assert "未通过：张嘴" in window.review.notes.text()  # the chip's check, by its name
    levels = {check: chip.property("level") for check, chip in board.chips.items()}
    assert (levels["mouth_open"], levels["teeth"], levels["face_count"]) == ("bad", "warn", "ok")
    assert board.chips["mouth_open"].text().startswith("✗") and board.problems.text() == "未通过 1 项"
    assert board.problems.isVisible()
    window.flow.escape()  # no live checks run here: the live picture's board says nothing measured yet
    assert {chip.property("level") for chip in board.chips.values()} == {"idle"} and board.problems.text() == ""


def test_a_photo_that_passes_is_no_call_to_shoot(qtbot, make_window, frames: Path, engine) -> None:
    """The live board's 全部通过，可以拍照 beside a photo in review would ask for another press: it says the photo passes."""
    window = make_window(frames)
    measured = engine.analyze(window.preview.shown_frame.image)
    passing = replace(measured, checks={check: CheckResult(result.score, PASS, result.message)
                                        for check, result in measured.checks.items()})
    window.check_board.show_analysis(passing, photo=True)
    assert window.check_board.problems.text() == "这张照片全部通过"
    window.check_board.show_analysis(passing)
    assert window.check_board.problems.text() == "全部通过，可以拍照"


def test_an_english_chip_names_the_thing_checked_not_a_state_its_tick_would_affirm() -> None:
    """s30 review (English, 1280x680): beside "✓ mouth", "✓ teeth" and "✓ glasses", "✓ eyes shut" read as "her eyes
    are shut: yes" on a student looking straight into the camera. Each English chip names a thing, never a state."""
    from ui.check_board import CHIP_TITLES

    states = ("shut", "closed", "open", "showing", "covered")
    assert [title.en for title in CHIP_TITLES.values() if any(word in title.en.split() for word in states)] == []
