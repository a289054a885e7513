"""The face models load from a folder whose name the C library cannot be handed.

On Windows OpenCV opens a model path with the narrow fopen, in the ANSI code page (GBK): the installed station under
C:\\Users\\张三\\AppData\\... could not load YuNet and SFace. Linux opens UTF-8 names, so the same refusal is made here
with a folder name Python opens but cannot pass to C as text: bytes that are not UTF-8 (a GBK name from a Windows
stick, as Linux reads it). Run in a child process: OpenCV 4.11 ends the process on such a path instead of raising.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from station.identity.embedder import DETECTOR_FILE, FOLDER, RECOGNISER_FILE

EMBED = """
import sys
from pathlib import Path
from station.identity.embedder import FaceEmbedder
from station.image_io import read_image
found = FaceEmbedder(Path(sys.argv[1])).embed(read_image(Path(sys.argv[2])))
print(round(float(found.vector @ found.vector), 3))
"""


def test_the_face_models_load_from_a_folder_named_in_gbk(tmp_path: Path) -> None:
    folder = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + "张三 的模型".encode("gbk")))
    try:
        folder.mkdir()
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    for name in (DETECTOR_FILE, RECOGNISER_FILE):
        shutil.copy(FOLDER / name, folder / name)
    photo = next(iter(sorted((Path(__file__).resolve().parents[2] / "assets" / "demo_references").glob("*.jpg"))))
    result = subprocess.run([sys.executable, "-c", EMBED, os.fsencode(folder), str(photo)], capture_output=True,
                            timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, (result.returncode, result.stderr.decode("utf-8", "replace")[-2000:])
    assert result.stdout.decode().strip() == "1.0"
