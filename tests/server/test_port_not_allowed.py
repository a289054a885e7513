"""`serve` on a port this machine will not let it listen on.

On Windows a bind is refused with WSAEACCES (10013; errno.EACCES there stays the C library's 13) when the port lies in a range Hyper-V, WSL or Docker
reserved (`netsh int ipv4 show excludedportrange protocol=tcp`; 8420 can be one of them after an update) or when
another program holds it exclusively; on Linux a port below 1024 is refused so to a user who is not root. serve asked
only about "address in use": it printed the registrar page's address as if the server were up, then uvicorn stopped
with an English "[WinError 10013] An attempt was made to access a socket in a way forbidden by its access
permissions".

Windows' refusal cannot be made here: its code is given to the probe as Windows' socket would raise it; Linux's own
refusal is met by running the real command as `nobody` on port 443 (so that test needs root, and setpriv, to drop to
that user).
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from station.adapters.server import cli
from tests.upload.kit import new_server

BIN = Path(sys.executable).parent
NOBODY = 65534


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to run serve as a user refused a port below 1024")
def test_a_port_the_system_refuses_is_said_before_the_page_address() -> None:
    as_nobody = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    if subprocess.run([*as_nobody, str(BIN / "photo-station-server"), "--help"], capture_output=True).returncode != 0:
        pytest.skip("this checkout is not readable by other users (a clone in a mktemp folder, mode 0700)")
    base = Path(tempfile.mkdtemp(prefix="port-refused-"))  # pytest's own folders are root's alone
    try:
        os.chmod(base, 0o755)
        server = new_server(base)
        for folder, _, files in os.walk(base):
            for name in [folder, *(os.path.join(folder, f) for f in files)]:
                os.chown(name, NOBODY, NOBODY)
        result = subprocess.run(
            [*as_nobody, str(BIN / "photo-station-server"), "--home", str(server.home), "serve", "--host", "127.0.0.1",
             "--port", "443"],
            capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(base)})
    finally:
        shutil.rmtree(base, ignore_errors=True)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "端口 443 不能使用" in result.stderr and "--port" in result.stderr
    assert "登记页面" not in result.stdout and "Traceback" not in result.stderr


def test_windows_own_code_for_a_refused_port_is_read_as_not_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows the refusal is WSAEACCES, 10013, and errno.EACCES is 13 (CPython uses the socket values only for the
    socket-only codes such as EADDRINUSE): read as errno.EACCES alone, serve went on to uvicorn's English error."""
    monkeypatch.setattr(errno, "WSAEACCES", 10013, raising=False)

    def refused(self, address):  # noqa: ANN001, ANN202
        raise OSError(10013, "An attempt was made to access a socket in a way forbidden by its access permissions")

    monkeypatch.setattr(socket.socket, "bind", refused)
    assert cli._port_refused("127.0.0.1", 8420) is cli.PORT_NOT_ALLOWED
