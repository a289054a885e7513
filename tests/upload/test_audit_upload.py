"""The audit log follows the photos to a real receiving server on 127.0.0.1: in batches, continuing the chain the
server holds; a log rewritten on the laptop (every hash recomputed, so --verify there passes) no longer continues
the server's copy and is refused, and the server's copy stays as it was sent. A USB package carries the log the same way."""

from __future__ import annotations

import json
import sqlite3

from station.adapters.server.usb_import import import_package
from station.audit.trail import Action, AuditTrail, Entry, entries, verify
from station.storage.captures import CaptureStore
from station.upload.package import write_package
from station.upload.uploader import AUDIT_BATCH, UploadSettings, Uploader
from station.storage.outbox import RetryPolicy

FAST = UploadSettings(policy=RetryPolicy(base=0.05, cap=0.2, max_attempts=3), idle_wait=0.05, timeout=5)


def test_the_log_reaches_the_server_and_a_rewritten_one_is_refused(station, server, key, home) -> None:
    trail = AuditTrail(station, "摄影师甲")
    for n in range(AUDIT_BATCH + 7):  # more than one batch
        trail.record(Action.IDENTIFY, f"2020{n % 5 + 1:04d}", n=n)
    uploader = Uploader(station.home, key, FAST)
    uploader.reconcile()
    store = server.context.store
    log = entries(station.db)
    assert store.audit_head("S01") == (len(log), log[-1].sha256)
    assert [json.loads(e)["seq"] for e in store.audit_entries("S01")] == list(range(1, len(log) + 1))
    assert json.loads(store.audit_entries("S01")[2])["operator"] == "摄影师甲"

    trail.record(Action.ABSENT, "20200003")
    uploader.reconcile()  # only the new entry goes
    assert store.audit_head("S01")[0] == len(log) + 1

    # the whole log rewritten on the laptop from entry 3 on, every hash recomputed: it verifies there...
    sent = entries(station.db)
    forged = []
    previous = sent[1].sha256
    for entry in sent[2:]:
        detail = {"n": -1} if entry.seq == 3 else entry.detail
        fake = type(entry)(**{**entry.__dict__, "detail": detail, "prev_sha256": previous, "sha256": ""})
        fake = type(entry)(**{**fake.__dict__, "sha256": fake.digest()})
        forged.append(fake)
        previous = fake.sha256
    with sqlite3.connect(home / "station.db") as conn:
        for fake in forged:
            conn.execute("UPDATE audit_log SET detail = ?, prev_sha256 = ?, sha256 = ? WHERE seq = ?",
                         [json.dumps(fake.detail), fake.prev_sha256, fake.sha256, fake.seq])
        conn.execute("UPDATE audit_head SET sha256 = ?", [previous])
    assert verify(station.db).ok
    trail.record(Action.SIGN_OUT)
    uploader.reconcile()  # ...but its next entry does not continue the server's copy
    assert store.audit_head("S01")[0] == len(log) + 1
    assert json.loads(store.audit_entries("S01")[2])["detail"] == {"n": 2}  # as it was sent


def test_the_server_refuses_entries_that_do_not_hold_together(station, server) -> None:
    with server.client(server.context.add_station("S02", "二号")) as client:  # closed: the server stops at once
        assert client.get("/api/v1/audit/head").json() == {"seq": 0, "sha256": "0" * 64}
        for body in (b"[]", b"{}", json.dumps({"entries": [{"seq": 1}]}).encode(), b"\xff"):
            assert client.post("/api/v1/audit", content=body).status_code == 422
        AuditTrail(station, "x").record(Action.SIGN_IN)
        [entry] = entries(station.db)
        wrong_hash = {**entry.__dict__, "operator": "y"}
        assert client.post("/api/v1/audit", json={"entries": [wrong_hash]}).status_code == 422
        gap = Entry(**{**entry.__dict__, "seq": 2, "sha256": ""})  # hashed right, but the server holds no entry 1
        gap = Entry(**{**gap.__dict__, "sha256": gap.digest()})
        assert client.post("/api/v1/audit", json={"entries": [gap.__dict__]}).status_code == 409
        assert client.post("/api/v1/audit", json={"entries": [entry.__dict__]}).json() == {"seq": 1}
        assert client.post("/api/v1/audit", json={"entries": [entry.__dict__]}).status_code == 409  # held already


def forge_from(home, station, seq: int) -> None:
    """Rewrite the laptop's log from entry `seq` on with every hash recomputed (it still verifies there)."""
    previous = entries(station.db)[seq - 2].sha256
    with sqlite3.connect(home / "station.db") as conn:
        for entry in entries(station.db)[seq - 1:]:
            fake = type(entry)(**{**entry.__dict__, "operator": "别人", "prev_sha256": previous, "sha256": ""})
            previous = fake.digest()
            conn.execute("UPDATE audit_log SET operator = ?, prev_sha256 = ?, sha256 = ? WHERE seq = ?",
                         [fake.operator, fake.prev_sha256, previous, fake.seq])
        conn.execute("UPDATE audit_head SET sha256 = ?", [previous])
    assert verify(station.db).ok


def test_a_usb_package_carries_the_log_and_the_server_keeps_what_continues_its_copy(station, server, key, home,
                                                                                      tmp_path) -> None:
    store = CaptureStore(station, key)
    trail = AuditTrail(station, "摄影师甲")
    for n in range(3):
        trail.record(Action.IDENTIFY, "20200001", n=n)
    store.save("20200001", b"chsi-1", b"orig", operator="摄影师甲")
    report = import_package(server.context, write_package(station, key, tmp_path / "usb1").folder)
    assert (report.stored, report.audit_held, report.audit_refused) == (1, 3, None)
    assert server.context.store.audit_head("S01") == (3, entries(station.db)[-1].sha256)

    trail.record(Action.ABSENT, "20200002")
    forge_from(home, station, 2)
    store.save("20200002", b"chsi-2", b"orig", operator="摄影师甲")
    report = import_package(server.context, write_package(station, key, tmp_path / "usb2").folder)
    assert report.stored == 1 and report.audit_refused is not None  # the photo is kept; the rewritten log is not
    assert "改写" in report.audit_refused.zh and server.context.store.audit_head("S01")[0] == 3


def test_a_refused_log_is_said_in_the_users_language_and_its_detail_goes_to_the_log_file(station, server, key, home,
                                                                                        monkeypatch) -> None:
    """`queue --reconcile` printed the logger's English warning and the server's raw JSON on stderr."""
    from tests.cli import run_cli
    from tests.upload.kit import PASSPHRASE

    trail = AuditTrail(station, "摄影师甲")
    for n in range(3):
        trail.record(Action.IDENTIFY, "20200001", n=n)
    Uploader(station.home, key, FAST).reconcile()
    forge_from(home, station, 2)
    trail.record(Action.SIGN_OUT)
    station.close()
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", PASSPHRASE)
    said = run_cli("queue", "--reconcile", home=home)
    err = said.stderr.decode()
    assert said.returncode == 0 and err.startswith("服务器拒绝了本机的操作记录：工作站的审计日志接不上服务器保存的副本"), err
    assert "照片上传不受影响" in err and "{" not in err and "refused" not in err, err
    english = run_cli("queue", "--reconcile", "--lang", "en", home=home).stderr.decode()
    assert english.startswith("The server refused this station's audit log: The station's audit log does not continue")
    assert "{" not in english, english
    assert "refused the audit log after entry 3" in (home / "logs" / "station.log").read_text(encoding="utf-8")
