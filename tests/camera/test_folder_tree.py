"""The file camera plays a folder tree in path order: the demo's kiosk frames, then its phones, then its students'
turns (each holding up their own phone, then clean frames)."""

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from station.camera import backend_for
from station.camera.backends import FileBackend
from station.camera.tether import tether_folder
from station.adapters.demo import DEMO_FRAMES


def test_sub_folders_play_in_path_order(tmp_path: Path) -> None:
    for name, value in (("b/2.png", 20), ("a/1.png", 10), ("c.png", 30), ("a/notes.txt", 0)):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        if path.suffix == ".png":
            cv2.imwrite(str(path), np.full((8, 8, 3), value, np.uint8))
        else:
            path.write_text("not an image")
    camera = FileBackend(tmp_path, fps=1000)
    camera.open()
    assert [int(camera.read()[0, 0, 0]) for _ in range(4)] == [10, 20, 30, 10]
    camera.close()


def test_a_mac_s_finder_files_are_not_frames(tmp_path: Path) -> None:
    """A folder copied from a Mac: ._1.png beside 1.png and a __MACOSX folder hold no picture; shown, each was a
    dropped frame (a camera that stutters, then counts as frozen)."""
    cv2.imwrite(str(tmp_path / "1.png"), np.full((8, 8, 3), 10, np.uint8))
    appledouble = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(4000)
    (tmp_path / "._1.png").write_bytes(appledouble)
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "._1.png").write_bytes(appledouble)
    camera = FileBackend(tmp_path, fps=1000)
    camera.open()
    frames = [camera.read() for _ in range(3)]
    camera.close()
    assert [None if f is None else int(f[0, 0, 0]) for f in frames] == [10, 10, 10]


def test_the_demo_camera_shows_the_phones_with_capture_codes() -> None:
    from station.identify.frames import decode_codes

    camera = FileBackend(DEMO_FRAMES, fps=1000)
    camera.open()
    codes = [code.text for _ in range(len(list(DEMO_FRAMES.rglob("*.jpg")))) for code in decode_codes(camera.read())]
    camera.close()
    assert codes == ["DEMO0001", "DEMO0002", "DEMO0002", "DEMO0003"]


def test_a_folder_plays_every_kind_of_image_the_station_reads(tmp_path: Path) -> None:
    """The file camera takes the suffixes `check` and `roster photos` take: a frame saved from a browser on Windows
    (.jfif) or as a GIF was passed over, and a folder of them was 'no images'."""
    Image.fromarray(np.full((8, 8, 3), 10, np.uint8)).save(tmp_path / "1.jfif", format="JPEG", quality=100)
    Image.fromarray(np.full((8, 8, 3), 20, np.uint8)).save(tmp_path / "2.gif", format="GIF")
    camera = FileBackend(tmp_path, fps=1000)
    camera.open()
    assert [int(camera.read()[0, 0, 0]) for _ in range(2)] == [10, 20]
    camera.close()


def test_a_windows_variable_typed_in_powershell_names_the_camera_s_and_the_tether_s_folders(
        tmp_path: Path, monkeypatch) -> None:
    """`--camera %USERPROFILE%\\Pictures\\frames` and `--tether %USERPROFILE%\\EOS` typed in PowerShell reach the
    station as typed: the camera played nothing ('no such folder') and the tether folder was made as a folder named
    %USERPROFILE% in the current one, where the tether software never writes (s34 Windows review)."""
    frames = tmp_path / "我的 图片" / "frames"
    frames.mkdir(parents=True)
    cv2.imwrite(str(frames / "1.png"), np.full((8, 8, 3), 10, np.uint8))
    monkeypatch.setenv("PHOTO_TEST_PICTURES", str(tmp_path / "我的 图片"))
    monkeypatch.chdir(tmp_path)
    camera = backend_for("%PHOTO_TEST_PICTURES%/frames")
    camera.open()
    assert int(camera.read()[0, 0, 0]) == 10
    camera.close()
    assert tether_folder("%PHOTO_TEST_PICTURES%/EOS") == (tmp_path / "我的 图片" / "EOS").resolve()
    assert not (tmp_path / "%PHOTO_TEST_PICTURES%").exists()
