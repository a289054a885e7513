"""mediapipe's files in a folder with Chinese in its path, as a Chinese Windows hands that path to the C library."""

from __future__ import annotations

import pytest

from station.chsi.orientation import UprightFinder
from station.errors import StationError
from station.face import native_paths
from station.face.detection import FaceDetector
from station.face.landmarks import FaceMesher
from station.face.native_paths import narrow_path_readable
from station.face.segmentation import PersonSegmenter

INSTALLED = r"C:\Users\张三\AppData\Local\Programs\PhotoStation\_internal\mediapipe"


def test_a_chinese_path_is_unreadable_to_narrow_fopen_in_a_gbk_code_page_only() -> None:
    assert not narrow_path_readable(INSTALLED, "cp936")  # a Chinese Windows, run from source
    assert narrow_path_readable(INSTALLED, "cp65001")  # the frozen program's manifest: UTF-8 as the ANSI code page
    assert narrow_path_readable(INSTALLED, "utf-8")
    assert narrow_path_readable(r"C:\PhotoStation\_internal\mediapipe", "cp936")


@pytest.mark.parametrize("graph", [FaceMesher, FaceDetector, PersonSegmenter, UprightFinder])
def test_no_mediapipe_graph_is_built_where_windows_cannot_name_its_folder(monkeypatch, graph) -> None:
    """Each graph the window, `check`, `crop` and `capture` build says what to do, not mediapipe's worker-thread
    "The path does not exist" (the window checked at start; the command-line tools did not)."""
    monkeypatch.setattr(native_paths, "installed_folder", lambda: (INSTALLED, "cp936"))
    with pytest.raises(StationError) as refused:
        graph()
    assert "C:\\PhotoStation" in refused.value.text.get("zh") and INSTALLED in refused.value.text.get("en")
    monkeypatch.setattr(native_paths, "installed_folder", lambda: (INSTALLED, "cp65001"))
    graph().close()  # the frozen program's UTF-8 code page opens it
