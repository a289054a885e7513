"""`serve --host ::` prints addresses that reach it.

asyncio's create_server sets IPV6_V6ONLY on every IPv6 socket it binds, so a server on `::` listens on IPv6 alone.
serve took `::` for 0.0.0.0 and printed this machine's IPv4 address and 127.0.0.1: the registrar's browser, and a
station given that address, could not connect. It prints [::1] and this machine's routed IPv6 address now, in
brackets as a URL writes them. Checked for real: the printed addresses are reached with httpx.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from station.pinning import pinned_context
from tests.upload.kit import new_server, wait_until

BIN = Path(sys.executable).parent


def _ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def _free_ipv6_port() -> int:
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
        probe.bind(("::", 0))
        return probe.getsockname()[1]


def _answers(web: httpx.Client, url: str) -> bool:
    try:
        return web.get(url, timeout=2).status_code == 401  # the registrar page, asking to sign in
    except httpx.TransportError:
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_every_address_serve_prints_for_ipv6_reaches_it(tmp_path: Path) -> None:
    server, port = new_server(tmp_path), _free_ipv6_port()
    serve = subprocess.Popen([str(BIN / "photo-station-server"), "--home", str(server.home), "serve", "--host", "::",
                              "--port", str(port), "--lang", "en"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    web = httpx.Client(verify=pinned_context(server.cert_sha256))
    try:
        assert wait_until(lambda: _answers(web, f"https://[::1]:{port}/"), timeout=30)
        said = serve.stdout.readline().strip()
        assert said.startswith("Registrar page: "), said
        urls = re.findall(r"https://\S+", said)
        hosts = [urlsplit(url).hostname for url in urls]
        assert "::1" in hosts and all(":" in host for host in hosts), said
        assert all(f"[{host}]:{port}/" in said for host in hosts), said  # a URL's IPv6 address in brackets
        unreached = [url for url in urls if not _answers(web, url)]
        assert not unreached, (said, unreached)
    finally:
        web.close()
        serve.terminate()
        serve.wait(10)
