"""`photo-station-server` on a console that is not UTF-8: a Chinese Windows writes a redirected console (a file, a
pipe) in GBK, which has no ✓ or •. A file name holding one is printed with ? instead of a traceback half-way through
the report, and --json stays UTF-8 with the name intact."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from station import PROJECT_ROOT

SERVER = Path(sys.executable).with_name("photo-station-server")
PHOTO = next(iter(sorted((PROJECT_ROOT / "assets" / "demo_references").glob("*.jpg"))))


def _server(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SERVER), *args], capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "gbk"})


def test_a_refused_file_name_gbk_lacks_is_printed_not_a_traceback(tmp_path: Path) -> None:
    server, photos = tmp_path / "服务器", tmp_path / "参考 照片"
    photos.mkdir()
    shutil.copy(PHOTO, photos / "9999 ✓.jpg")  # no such student: refused, and its name is printed
    assert _server("--home", str(server), "init").returncode == 0
    roster = tmp_path / "名单.csv"  # a roster without 9999: without any, the whole import is refused (ff66c7a)
    roster.write_text("学号,姓名,班级\n20210001,林晓雯,软件2101\n", encoding="utf-8")
    assert _server("--home", str(server), "import-roster", str(roster)).returncode == 0
    table = _server("--home", str(server), "import-references", str(photos))
    assert table.returncode == 0 and b"Traceback" not in table.stderr, table.stderr.decode("gbk", "replace")
    assert "9999 ?.jpg" in table.stdout.decode("gbk")
    lines = _server("--home", str(server), "import-references", "--json", str(photos))
    assert lines.returncode == 0, lines.stderr.decode("gbk", "replace")
    assert [refused["file"] for refused in json.loads(lines.stdout.decode("utf-8"))["rejected"]] == ["9999 ✓.jpg"]
