"""The registrar's pages as a real browser shows them: headless Chromium (Debian package `chromium`).

Chromium is told to accept exactly the server's certificate (its public key's SHA-256, as it
would after the registrar checked the fingerprint), and signs in with the URL's credentials."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def spki_pin(cert_file: Path) -> str:
    """What --ignore-certificate-errors-spki-list takes: base64 of the SHA-256 of the certificate's public key."""
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def render(url: str, cert_file: Path, screenshot: Path | None = None, size: tuple[int, int] = (1100, 800)) -> str:
    """The page's DOM after Chromium rendered it; with `screenshot`, also a PNG of it (one browser start for both)."""
    browser = chromium()
    assert browser, "chromium is not installed"
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        args = [browser, *FLAGS, f"--user-data-dir={profile}", f"--ignore-certificate-errors-spki-list={spki_pin(cert_file)}",
                f"--window-size={size[0]},{size[1]}", "--dump-dom"]
        if screenshot is not None:
            args.append(f"--screenshot={screenshot}")
        done = subprocess.run([*args, url], capture_output=True, timeout=120, check=True)
    return done.stdout.decode("utf-8")
