"""The layering rules of the design, enforced: station/ never imports Qt or ui/, the stages never import the
adapters, the window never reaches storage, runs work off its thread only through ui/tasks.py, and the layers import
one way."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "6 kept" in result.stdout


def test_every_part_of_the_domain_is_held_to_the_no_adapters_contract() -> None:
    """A new stage or module in station/ is named in the contract, or it could import the adapters unseen."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if "never import the adapters" in c["name"])
    parts = {f"station.{p.stem}" for p in (ROOT / "station").iterdir()
             if (p.suffix == ".py" or (p / "__init__.py").is_file()) and p.stem not in ("__init__", "adapters")}
    assert parts == set(contract["source_modules"])


# Qt's and the standard library's ways to start a thread, which the import contract cannot tell from the rest of
# PySide6.QtCore or threading (a threading.Event, a QTimer on the UI thread are fine)
THREAD_STARTERS = {"QThread", "QThreadPool", "QRunnable", "QtConcurrent", "Thread", "Timer", "start_new_thread"}


def test_the_window_starts_no_thread_of_its_own() -> None:
    """Work off the UI thread goes through ui/tasks.py (`run_task`, `to_main`), one worker in the order started: a
    second way (a QThread here, a threading.Thread there) would race the shutter's engine and the station database."""
    found = []
    for path in sorted((ROOT / "ui").glob("*.py")):
        if path.name == "tasks.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            found += [f"ui/{path.name}:{node.lineno} {name}" for name in _names(node) if name in THREAD_STARTERS]
    assert found == []


def _names(node: ast.AST) -> list[str]:
    """The names a node imports or reaches: `from PySide6.QtCore import QThread`, `threading.Thread`, `Thread`."""
    if isinstance(node, ast.ImportFrom):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    return [node.id] if isinstance(node, ast.Name) else []
