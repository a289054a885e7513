"""A station started again with `bash scripts/run.sh` opens without the package index. Seen on the walk: setup.sh ran
pip at every start, 7 s of checking that nothing changed, and with no index to ask (a gym without internet) it
stopped at "the install failed" and the station never opened. pip runs when pyproject.toml or constraints.txt (the
versions last tested) changed since the last install that worked. Run on a copy of the project whose ./.venv sees this environment's packages (a .pth file)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHON = shutil.which("python3.11")
pytestmark = pytest.mark.skipif(PYTHON is None or shutil.which("sha256sum") is None or sys.platform != "linux",
                                reason="setup.sh is the Linux set-up, with Python 3.11")


def installed_copy(tmp_path: Path) -> Path:
    """The project's set-up script, pyproject.toml and constraints.txt, with a ./.venv as a finished install leaves it."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", project / "scripts")
    shutil.copy(ROOT / "pyproject.toml", project)
    shutil.copy(ROOT / "constraints.txt", project)
    venv = project / ".venv"
    subprocess.run([PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next(venv.glob("lib/python3.11/site-packages"))
    (site / "installed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # pip, PySide6… of this env
    shutil.copy(ROOT / ".venv" / "bin" / "photo-station", venv / "bin")
    pinned = b"".join((project / name).read_bytes() for name in ("pyproject.toml", "constraints.txt"))
    digest = hashlib.sha256(pinned).hexdigest()
    (venv / "installed-from").write_text(f"{digest} \n")  # what setup.sh writes after an install that worked
    return project


def offline_setup(project: Path) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    environ.update(PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull)  # no index, no local wheels: offline
    return subprocess.run(["bash", "scripts/setup.sh"], cwd=project, env=environ, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "photo-station").exists(), reason="no install in ./.venv")
def test_a_second_start_offline_opens_without_pip(tmp_path: Path) -> None:
    project = installed_copy(tmp_path)
    done = offline_setup(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout and not (project / ".venv" / "install.log").exists()


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "photo-station").exists(), reason="no install in ./.venv")
def test_a_changed_pyproject_is_installed_again(tmp_path: Path) -> None:
    project = installed_copy(tmp_path)
    with (project / "pyproject.toml").open("a") as toml:
        toml.write("\n# an update\n")
    done = offline_setup(project)  # pip runs, and offline says it failed
    assert done.returncode == 1 and "the install failed" in done.stderr, done.stdout + done.stderr


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "photo-station").exists(), reason="no install in ./.venv")
def test_changed_pins_are_installed_again(tmp_path: Path) -> None:
    """A pull that moves constraints.txt to newer versions installs them, though pyproject.toml did not change."""
    project = installed_copy(tmp_path)
    with (project / "constraints.txt").open("a") as pins:
        pins.write("# newer versions\n")
    done = offline_setup(project)
    assert done.returncode == 1 and "the install failed" in done.stderr, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("dpkg") is None or shutil.which("apt-get") is None or shutil.which("sudo") is not None,
                    reason="a Debian or Ubuntu machine without sudo (Debian set up with a root password)")
def test_a_user_without_sudo_is_told_what_to_install_as_root(tmp_path: Path) -> None:
    """Not root, a system package missing, and no sudo: the set-up stopped at "sudo: command not found"."""
    project = installed_copy(tmp_path)
    shims = tmp_path / "bin"
    shims.mkdir()
    (shims / "id").write_text("#!/bin/sh\necho 1000\n")  # a user's shell, here where the tests run as root
    (shims / "id").chmod(0o755)
    environ = {**os.environ, "PATH": f"{shims}:{os.environ['PATH']}",
               "STATION_EXTRA_PACKAGES": "photo-station-no-such-package|nor-this-one"}
    done = subprocess.run(["bash", "scripts/setup.sh"], cwd=project, env=environ, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no sudo" in done.stderr and "apt-get install photo-station-no-such-package)" in done.stderr, done.stderr
    assert "command not found" not in done.stderr
