"""The camera's code scanner says when a code arrives and when it has left the picture: a phone held up, put away,
and held up again is one arrival, one departure and one arrival more, read from real frames."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2

from station.camera import open_camera
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
