"""The face models load from a folder whose name the C library cannot be handed, and a folder whose files are missing
or damaged names them.

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

from station.errors import ModelFileError
from station.identity.embedder import DETECTOR_FILE, FOLDER, RECOGNISER_FILE, FaceEmbedder

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


def test_a_face_model_cut_short_or_missing_is_named_with_what_to_do(tmp_path: Path, caplog) -> None:
    """A copy of the face models that stopped half-way: OpenCV's "(-210:Unsupported format or combination of formats)
    Failed to parse onnx model from in-memory byte array" was all the verify command and the window said."""
    for name in (DETECTOR_FILE, RECOGNISER_FILE):
        shutil.copy(FOLDER / name, tmp_path / name)
    whole = (FOLDER / RECOGNISER_FILE).read_bytes()
    (tmp_path / RECOGNISER_FILE).write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ModelFileError) as damaged:
        FaceEmbedder(tmp_path)
    assert damaged.value.text.zh == f"模型文件 {tmp_path / RECOGNISER_FILE} 已损坏，无法加载：请重新安装工作站程序。"
    assert "Failed to parse onnx model" in caplog.text and "OpenCV" not in str(damaged.value)
    (tmp_path / DETECTOR_FILE).unlink()
    with pytest.raises(ModelFileError) as missing:
        FaceEmbedder(tmp_path)
    assert missing.value.text.zh == f"缺少模型文件 {tmp_path / DETECTOR_FILE}：请重新安装工作站程序。"
