"""The station key: OS keyring when there is one, else an operator passphrase through scrypt."""

from __future__ import annotations

import json

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
