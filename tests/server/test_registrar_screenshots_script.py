"""scripts/registrar_screenshots.py --help says how it is used and renders nothing: it took no arguments, and run for
its help (as a review's brief asked) it wrote over the four registrar screenshots in assets/ (then the README's, now
docs/server.md's) (s30 review)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_its_help_writes_nothing(capsys, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("registrar_screenshots", ROOT / "scripts" / "registrar_screenshots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shots = sorted((ROOT / "assets" / "screenshots").glob("registrar_*.png"))
    before = [shot.stat().st_mtime_ns for shot in shots]
    with pytest.raises(SystemExit) as done:
        script.main(["--help"])
    assert done.value.code == 0 and "usage" in capsys.readouterr().out
    assert [shot.stat().st_mtime_ns for shot in shots] == before
