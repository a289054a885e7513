"""The receiving server's TLS certificate: made at `init` (self-signed) or the school's own.

Stations do not trust it through a CA: they pin its SHA-256 fingerprint, printed by `add-station`.
The TLS key only proves the server's identity (the photos are sealed to the X25519 key), so it
is kept unencrypted beside the certificate, readable by the owner only.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from station.errors import StationError, os_reason
from station.i18n import Text
from station.storage.atomic import write_atomic
from station.pinning import fingerprint_of

CERT_FILE, KEY_FILE = "tls_cert.pem", "tls_key.pem"
VALIDITY = timedelta(days=10 * 365)  # pinned, so expiry protects nothing; a capture season must never hit it

BAD_CERT = Text("无法使用证书 {cert} 和私钥 {key}：{why}", "Cannot use the certificate {cert} with the key {key}: {why}")
NOT_PEM = Text("不是 PEM 格式的证书或私钥", "not a PEM certificate or private key")
KEY_MISMATCH = Text("私钥与证书不匹配", "the key does not belong to the certificate")
BROWSER_WARNS = Text("浏览器会提示证书不受信任（自签名证书）：核对证书 SHA-256 指纹为 {fingerprint} 后继续。",
                     "The browser warns that the certificate is not trusted (self-signed): check that its SHA-256 "
                     "fingerprint is {fingerprint}, then go on.")


def make_certificate(home: Path) -> None:
    """A self-signed ECDSA P-256 certificate naming this machine, localhost and 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    host = socket.gethostname() or "localhost"
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "photo-station-server"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, host[:64])])
    now = datetime.now(timezone.utc)
    alt_names: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    if host != "localhost" and all(part.isalnum() or part == "-" for part in host.replace(".", "")):
        alt_names.append(x509.DNSName(host))
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + VALIDITY)
            .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    _keep(home, cert.public_bytes(serialization.Encoding.PEM),
          key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def take_certificate(home: Path, cert_path: Path, key_path: Path) -> None:
    """The school's certificate and key, checked to load and to belong together, copied into the server folder."""
    try:
        cert_pem, key_pem = cert_path.read_bytes(), key_path.read_bytes()
    except OSError as exc:
        raise _bad(cert_path, key_path, os_reason(exc)) from exc
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        key = serialization.load_pem_private_key(key_pem, None)
    except (ValueError, TypeError) as exc:
        raise _bad(cert_path, key_path, NOT_PEM) from exc
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    if (cert.public_key().public_bytes(serialization.Encoding.DER, spki)
            != key.public_key().public_bytes(serialization.Encoding.DER, spki)):
        raise _bad(cert_path, key_path, KEY_MISMATCH)
    _keep(home, cert_pem, key_pem)


def certificate_fingerprint(home: Path) -> str:
    """SHA-256 of the server certificate (the leaf, as the handshake presents it)."""
    cert = x509.load_pem_x509_certificate((home / CERT_FILE).read_bytes())
    return fingerprint_of(cert.public_bytes(serialization.Encoding.DER))


def browser_note(fingerprint: str) -> Text:
    """What the registrar's browser says of the certificate, with the fingerprint to check, as browsers show it."""
    shown = ":".join(fingerprint[i:i + 2] for i in range(0, len(fingerprint), 2)).upper()
    return BROWSER_WARNS.format(fingerprint=shown)


def _keep(home: Path, cert_pem: bytes, key_pem: bytes) -> None:
    write_atomic(home / KEY_FILE, key_pem)
    os.chmod(home / KEY_FILE, 0o600)  # owner only; on Windows keep the folder private
    write_atomic(home / CERT_FILE, cert_pem)


def _bad(cert: Path, key: Path, why: Text) -> StationError:
    return StationError(BAD_CERT.format(cert=cert, key=key, why=why))
