"""`serve --host` an address this machine does not have.

The registrar set the stations up with the server laptop's address, and `--host` with it; the next morning the laptop
is on another network, or the router handed it another address. The bind is refused with EADDRNOTAVAIL
(WSAEADDRNOTAVAIL, 10049, on Windows): serve printed the registrar page's address as if the server were up, then
uvicorn stopped with an English "[Errno 99] error while attempting to bind on address ... cannot assign requested
address" ("[WinError 10049] The requested address is not valid in its context" on Windows), exit 3.

192.0.2.1 is the documentation network (RFC 5737): no machine has it.
"""

from __future__ import annotations

import errno
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from station.adapters.server import cli
from tests.upload.kit import new_server

BIN = Path(sys.executable).parent
NOT_HERE = "192.0.2.1"


def _bindable(host: str) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, 0))
        except OSError:
            return False
    return True


@pytest.mark.skipif(_bindable(NOT_HERE), reason="this machine binds 192.0.2.1 (ip_nonlocal_bind, or it has it)")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_host_this_machine_does_not_have_is_said_before_the_page_address(tmp_path: Path, lang: str) -> None:
    server = new_server(tmp_path)
    result = subprocess.run(
        [str(BIN / "photo-station-server"), "--home", str(server.home), "serve", "--host", NOT_HERE, "--port", "18420",
         "--lang", lang], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, (result.stdout, result.stderr)
    said = {"zh": f"地址 {NOT_HERE} 不是本机的地址", "en": f"{NOT_HERE} is not an address of this machine"}[lang]
    assert said in result.stderr and "--host" in result.stderr and "ipconfig" in result.stderr, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr and "Errno" not in result.stderr


def test_windows_own_code_for_an_address_not_here_is_read_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows the refusal is WSAEADDRNOTAVAIL, 10049 (errno.EADDRNOTAVAIL there, as CPython takes the socket
    values for the socket codes; read by either name)."""
    monkeypatch.setattr(errno, "WSAEADDRNOTAVAIL", 10049, raising=False)

    def refused(self, address):  # noqa: ANN001, ANN202
        raise OSError(10049, "The requested address is not valid in its context")

    monkeypatch.setattr(socket.socket, "bind", refused)
    assert cli._port_refused(NOT_HERE, 8420) is cli.HOST_NOT_HERE
