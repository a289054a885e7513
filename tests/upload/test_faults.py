"""Faults against a real server on 127.0.0.1: outage, wrong token, damaged files, lost uploads."""

from __future__ import annotations

import json
import re
import os
import shutil
from contextlib import contextmanager

from station.storage.captures import CaptureStore, stored_capture
from station.adapters.server.intake import read_blob
from station.storage import outbox
from station.storage.server_link import save_link
from station.storage.outbox import RetryPolicy
from station.upload.uploader import UploadSettings, Uploader, upload_meta, verified_server_copies
from tests.upload.kit import wait_until

FAST = UploadSettings(policy=RetryPolicy(base=0.05, cap=0.3, max_attempts=3), idle_wait=0.05, timeout=5,
                      reconcile_every=0.5)


def test_server_down_for_a_stretch_queue_grows_then_drains_by_itself(station, key, server):
    store = CaptureStore(station, key)
    uploader = Uploader(station.home, key, FAST)
    uploader.start()
    try:
        store.save("20200001", b"before", b"o", operator="op")
        assert wait_until(lambda: outbox.queue_health(station.db).done == 1)
        server.stop()
        photos = {}
        for n in range(2, 6):
            no = f"2020{n:04d}"
            photos[no] = os.urandom(2000)
            store.save(no, photos[no], b"o", operator="op")  # capturing goes on while the server is away
            uploader.wake()
        assert wait_until(lambda: outbox.queue_health(station.db).server_reachable is False)
        health = outbox.queue_health(station.db)
        assert health.waiting + health.sending == 4 and health.failed == []
        assert "无法连接服务器" in health.last_error.zh
        server.start()
        assert wait_until(lambda: outbox.queue_health(station.db).done == 5, timeout=30)
    finally:
        uploader.stop()
    held = server.context.store.registered()
    assert all(read_blob(server.context, held[no], "chsi") == photo for no, photo in photos.items())
    assert outbox.queue_health(station.db).server_reachable is True


def test_a_wrong_token_fails_with_the_reason_and_a_manual_retry_sends_after_the_fix(station, key, server):
    CaptureStore(station, key).save("20200001", b"c", b"o", operator="op")
    good = station.db.execute("SELECT token FROM server_link").fetchone()[0]
    save_link(station.db, token="not-the-token")
    Uploader(station.home, key, FAST).drain()
    failed = outbox.queue_health(station.db).failed
    assert len(failed) == 1 and "401" in failed[0].reason.en and "令牌无效" in failed[0].reason.zh
    assert server.context.store.uploads() == []
    save_link(station.db, token=good)
    assert outbox.retry_failed(station.db) == 1
    Uploader(station.home, key, FAST).drain()
    assert len(server.context.store.uploads()) == 1


def test_a_corrupted_local_blob_is_never_uploaded(station, key, server):
    version = CaptureStore(station, key).save("20200001", b"c" * 500, b"o", operator="op")
    path = stored_capture(station.db, station.home, version.uid).files["chsi"]
    path.write_bytes(path.read_bytes()[:-20])
    Uploader(station.home, key, FAST).drain()
    failed = outbox.queue_health(station.db).failed
    assert len(failed) == 1 and "损坏" in failed[0].reason.zh
    assert server.context.store.uploads() == []


def test_the_server_refuses_blobs_damaged_in_transit_or_sealed_for_another_upload(station, key, server):
    store = CaptureStore(station, key)
    first, second = (store.save(no, b"c" * 500, b"o", operator="op") for no in ("20200001", "20200002"))
    token = station.db.execute("SELECT token FROM server_link").fetchone()[0]

    def post(version, files):
        meta = upload_meta(stored_capture(station.db, station.home, version.uid), files)
        with server.client(token) as client:
            return client.post("/api/v1/uploads", data={"meta": json.dumps(meta)},
                               files={k: (k, v) for k, v in files.items()})

    def copies(version):
        return verified_server_copies(stored_capture(station.db, station.home, version.uid), key)

    damaged = copies(first)
    damaged["chsi"] = damaged["chsi"][:-1] + bytes([damaged["chsi"][-1] ^ 1])
    reply = post(first, damaged)
    assert reply.status_code == 422 and "server key" in reply.json()["detail"]["en"]
    reply = post(first, copies(second))  # a genuine file replayed under another photo's identity
    assert reply.status_code == 422
    assert server.context.store.uploads() == []
    assert post(first, copies(first)).status_code == 201


