"""The camera chosen in the camera dialog is the one the next start opens: a laptop's own webcam is camera 0, and
the kiosk's USB camera (with its resolution and locked exposure) had to be chosen again every morning."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.adapters.cli import parse_args
from station.adapters.demo import DEMO_DIR
from station.adapters.startup import open_station
from station.camera import open_camera
from station.camera.backends import ROTATIONS, UsbBackend, UsbSettings, turned
from station.capture.camera_choice import CAMERA_FILE, CameraChoice, save_camera, saved_camera
from station.capture.session import CaptureSession
from station.storage.captures import CaptureStore

CHOSEN = UsbSettings(width=1920, height=1080, lock_exposure=True, lock_white_balance=True)


def test_the_camera_chosen_in_the_dialog_opens_at_the_next_start(demo_station, home: Path, tmp_path: Path) -> None:
    frames = tmp_path / "camera"
    frames.mkdir()
    session = CaptureSession(demo_station, CaptureStore(demo_station, key=demo_station.demo_key), "测试摄影师",
                             open_camera(str(frames)).start(), live_checks=False, scan_codes=False)
    try:
        session.open_usb_camera(7, CHOSEN)  # no camera 7 here: the choice is kept all the same
    finally:
        session.source.stop()
        session.workflow.close()
    demo_station.close()
    opened = open_station(parse_args(["--home", str(home)]))
    try:
        assert opened.camera == "7" and opened.usb == CHOSEN
    finally:
        opened.close()
    opened = open_station(parse_args(["--home", str(home), "--camera", "2"]))  # the command line still wins
    try:
        assert opened.camera == "2" and opened.usb is None
    finally:
        opened.close()


def test_a_station_that_never_chose_opens_camera_0(home: Path) -> None:
    opened = open_station(parse_args(["--home", str(home)]))
    try:
        assert opened.camera == "0" and opened.usb is None
    finally:
        opened.close()


@pytest.mark.parametrize("text", [
    "not json", "[1, 2]", '{"width": 1280}', '{"index": -1}', '{"index": "1"}', '{"index": 1, "width": 0}',
    '{"index": 1, "lock_exposure": "yes"}', '{"index": 1, "fps": NaN}', '{"index": 1, "exposure": "dark"}',
])
def test_a_camera_file_that_cannot_be_used_opens_the_default_camera(tmp_path: Path, text: str) -> None:
    (tmp_path / CAMERA_FILE).write_text(text, encoding="utf-8")
    assert saved_camera(tmp_path) is None


def test_what_is_kept_is_read_back_as_it_was(tmp_path: Path) -> None:
    choice = CameraChoice(1, UsbSettings(width=640, height=480, exposure=-6.0, white_balance_k=4600.0))
    save_camera(tmp_path, choice)
    assert saved_camera(tmp_path) == choice
    assert json.loads((tmp_path / CAMERA_FILE).read_text(encoding="utf-8"))["index"] == 1
    assert saved_camera(tmp_path / "nowhere") is None


class DeviceGiving:
    """cv2.VideoCapture's read() of a device showing one picture."""

    def __init__(self, frame: np.ndarray) -> None:
        self.frame = frame

    def read(self) -> tuple[bool, np.ndarray]:
        return True, self.frame.copy()


def test_a_camera_mounted_on_its_side_is_turned_before_the_checks_see_it(engine) -> None:
    upright = cv2.imread(str(DEMO_DIR / "kiosk" / "01_good.jpg"))
    sideways = np.ascontiguousarray(np.rot90(upright))  # what a camera lying on its side gives
    assert engine.analyze(sideways).checks["pose"].level == "fail"  # the mesh fits her as if she lay: roll ~90
    fixed = turned(sideways, 90)
    assert np.array_equal(fixed, upright) and engine.analyze(fixed).checks["pose"].level == "pass"
    assert [turned(turned(upright, r), (360 - r) % 360).shape for r in ROTATIONS] == [upright.shape] * 4
    on_its_side = UsbBackend(0, UsbSettings(rotation=90))
    on_its_side._cap = DeviceGiving(sideways)  # no USB camera here: the device's read is the one stand-in
    assert np.array_equal(on_its_side.read(), upright)  # what the preview, the checks and the photo get
    chosen = CameraChoice(1, UsbSettings(rotation=270))
    with tempfile.TemporaryDirectory() as folder:
        save_camera(Path(folder), chosen)
        assert saved_camera(Path(folder)) == chosen
        (Path(folder) / CAMERA_FILE).write_text('{"index": 1, "rotation": 45}', encoding="utf-8")
        assert saved_camera(Path(folder)) is None
