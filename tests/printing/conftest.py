"""A CHSI photo made by the real pipeline from the demo frame, and a demo station whose students have photos."""

from __future__ import annotations

import cv2
import pytest

from station.adapters.demo import DEMO_DIR
from station.storage.captures import CaptureStore


@pytest.fixture(scope="session")
def chsi_jpeg(pipeline) -> bytes:
    result = pipeline.process(cv2.imread(str(DEMO_DIR / "kiosk" / "01_good.jpg")))
    assert result.ok
    return result.jpeg


@pytest.fixture
def store(demo_station) -> CaptureStore:
    return CaptureStore(demo_station, key=demo_station.demo_key)
