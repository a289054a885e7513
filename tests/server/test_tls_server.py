"""The server's certificate: self-signed at init, or the school's; HTTPS unless --plain-http says otherwise."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from station.adapters.server.home import ServerContext
from station.adapters.server.tls import CERT_FILE, KEY_FILE
from station.pinning import fingerprint_of, pinned_context
from tests.upload.kit import free_port, new_server, wait_until

BIN = Path(sys.executable).parent


def _school_pair(folder: Path) -> tuple[Path, Path, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "photos.school.example")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "school.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "school.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    return folder / "school.crt", folder / "school.key", fingerprint_of(cert.public_bytes(serialization.Encoding.DER))


def _server_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "photo-station-server"), "--lang", "en", *args], capture_output=True, text=True,
                          timeout=60)


def test_init_takes_the_school_s_certificate_and_add_station_pins_it(tmp_path: Path):
    cert, key, fingerprint = _school_pair(tmp_path / "tls")
    init = _server_cli("--home", str(tmp_path / "srv"), "init", "--cert", str(cert), "--key", str(key))
    assert init.returncode == 0 and fingerprint in init.stdout, init.stderr
    added = _server_cli("--home", str(tmp_path / "srv"), "add-station", "S01", "--url", "https://photos:8420")
    assert f"--server-cert-sha256 {fingerprint}" in added.stdout


def test_init_refuses_a_key_that_is_not_the_certificate_s_and_makes_nothing(tmp_path: Path):
    cert, _, _ = _school_pair(tmp_path / "a")
    _, other_key, _ = _school_pair(tmp_path / "b")
    for extra in (["--cert", str(cert), "--key", str(other_key)], ["--cert", str(cert)],
                  ["--cert", str(tmp_path / "none.crt"), "--key", str(other_key)]):
        result = _server_cli("--home", str(tmp_path / "srv"), "init", *extra)
        assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.strip(), result.stderr
        assert not (tmp_path / "srv" / "server.json").exists()
    assert "none.crt with the key" in result.stderr and "no such file or folder" in result.stderr  # not strerror's


def test_a_folder_from_before_https_gets_a_certificate_when_it_serves(tmp_path: Path):
    server = new_server(tmp_path)
    (server.home / CERT_FILE).unlink()
    (server.home / KEY_FILE).unlink()
    again = ServerContext(server.home)
    assert len(again.cert_sha256) == 64 and (server.home / CERT_FILE).exists()


def test_serve_speaks_https_and_plain_http_only_when_asked(tmp_path: Path):
    server = new_server(tmp_path)
    for plain in (False, True):
        port = free_port()
        serve = subprocess.Popen([str(BIN / "photo-station-server"), "--home", str(server.home), "--lang", "en", "serve",
                                  "--host", "127.0.0.1", "--port", str(port), *(["--plain-http"] if plain else [])],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            said = serve.stdout.readline()
            scheme = "http" if plain else "https"
            assert said.strip() == f"Registrar page: {scheme}://127.0.0.1:{port}/"
            with httpx.Client(verify=pinned_context(server.cert_sha256), timeout=1) as web:
                assert wait_until(lambda: _status(web, f"{scheme}://127.0.0.1:{port}/") == 401, timeout=30)
                other = "https" if plain else "http"
                assert _status(web, f"{other}://127.0.0.1:{port}/") is None
        finally:
            serve.terminate()
            serve.wait(15)


def _status(web: httpx.Client, url: str) -> int | None:
    try:
        return web.get(url).status_code
    except httpx.TransportError:
        return None
