"""Accepted photos reach a real server on 127.0.0.1 exactly once and decrypt to the same bytes."""

from __future__ import annotations

import json
import os

from station.storage.captures import CaptureStore, stored_capture
from station.adapters.server.intake import read_blob
from station.storage import outbox
from station.upload.uploader import UploadSettings, Uploader, upload_meta, verified_server_copies
from station.storage.outbox import RetryPolicy

FAST = UploadSettings(policy=RetryPolicy(base=0.05, cap=0.2, max_attempts=3), idle_wait=0.05, timeout=5)


def test_saved_photos_arrive_once_and_decrypt_to_the_same_bytes(station, key, server):
    store = CaptureStore(station, key)
    images = {}
    for n in range(1, 4):
        no = f"2020{n:04d}"
        images[no] = (os.urandom(3000), os.urandom(9000))
        store.save(no, *images[no], operator="王老师")
    uploader = Uploader(station.home, key, FAST)
    assert uploader.drain()
    held = server.context.store.registered()
    assert set(held) == set(images)
    for no, (chsi, original) in images.items():
        assert read_blob(server.context, held[no], "chsi") == chsi
        assert read_blob(server.context, held[no], "original") == original
    health = outbox.queue_health(station.db)
    assert (health.waiting, health.sending, health.done, health.failed) == (0, 0, 3, [])
    assert health.last_success_at and health.server_reachable is True


def test_a_replayed_upload_is_stored_once(station, key, server):
    version = CaptureStore(station, key).save("20200001", b"chsi", b"orig", operator="op")
    Uploader(station.home, key, FAST).drain()
    stored = stored_capture(station.db, station.home, version.uid)
    files = verified_server_copies(stored, key)
    meta = upload_meta(stored, files)
    token = station.db.execute("SELECT token FROM server_link").fetchone()[0]
    for _ in range(2):
        with server.client(token) as client:
            reply = client.post("/api/v1/uploads", data={"meta": json.dumps(meta)},
                                files={k: (k, v) for k, v in files.items()})
        assert reply.status_code == 200 and reply.json()["status"] == "duplicate"
    assert len(server.context.store.uploads()) == 1
