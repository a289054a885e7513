"""The station key: OS keyring when there is one, else an operator passphrase through scrypt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from station.errors import StationError
from station.storage.station_key import ENV_PASSPHRASE, key_file, unlock_station_key


def test_headless_machine_without_passphrase_asks_for_one(home, monkeypatch):
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)
    with pytest.raises(StationError) as info:
        unlock_station_key(home)
    assert "口令" in info.value.text.zh and not key_file(home).exists()


def test_passphrase_derives_the_same_key_and_nothing_secret_is_on_disk(home):
    first = unlock_station_key(home, "operator passphrase 1")
    assert first.method == "passphrase"
    again = unlock_station_key(home, "operator passphrase 1")
    assert again.key == first.key
    record = key_file(home).read_text()
    assert "operator passphrase 1" not in record and first.key.hex() not in record
    assert set(json.loads(record)) >= {"salt", "n", "r", "p", "check"}


def test_a_wrong_passphrase_is_told_apart(home):
    unlock_station_key(home, "operator passphrase 1")
    with pytest.raises(StationError) as info:
        unlock_station_key(home, "operator passphrase 2")
    assert info.value.text.en == "The station passphrase is wrong."


def test_a_short_passphrase_is_refused(home):
    with pytest.raises(StationError):
        unlock_station_key(home, "short")


def test_keyring_is_preferred_when_the_os_has_one(home, monkeypatch):
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)
    previous = keyring.get_keyring()  # settle keyring's own backend choice before MemoryKeyring exists
    ring = _memory_keyring()
    keyring.set_keyring(ring)
    try:
        created = unlock_station_key(home)
        assert created.method == "keyring"
        assert created.key.hex() not in key_file(home).read_text()
        assert unlock_station_key(home).key == created.key
        ring.items.clear()
        with pytest.raises(StationError):
            unlock_station_key(home)
    finally:
        keyring.set_keyring(previous)


def _memory_keyring() -> KeyringBackend:
    """Stands in for the OS credential store, which a CI container does not have.

    Defined only when needed: keyring auto-registers every backend class, and a class
    defined at import time would become the default for the other tests.
    """

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.items.get((service, username))

        def set_password(self, service, username, password):
            self.items[(service, username)] = password

        def delete_password(self, service, username):
            self.items.pop((service, username), None)

    return MemoryKeyring()


@pytest.mark.parametrize("damage", [
    b"", b"[1, 2]", b'{"method": "passphrase"}', b"\xff\xfe\x00garbage", b'{"method": "keyring"}',
    b'{"method": "passphrase", "salt": "!!", "n": 3, "r": 8, "p": 1, "check_nonce": "AA==", "check": "AA=="}',
    b'{"method": "passphrase", "salt": "AAAAAAAAAAAAAAAAAAAAAA==", "n": 32768, "r": 8, "p": 2147483648, '
    b'"check_nonce": "AAAAAAAAAAAAAAAA", "check": "AA=="}',  # a cost no memory holds
])
def test_a_damaged_key_record_is_named_not_a_traceback(home, damage: bytes):
    unlock_station_key(home, "correct horse battery")
    key_file(home).write_bytes(damage)
    with pytest.raises(StationError) as info:
        unlock_station_key(home, "correct horse battery")
    assert "station_key.json" in info.value.text.zh and "已损坏" in info.value.text.zh


def test_a_key_record_that_is_a_folder_is_named(home):
    key_file(home).mkdir()
    with pytest.raises(StationError, match="damaged"):
        unlock_station_key(home, "correct horse battery")


def test_the_command_line_without_a_terminal_says_a_passphrase_is_needed(home, tmp_path):
    unlock_station_key(home, "correct horse battery")
    result = subprocess.run([str(Path(sys.executable).parent / "photo-station"), "--lang", "en", "--home", str(home),
                             "export", "--to", str(tmp_path / "stick")], stdin=subprocess.DEVNULL,
                            start_new_session=True,  # no controlling terminal either, as under a scheduler
                            capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in os.environ.items() if k != ENV_PASSPHRASE})
    assert result.returncode == 2 and "The station passphrase is needed" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_passphrase_from_an_environment_that_is_not_utf8_opens_the_same_key(home):
    odd = "\udcff\udcfe-not-utf8-bytes"  # how Python hands over undecodable bytes from the environment
    assert unlock_station_key(home, odd).key == unlock_station_key(home, odd).key