def test_reconciliation_requeues_what_the_server_lost(station, key, server):
    store = CaptureStore(station, key)
    versions = [store.save(f"2020{n:04d}", b"c%d" % n, b"o", operator="op") for n in (1, 2, 3)]
    uploader = Uploader(station.home, key, FAST)
    uploader.drain()
    with server.context.store.transaction() as cur:
        server.context.store.run(cur, "DELETE FROM uploads WHERE uid = ?", [versions[1].uid])
    assert uploader.reconcile() == 1
    assert outbox.queue_health(station.db).waiting == 1
    uploader.drain()
    assert {u.uid for u in server.context.store.uploads()} == {v.uid for v in versions}
    health = json.loads(server.context.store.stations()[0][3])
    assert health["done"] == 2  # the heartbeat the reconciliation sent


def test_a_photo_over_the_server_s_limit_fails_with_its_reason_instead_of_retrying(station, key, server):
    from station.adapters.server.limits import UPLOAD_LIMIT

    CaptureStore(station, key).save("20200001", b"c" * 100, os.urandom(UPLOAD_LIMIT), operator="op")
    assert Uploader(station.home, key, FAST).drain() is True
    health = outbox.queue_health(station.db)
    assert len(health.failed) == 1 and "upload limit (20 MB)" in health.failed[0].reason.en
    assert server.context.store.uploads() == []


def _answering(body: bytes, content_type: bytes):
    """An ASGI app that answers 200 and `body` to everything: whatever answers at the server's address when the
    server itself is not behind it (a reverse proxy's default page, another service)."""
    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})
        await send({"type": "http.response.body", "body": body})
    return app


@contextmanager
def _stranger_at(server, app):
    """`app` at the stopped server's address, with its certificate (so the pin holds): a misrouted proxy."""
    import threading

    import uvicorn

    server.stop()
    cert, tls_key = server.context.tls_files()
    stranger = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=server.port, log_level="warning",
                                             lifespan="off", ssl_certfile=str(cert), ssl_keyfile=str(tls_key)))
    thread = threading.Thread(target=stranger.run, daemon=True)
    thread.start()
    assert wait_until(lambda: stranger.started, timeout=10)
    try:
        yield
    finally:
        stranger.should_exit = True
        thread.join(10)


def test_a_200_that_is_not_the_server_s_receipt_leaves_the_photo_queued(station, key, server):
    store = CaptureStore(station, key)
    store.save("20200001", b"c", b"o", operator="op")
    with _stranger_at(server, _answering(b"<html>Welcome to nginx!</html>", b"text/html")):
        Uploader(station.home, key, FAST).drain()
    health = outbox.queue_health(station.db)
    assert health.done == 0 and health.waiting == 1
    assert "不是接收服务器的确认" in health.last_error.zh
    server.start()
    outbox.retry_failed(station.db)
    with station.db.conn:  # its retry is due now, not after the backoff
        station.db.execute("UPDATE outbox SET next_attempt_at = 0")
    Uploader(station.home, key, FAST).drain()
    assert outbox.queue_health(station.db).done == 1 and len(server.context.store.uploads()) == 1


