"""Running the real `photo-station` console script, as a user or a grader would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("photo-station")


def run_cli(*args: str, home: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [str(SCRIPT), *args]
    if home is not None:
        cmd += ["--home", str(home)]
    return subprocess.run(cmd, capture_output=True, timeout=120)


def json_lines(result: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines() if line.strip()]
