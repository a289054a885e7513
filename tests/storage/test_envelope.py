"""Envelope encryption: the two key slots, authenticated metadata, damage detection."""

from __future__ import annotations

import os

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.storage.envelope import (EnvelopeError, image_meta, open_with_server_key, open_with_station_key,
                                      seal, server_copy)

META = image_meta("u1", "chsi", "20200001", 2, "2026-06-01T08:00:00.000+00:00", "S01")


@pytest.fixture
def keys():
    return X25519PrivateKey.generate(), os.urandom(32)


def test_both_slots_open_to_the_same_bytes_and_metadata(keys):
    server, station = keys
    image = os.urandom(5000)
    blob = seal(image, META, server.public_key(), station)
    assert image not in blob
    assert open_with_station_key(blob, station) == (META, image)
    assert open_with_server_key(blob, server) == (META, image)


def test_the_upload_copy_cannot_be_read_with_the_station_key(keys):
    server, station = keys
    copy = server_copy(seal(b"photo", META, server.public_key(), station))
    with pytest.raises(EnvelopeError):
        open_with_station_key(copy, station)
    assert open_with_server_key(copy, server)[1] == b"photo"


def test_each_image_gets_a_fresh_data_key(keys):
    server, station = keys
    first, second = (seal(b"same", META, server.public_key(), station) for _ in range(2))
    assert first != second


@pytest.mark.parametrize("damage", ["flip_ciphertext", "truncate", "change_metadata", "wrong_server", "not_envelope"])
def test_damage_is_detected(keys, damage):
    server, station = keys
    blob = bytearray(seal(os.urandom(2000), META, server.public_key(), station))
    if damage == "flip_ciphertext":
        blob[-100] ^= 1
    elif damage == "truncate":
        del blob[-500:]
    elif damage == "change_metadata":
        blob[:] = bytes(blob).replace(b'"student_no":"20200001"', b'"student_no":"20200002"')
    elif damage == "not_envelope":
        blob[:4] = b"\xff\xd8\xff\xe0"
    reader = X25519PrivateKey.generate() if damage == "wrong_server" else server
    with pytest.raises(EnvelopeError):
        open_with_server_key(bytes(blob), reader)
    if damage != "wrong_server":
        with pytest.raises(EnvelopeError):
            open_with_station_key(bytes(blob), station)