def test_reconciling_with_a_stranger_that_answers_json_of_another_shape_is_no_answer(station, key, server,
                                                                                       monkeypatch):
    """queue --reconcile: a list where the server's {"uids": [...]} belongs ended the command with a TypeError."""
    from tests.cli import run_cli
    from tests.upload.kit import PASSPHRASE

    CaptureStore(station, key).save("20200001", b"c", b"o", operator="op")
    Uploader(station.home, key, FAST).drain()
    home = station.home
    station.close()
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", PASSPHRASE)
    with _stranger_at(server, _answering(b"[1, 2, 3]", b"application/json")):
        result = run_cli("queue", "--reconcile", "--json", home=home)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()
    assert json.loads(result.stdout)["done"] == 1  # nothing re-queued on a stranger's word


def test_a_server_whose_disk_is_full_keeps_nothing_half_and_the_photo_waits_with_the_reason(home, tiny_disk):
    """507 with the server's own words (磁盘空间不足), not a 500 and a traceback in its log; once space is freed,
    the same photo goes up."""
    from tests.upload.kit import LiveServer, add_students, linked_station, new_server, station_key

    server = LiveServer(new_server(tiny_disk))
    server.start()
    try:
        station = linked_station(home, server.context, server.url, server.context.add_station("S01"), "S01")
        add_students(station, "计科2001", ["20200001"])
        key = station_key(home)
        filler = tiny_disk / "filler"
        filler.write_bytes(b"\0" * (shutil.disk_usage(tiny_disk).free - 200_000))
        CaptureStore(station, key).save("20200001", b"c", os.urandom(400_000), operator="op")
        Uploader(station.home, key, FAST).drain()
        health = outbox.queue_health(station.db)
        assert health.done == 0 and health.waiting == 1 and server.context.store.uploads() == []
        assert "507" in health.last_error.zh and "磁盘空间不足" in health.last_error.zh
        filler.unlink()
        with station.db.conn:  # its retry is due now, not after the backoff
            station.db.execute("UPDATE outbox SET next_attempt_at = 0")
        Uploader(station.home, key, FAST).drain()
        health = outbox.queue_health(station.db)
        assert health.done == 1 and health.last_error is None and len(server.context.store.uploads()) == 1
        station.close()
    finally:
        server.stop()


def test_sending_from_the_terminal_also_tells_the_server_this_stations_queue(station, key, server, monkeypatch):
    """`photo-station queue --send` uploaded the photos but told the server nothing of the queue, so the registrar's
    overview showed — for the station (registrar review)."""
    from station.adapters.cli import parse_args, run
    from tests.upload.kit import PASSPHRASE

    CaptureStore(station, key).save("20200001", b"c1", b"o", operator="op")
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", PASSPHRASE)
    assert run(parse_args(["queue", "--send", "--home", str(station.home)])) == 0
    assert len(server.context.store.uploads()) == 1
    health = json.loads(server.context.store.stations()[0][3])
    assert health["done"] == 1 and health["waiting"] == 0


def _in_words(text: str) -> bool:
    """No library's exception class name (RemoteProtocolError, ConnectError, …) in what the photographer reads."""
    return re.search(r"[A-Z][a-z]+(Error|Exception|Timeout)\b", text) is None


