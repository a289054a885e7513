"""The station speaks only HTTPS to the server whose certificate it pins; its token never goes anywhere else."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from station.storage.captures import CaptureStore
from station.adapters.server.home import token_digest
from station.storage import outbox
from station.storage.server_link import load_link, save_link
from station.upload.uploader import Uploader
from tests.cli import json_lines, run_cli
from tests.upload.kit import PASSPHRASE, LiveServer, new_server


class Listener:
    """A plain TCP socket on 127.0.0.1 that only counts who connects (and never answers)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received = b""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                self.received += conn.recv(65536)
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


def test_another_server_at_the_address_is_refused_before_the_token_is_sent(station, key, server, tmp_path):
    other = LiveServer(new_server(tmp_path / "other"))  # its own certificate
    token = load_link(station.db).token
    with other.context.store.transaction() as cur:  # it even knows the token: it must still hear nothing
        other.context.store.run(cur, "INSERT INTO stations(station_id, name, token_sha256, created_at) "
                                     "VALUES ('S01', 'x', ?, '2026')", [token_digest(token)])
    other.start()
    try:
        save_link(station.db, url=other.url)  # same station, the pin of the real server
        CaptureStore(station, key).save("20200001", b"c" * 100, b"o", operator="op")
        assert Uploader(station.home, key).drain() is False
    finally:
        other.stop()
    assert other.context.store.stations()[0][2] is None  # no request ever reached it
    assert other.context.store.uploads() == []
    status = outbox.get_status(station.db)
    assert "does not match the pinned fingerprint" in status["error_en"] and "指纹" in status["error_zh"]
    assert outbox.queue_health(station.db).waiting == 1


@pytest.mark.parametrize("change", ["plain_http", "no_pin"])
def test_an_older_link_is_a_clear_message_and_the_token_stays_home(station, key, home: Path, change: str,
                                                                  monkeypatch: pytest.MonkeyPatch):
    listener = Listener()
    try:
        CaptureStore(station, key).save("20200001", b"c" * 100, b"o", operator="op")
        with station.db.conn:  # as a database from an older version holds it
            if change == "plain_http":
                station.db.execute("UPDATE server_link SET url = ?", [f"http://127.0.0.1:{listener.port}"])
            else:
                station.db.execute("UPDATE server_link SET url = ?, cert_sha256 = ''",
                                   [f"https://127.0.0.1:{listener.port}"])
        monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", PASSPHRASE)
        result = run_cli("--lang", "en", "queue", "--send", "--reconcile", "--json", home=home)
    finally:
        listener.close()
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()
    shown = json_lines(result)[0]
    assert shown["waiting"] == 1
    assert ("plain http://" if change == "plain_http" else "fingerprint is not set") in shown["last_error"]
    assert listener.received == b""


def test_server_config_refuses_plain_http_and_a_bad_fingerprint_and_takes_a_copied_one(home: Path):
    refused = run_cli("--lang", "en", "server-config", "--url", "http://192.168.1.10:8420", home=home)
    assert refused.returncode == 2 and b"plain http://" in refused.stderr and b"Traceback" not in refused.stderr
    bad = run_cli("--lang", "en", "server-config", "--server-cert-sha256", "abc", home=home)
    assert bad.returncode == 2 and b"64 hexadecimal digits" in bad.stderr
    pin = "AA:" * 31 + "0F"
    kept = run_cli("server-config", "--url", "https://192.168.1.10:8420", "--server-cert-sha256", f"sha256:{pin}",
                   "--json", home=home)
    assert json_lines(kept)[0]["server_cert_sha256"] == "aa" * 31 + "0f"
