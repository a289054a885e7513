"""The camera list where cameras are probed (Windows, macOS): the camera the station has open is in it.

DirectShow sets a device up once per process (OpenCV's videoInput::setup refuses one "currently being used"), so a
probe of the camera in use does not open, any more than one of a camera that is not there (camera 1 here).
"""

from __future__ import annotations

from station.camera.discovery import CameraInfo, probed_cameras


def test_the_camera_in_use_is_listed_though_a_probe_would_not_open_it() -> None:
    assert CameraInfo(1, "Camera 1") in probed_cameras(2, in_use=1)
