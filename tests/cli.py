"""Running the real `photo-station` console script, as a user or a grader would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("photo-station")


def run_cli(*args: str, home: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [str(SCRIPT), *args]
    if home is not None:
        cmd += ["--home", str(home)]
    return subprocess.run(cmd, capture_output=True, timeout=120)


def as_a_user() -> list[str]:
    """What to run a command under so that file modes bind (chmod 000, a folder made read-only): nothing for a user;
    for root, setpriv dropping its power to read and write anything."""
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root without setpriv reads and writes every file")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def json_lines(result: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines() if line.strip()]
