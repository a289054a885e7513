"""A studio camera's tether folder feeding the window: its JPEG is the shutter frame for the student on the card
(the live picture stays the webcam's), and a JPEG nobody can be filed to is moved aside and named."""

from __future__ import annotations

from pathlib import Path

from station.adapters.demo import DEMO_DIR
from station.capture.session import UNFILED_DIR
from station.capture.workflow import Step
from tests.ui.conftest import answer_next_dialog
from station.capture.workflow import REVIEW_AT_LEAST

JPEG = (DEMO_DIR / "kiosk" / "01_good.jpg").read_bytes()


def tethered(window, folder: Path):
    window.session.watch_tether(folder)
    return window.session


def test_a_slowly_written_jpeg_is_reviewed_and_saved_for_the_student_on_the_card(
        qtbot, make_window, frames: Path, tmp_path: Path, station) -> None:
    folder = tmp_path / "tether"
    folder.mkdir()
    window = make_window(frames)
    session = tethered(window, folder)
    try:
        window.identify("DEMO0001")
        shot = folder / "IMG_0001.JPG"
        shot.write_bytes(JPEG[: len(JPEG) // 2])  # the tether software writes half, then pauses
        qtbot.wait(1200)  # four polls: the half file is never taken
        assert not window.session.pressing and session.step is Step.LIVE and "IMG_0001" not in window.message.text()
        answer_next_dialog("已目视确认，系统误报")  # the demo student smiles: the same override box as the shutter
        with shot.open("ab") as f:
            f.write(JPEG[len(JPEG) // 2:])
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.review, timeout=40_000)
        assert window.review.values["name"].text() == "林晓雯"
        assert window.review.photo.pixmap().size().toTuple() == (480, 640)
        assert window.pages.count() == 2 and window.preview.shown_frame is not None  # the webcam's picture goes on

        # a second frame while the first is in review is not filed to anyone: moved aside and named
        (folder / "IMG_0002.JPG").write_bytes(JPEG)
        qtbot.waitUntil(lambda: "IMG_0002.JPG" in window.message.text(), timeout=30_000)  # slow under a full CI run
        assert "确认保存" in window.message.text() and (station.home / UNFILED_DIR / "IMG_0002.JPG").is_file()
        assert not (folder / "IMG_0002.JPG").exists()

        qtbot.wait(int(REVIEW_AT_LEAST * 1000) + 50)
        window.flow.accept()
        [saved] = station.db.query("SELECT student_no, version, override_reason FROM captures")
        assert saved["student_no"] == "2021010101" and saved["version"] == 1
        assert shot.is_file()  # the studio's original stays where its software put it
    finally:
        session.stop_tether()


def test_a_jpeg_arriving_with_nobody_identified_is_moved_aside_not_filed(
        qtbot, make_window, frames: Path, tmp_path: Path, station) -> None:
    folder = tmp_path / "tether"
    folder.mkdir()
    (folder / "earlier.jpg").write_bytes(JPEG)  # yesterday's shots stay where they are
    window = make_window(frames)
    session = tethered(window, folder)
    try:
        (folder / "IMG_0007.JPG").write_bytes(JPEG)
        unfiled = station.home / UNFILED_DIR / "IMG_0007.JPG"
        qtbot.waitUntil(unfiled.is_file, timeout=10_000)
        qtbot.waitUntil(lambda: "IMG_0007.JPG" in window.message.text(), timeout=5_000)
        assert "请先扫描采集码或输入学号" in window.message.text() and str(unfiled) in window.message.text()
        assert unfiled.read_bytes() == JPEG and not window.session.pressing and session.step is Step.WAITING
        assert station.db.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == 0
        assert (folder / "earlier.jpg").is_file()
    finally:
        session.stop_tether()
