"""The threads that watch the live picture (live checks, code scanner) sleep while paused: during a shutter press
they must leave both cores to the shutter's work. A paused loop that asked the camera for its newest frame again
at once spun on the frame it would not look at and took a core for the whole press and review."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import cv2

from station.camera import open_camera
from station.camera.source import FrameSource
from station.capture.live_checks import LiveChecks
from station.adapters.demo import DEMO_DIR
from station.identify.scanner import CodeScanner
from tests.capture.test_session import frame_with_code

PAUSED_FRAMES = 15  # the camera's frames a paused watcher sleeps through (half a second at 30 fps)


def counted(source: FrameSource) -> list[int]:
    """How often a watcher asked the camera for a newer frame."""
    calls, ask = [0], source.wait_newer

    def wait_newer(after_id: int, timeout: float):
        calls[0] += 1
        return ask(after_id, timeout)

    source.wait_newer = wait_newer
    return calls


def frames_pass(source: FrameSource, count: int) -> None:
    start = source.wait_newer(0, 10.0).frame_id
    while source.wait_newer(start + count - 1, 10.0).frame_id < start + count:
        pass


def watch(folder: Path, make: Callable[[FrameSource, Callable[[object], None]], object]) -> None:
    source = open_camera(str(folder), fps=30).start()
    heard, done = [], threading.Event()
    watcher = make(source, lambda found: (heard.append(found), done.set()))
    try:
        watcher.pause(True)
        watcher.start()
        frames_pass(source, 3)  # the watcher's thread is up (the live checks load their models first)
        calls = counted(source)
        frames_pass(source, PAUSED_FRAMES)
        assert calls[0] <= 3, f"a paused watcher asked for {calls[0]} frames while {PAUSED_FRAMES} came"
        assert not heard
        watcher.pause(False)
        assert done.wait(15.0), "the watcher did not look again once resumed"
    finally:
        watcher.stop()
        source.stop()


def test_paused_live_checks_sleep_and_look_again_when_resumed(tmp_path: Path) -> None:
    folder = tmp_path / "camera"
    folder.mkdir()
    cv2.imwrite(str(folder / "student.jpg"), cv2.imread(str(DEMO_DIR / "kiosk" / "01_good.jpg")))
    watch(folder, lambda source, heard: LiveChecks(source, heard))


def test_a_paused_code_scanner_sleeps_and_reads_again_when_resumed(tmp_path: Path) -> None:
    folder = tmp_path / "camera"
    folder.mkdir()
    cv2.imwrite(str(folder / "code.png"), frame_with_code("DEMO0002", 200, (900, 300)))
    watch(folder, lambda source, heard: CodeScanner(source, heard))

