"""mediapipe's files in a folder with Chinese in its path, as a Chinese Windows hands that path to the C library."""

from __future__ import annotations

from station.face.native_paths import narrow_path_readable

INSTALLED = r"C:\Users\张三\AppData\Local\Programs\PhotoStation\_internal\mediapipe"


def test_a_chinese_path_is_unreadable_to_narrow_fopen_in_a_gbk_code_page_only() -> None:
    assert not narrow_path_readable(INSTALLED, "cp936")  # a Chinese Windows, run from source
    assert narrow_path_readable(INSTALLED, "cp65001")  # the frozen program's manifest: UTF-8 as the ANSI code page
    assert narrow_path_readable(INSTALLED, "utf-8")
    assert narrow_path_readable(r"C:\PhotoStation\_internal\mediapipe", "cp936")
