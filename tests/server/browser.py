"""The registrar's pages as a real browser shows them: headless Chromium (Debian package `chromium`).

Chromium is told to accept exactly the server's certificate (its public key's SHA-256, as it
would after the registrar checked the fingerprint), and signs in with the URL's credentials."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
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
    with tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True) as profile:
        args = [browser, *FLAGS, f"--user-data-dir={profile}", f"--ignore-certificate-errors-spki-list={spki_pin(cert_file)}",
                f"--window-size={size[0]},{size[1]}", "--dump-dom"]
        if screenshot is not None:
            args.append(f"--screenshot={screenshot}")
        browsing = subprocess.Popen([*args, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)
        try:
            out, err = browsing.communicate(timeout=120)
        finally:
            stop_all(browsing)
        assert browsing.returncode == 0, err.decode("utf-8", "replace")
    return out.decode("utf-8")


def stop_all(browser: subprocess.Popen) -> None:
    """Chromium and the helpers it started (started in a session of their own): its renderer and utility processes
    outlived the main one and still wrote into the profile while it was removed ('Directory not empty: Default', a
    fresh clone's CI, s26); the profile's removal also ignores what one may still write after."""
    try:
        os.killpg(browser.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):  # no process groups (Windows), or all gone
        browser.kill()
    browser.wait(20)


def _above_4(fd: int) -> int:
    """The same pipe end on a descriptor above 4, where the shell's 3<& and 4>& cannot overwrite it."""
    held = []
    while fd <= 4:
        held.append(fd)
        fd = os.dup(fd)
    for old in held:
        os.close(old)
    return fd


class DevTools:
    """Headless Chromium driven over its DevTools pipe (--remote-debugging-pipe: JSON messages ending in NUL on fds 3
    and 4): one page, navigated, scripted and read as a registrar's clicks would leave it. Close it when done."""

    def __init__(self, cert_file: Path, size: tuple[int, int] = (1100, 800)) -> None:
        browser = chromium()
        assert browser, "chromium is not installed"
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True)
        commands, self._to_browser = os.pipe()
        self._from_browser, answers = os.pipe()
        commands, answers = (_above_4(fd) for fd in (commands, answers))  # not moved onto each other by the shell
        args = [*FLAGS, f"--user-data-dir={self._profile.name}", f"--window-size={size[0]},{size[1]}",
                f"--ignore-certificate-errors-spki-list={spki_pin(cert_file)}", "--remote-debugging-pipe"]
        # bash (dash takes one-digit descriptors only) puts the pipe ends where Chromium looks, then becomes it
        self._process = subprocess.Popen(["bash", "-c", f'exec "$0" "$@" 3<&{commands} 4>&{answers}', browser, *args],
                                         pass_fds=(commands, answers), stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(commands)
        os.close(answers)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        target = self._call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self._call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self._call("Page.enable", session=True)

    def _send(self, method: str, params: dict, session: bool) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _message(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            assert time.monotonic() < deadline, "chromium did not answer"
            ready, _, _ = select.select([self._from_browser], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                assert chunk, "chromium closed its pipe"
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _call(self, method: str, session: bool = False, timeout: float = 60, **params: object) -> dict:
        wanted = self._send(method, params, session)
        while True:
            message = self._message(timeout)
            if message.get("id") == wanted:
                assert "error" not in message, message["error"]
                return message["result"]
            self._events.append(message)

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        """The next `event` of the page (one that came already, while a command was answered, counts)."""
        while True:
            for message in self._events:
                if message.get("method") == event:
                    self._events.remove(message)
                    return message["params"]
            self._events.append(self._message(timeout))

    def open(self, url: str) -> None:
        """Navigate and wait for the page's load event (its lazy pictures below the fold not included)."""
        self._events.clear()
        self._call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def run(self, script: str) -> object:
        """A JavaScript expression's value in the page."""
        result = self._call("Runtime.evaluate", session=True, expression=script, returnByValue=True)["result"]
        return result.get("value")

    def dom(self) -> str:
        return str(self.run("document.documentElement.outerHTML"))

    def close(self) -> None:
        stop_all(self._process)
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._profile.cleanup()
