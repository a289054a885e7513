"""Every module of station/ and ui/ imports where the POSIX-only parts of Python's library are missing, as on Windows.

fcntl, resource, termios, pwd, grp, tty, pty, syslog and curses exist on Linux and macOS only: one imported at a
module's top (for a lock, a memory limit, a user's name) would stop the station's start on every photographer's Windows
laptop, and CI runs on Linux, where it works. Here they are hidden before anything of the station is imported. The
libraries that pick their own Windows half by os.name (pyserial's serialwin32, filelock's msvcrt lock) are imported
first, as they stand: on Windows they never ask for fcntl or termios.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSIX_ONLY = ("fcntl", "resource", "termios", "pwd", "grp", "tty", "pty", "syslog", "curses", "readline")

PROBE = f"""
import importlib, pkgutil, sys
import filelock, serial, serial.tools.list_ports  # their Windows halves need none of the modules hidden below
for name in {POSIX_ONLY!r}:
    sys.modules[name] = None  # `import fcntl` now raises ModuleNotFoundError, as on Windows
import station, ui
failed, imported = [], 0
for package in (station, ui):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        try:
            importlib.import_module(module.name)
            imported += 1
        except Exception as exc:
            failed.append(f"{{module.name}}: {{exc!r}}")
print(imported)
print("\\n".join(failed))
"""


def test_every_module_imports_without_the_posix_only_library() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, timeout=300,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    imported, *failed = result.stdout.decode("utf-8").splitlines()
    assert [line for line in failed if line] == [] and int(imported) > 200
