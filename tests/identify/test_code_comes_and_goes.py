"""The camera's code scanner says when a code arrives and when it has left the picture: a phone held up, put away,
and held up again is one arrival, one departure and one arrival more, read from real frames."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2

from station.adapters.demo import DEMO_DIR
from station.camera import open_camera
from station.camera.source import Frame
from station.identify.frames import HELD_UP_SHARE
from station.identify.repeat import RepeatFilter
from station.identify.scanner import CodeScanner
from tests.capture.test_session import KIOSK, frame_with_code


def test_a_payload_is_taken_once_and_gone_only_after_the_window() -> None:
    repeat = RepeatFilter(window_s=5.0)
    assert repeat.accept("DEMO0002", 0.0) and not repeat.accept("DEMO0002", 4.0)
    assert repeat.gone(8.9) == []  # seen at 4.0: away 4.9 s
    assert repeat.gone(9.0) == ["DEMO0002"] and repeat.gone(20.0) == []  # said once
    assert repeat.accept("DEMO0002", 21.0)  # back: taken again


def test_the_scanner_reports_a_phone_held_up_put_away_and_held_up_again(tmp_path: Path) -> None:
    folder = tmp_path / "camera"
    folder.mkdir()
    cv2.imwrite(str(folder / "a_phone.png"), frame_with_code("DEMO0002", 170, (40, 60)))
    cv2.imwrite(str(folder / "b_no_phone.png"), cv2.imread(str(KIOSK)))
    source = open_camera(str(folder), fps=15, hold=1.5).start()  # 1.5 s with the phone, 1.5 s without, again
    events: list[tuple[str, str]] = []
    back = threading.Event()

    def code(seen) -> None:
        events.append(("code", seen.text))
        if len(events) >= 3:
            back.set()

    scanner = CodeScanner(source, code, lambda text: events.append(("gone", text)), rate_hz=6, away_s=0.8).start()
    try:
        assert back.wait(15.0), events
        assert events[:3] == [("code", "DEMO0002"), ("gone", "DEMO0002"), ("code", "DEMO0002")]
    finally:
        scanner.stop()
        source.stop()


def test_a_phone_seen_in_the_background_first_is_handed_on_once_held_up_close() -> None:
    """The next student walks up with the 采集码 already on the phone: the scanner read it small first and handed
    that on (the session ignores a code that small), and then not again while it stayed in view, held up close. A
    code handed on stays in view while it is seen in the background, and is gone once out of sight."""
    far, near = frame_with_code("DEMO0002", 60, (400, 60)), frame_with_code("DEMO0002", 170, (400, 60))
    handed: list[tuple[str, bool]] = []
    gone: list[str] = []
    scanner = CodeScanner(open_camera(str(DEMO_DIR / "kiosk")), lambda code: handed.append(
        (code.text, code.width_share >= HELD_UP_SHARE)), gone.append)
    looks = [far, far, near, near, *[far] * 18, *[cv2.imread(str(KIOSK))] * 18]  # 3 looks a second
    for index, image in enumerate(looks):
        scanner._look(Frame(index + 1, index / 3, image))  # noqa: SLF001 - one look at a time
        if index == 21:  # 6 s in the background after it was held up
            assert gone == []
    assert handed == [("DEMO0002", True)] and gone == ["DEMO0002"]