def test_a_server_stopped_mid_way_is_said_in_words_and_the_queue_stops_saying_reachable(station, key, server,
                                                                                         monkeypatch):
    """A walk found '(RemoteProtocolError)' in the status and 'Server: reachable' kept after the server stopped: the
    reachability came only from uploads, and a station with nothing to send never asked again."""
    from tests.cli import run_cli
    from tests.upload.kit import PASSPHRASE

    store = CaptureStore(station, key)
    uploader = Uploader(station.home, key, FAST)
    uploader.start()
    try:
        store.save("20200001", b"c1", b"o", operator="op")
        assert wait_until(lambda: outbox.queue_health(station.db).done == 1)
        server.stop()  # the uploader's kept-alive connection is cut under it
        store.save("20200002", os.urandom(2000), b"o", operator="op")
        uploader.wake()
        assert wait_until(lambda: outbox.queue_health(station.db).server_reachable is False)
    finally:
        uploader.stop()
    error = outbox.queue_health(station.db).last_error
    assert error.zh.startswith("无法连接服务器：") and "请检查网络" in error.zh and _in_words(error.zh), error.zh
    assert "check the network" in error.en and _in_words(error.en), error.en
    server.start()
    home = station.home
    station.close()
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", PASSPHRASE)
    assert run_cli("queue", "--send", home=home).returncode == 0  # back: sent, reachable again
    server.stop()  # nothing waits now: only the reconciliation can find the server gone
    said = run_cli("queue", "--reconcile", home=home)
    out = said.stdout.decode()
    assert "服务器：无法连接" in out and "可以连接" not in out and "网络不通，或服务器没有在运行" in out, out
    assert _in_words(out) and said.stderr == b"", said.stderr.decode()
    english = run_cli("queue", "--lang", "en", home=home).stdout.decode()
    assert "Server: not reachable" in english and "no network, or the server is not running" in english, english
    assert "ConnectError" in (home / "logs" / "station.log").read_text(encoding="utf-8")  # the detail, for support
    server.start()
    out = run_cli("queue", "--reconcile", home=home).stdout.decode()
    assert "服务器：可以连接（上次联系" in out, out


def test_a_server_replaced_behind_the_link_is_not_reachable_even_with_nothing_to_send(station, key, server,
                                                                                       tmp_path):
    """Another server set up at the same address (its own certificate): the reconciliation, not only an upload,
    says the station's server is gone, and why, in words."""
    from tests.upload.kit import LiveServer, new_server

    CaptureStore(station, key).save("20200001", b"c", b"o", operator="op")
    uploader = Uploader(station.home, key, FAST)
    uploader.drain()
    assert outbox.queue_health(station.db).server_reachable is True
    server.stop()
    other = LiveServer(new_server(tmp_path / "other"))
    other.port = server.port
    other.start()
    try:
        assert uploader.reconcile() == 0
    finally:
        other.stop()
    health = outbox.queue_health(station.db)
    assert health.server_reachable is False and "证书与设置的指纹不符" in health.last_error.zh
    server.start()


def test_a_link_changed_while_the_worker_rests_is_tried_at_once(station, key, server):
    """上传 → 连接服务器… with a line whose certificate fingerprint was mistyped: saved, and with nothing to send the
    worker only asked the server at its next reconciliation, two minutes on, so the status bar stayed green and the
    photographer went on believing the laptop was linked (seen on Xvfb). A new link is asked at once."""
    uploader = Uploader(station.home, key, UploadSettings(policy=FAST.policy, idle_wait=0.05, timeout=5))
    uploader.start()
    try:
        assert wait_until(lambda: outbox.queue_health(station.db).server_reachable is True)
        save_link(station.db, cert_sha256="ab" * 32)  # one pasted with a wrong fingerprint
        uploader.wake()  # as Desk.link_server does
        assert wait_until(lambda: outbox.queue_health(station.db).server_reachable is False, timeout=5)
        assert "证书与设置的指纹不符" in outbox.queue_health(station.db).last_error.zh
    finally:
        uploader.stop()


def test_a_token_the_server_refuses_is_said_before_any_photo_fails(station, key, server):
    """The reconciliation ignored a 401: with a token the server does not accept (mistyped, or a new one made for this
    station) and nothing to send, the queue said the server was reachable until a photo failed."""
    from station.upload.uploader import TOKEN_REFUSED

    uploader = Uploader(station.home, key, UploadSettings(policy=FAST.policy, idle_wait=0.05, timeout=5))
    uploader.start()
    try:
        assert wait_until(lambda: outbox.queue_health(station.db).server_reachable is True)
        save_link(station.db, token="not-the-token")
        uploader.wake()
        assert wait_until(lambda: outbox.queue_health(station.db).server_reachable is False, timeout=5)
        assert outbox.queue_health(station.db).last_error == TOKEN_REFUSED
    finally:
        uploader.stop()
