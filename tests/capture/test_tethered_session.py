"""The capture session's rules for a tethered camera's photo, without a window: it is the shutter's frame only for
the student on the card, and one that cannot be filed (damaged, or a retake with no reason yet) is moved aside and
named, never filed to a guess."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import cv2

from station.camera import open_camera
from station.camera.tether import TetheredFile
from station.capture.session import UNFILED_DIR, CaptureSession, SessionListener
from station.capture.workflow import CaptureWorkflow, ShutterRefused, ShutterRequest
from station.adapters.demo import DEMO_DIR
from station.storage.captures import CaptureStore

KIOSK = DEMO_DIR / "kiosk" / "01_good.jpg"


def session_with(station, engine, pipeline, heard: list) -> CaptureSession:
    store = CaptureStore(station, key=station.demo_key)
    workflow = CaptureWorkflow(station, store, "测试摄影师", engine=engine, pipeline=pipeline)
    listener = SessionListener(tethered=lambda request: heard.append(request), set_aside=lambda text: heard.append(text))
    return CaptureSession(station, store, "测试摄影师", open_camera(str(KIOSK.parent)), listener=listener,
                          live_checks=False, scan_codes=False, workflow=workflow)


def dropped(folder: Path, name: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(KIOSK.read_bytes())
    return path


def test_a_damaged_file_or_a_retake_without_its_reason_is_moved_aside(demo_station, engine, pipeline,
                                                                       tmp_path: Path) -> None:
    heard: list = []
    session = session_with(demo_station, engine, pipeline, heard)
    unfiled = demo_station.home / UNFILED_DIR
    session.identify("DEMO0001")
    text = session.tethered_frame(TetheredFile(dropped(tmp_path / "tether", "IMG_0001.JPG"), None))
    assert heard == [text] and "文件不完整或已损坏" in text.zh and (unfiled / "IMG_0001.JPG").is_file()

    request = session.tethered_frame(TetheredFile(dropped(tmp_path / "tether", "IMG_0002.JPG"), cv2.imread(str(KIOSK))))
    assert isinstance(request, ShutterRequest) and heard[-1] is request and request.student_no == "2021010101"
    assert request.frame.frame_id < 0 and request.frame.timestamp <= time.monotonic()
    session.take(session.measure(request), override_reason="已目视确认，系统误报")
    session.accept()

    session.identify("DEMO0001")  # photographed now: a retake needs its reason before any frame is taken
    text = session.tethered_frame(TetheredFile(dropped(tmp_path / "tether", "IMG_0003.JPG"), cv2.imread(str(KIOSK))))
    assert "已拍摄过" in text.zh and (unfiled / "IMG_0003.JPG").is_file()
    session.start_retake("学生要求重拍")
    assert isinstance(session.tethered_frame(TetheredFile(dropped(tmp_path / "tether", "IMG_0004.JPG"),
                                                          cv2.imread(str(KIOSK)))), ShutterRequest)
    assert sorted(p.name for p in unfiled.iterdir()) == ["IMG_0001.JPG", "IMG_0003.JPG"]
    session.source.stop()


def test_a_tethered_photo_while_the_override_box_is_open_is_moved_aside(demo_station, engine, pipeline,
                                                                          tmp_path: Path) -> None:
    """The box is a question about the press before: a second shot then would open a box over the box, or a review
    under it. It is set aside and named; once the box is answered, the next shot is taken."""
    heard: list = []
    session = session_with(demo_station, engine, pipeline, heard)
    unfiled = demo_station.home / UNFILED_DIR
    session.identify("DEMO0001")
    request = session.tethered_frame(TetheredFile(dropped(tmp_path / "tether", "IMG_0001.JPG"), cv2.imread(str(KIOSK))))
    refused = session.take(session.measure(request))  # her smile: the override box would open
    assert isinstance(refused, ShutterRefused) and refused.can_override
    text = session.tethered_frame(TetheredFile(dropped(tmp_path / "tether", "IMG_0002.JPG"), cv2.imread(str(KIOSK))))
    assert "仍要拍摄" in text.zh and (unfiled / "IMG_0002.JPG").is_file()
    session.decline_override()
    again = session.tethered_frame(TetheredFile(dropped(tmp_path / "tether", "IMG_0003.JPG"), cv2.imread(str(KIOSK))))
    assert isinstance(again, ShutterRequest)
    session.source.stop()


def test_a_photo_that_cannot_be_moved_aside_says_why_in_words(demo_station, engine, pipeline,
                                                               read_only_disk: Path) -> None:
    """A damaged file in a tether folder on a write-protected card: it stays, and why was strerror's English
    ('Read-only file system') inside the Chinese sentence."""
    subprocess.run(["mount", "-o", "remount,rw", str(read_only_disk)], check=True)
    damaged = read_only_disk / "folder" / "IMG_0001.JPG"
    damaged.write_bytes(KIOSK.read_bytes()[:2000])
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_disk)], check=True)
    heard: list = []
    session = session_with(demo_station, engine, pipeline, heard)
    session.identify("DEMO0001")
    text = session.tethered_frame(TetheredFile(damaged, None))
    assert heard == [text] and damaged.is_file()
    assert text.zh.endswith(f"照片仍在 {damaged.parent}（无法移动：磁盘是只读的（U盘可能开了写保护））")
    assert "Read-only" not in text.en
    session.source.stop()
