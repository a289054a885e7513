"""The outbox state machine on a real SQLite file: atomic claim, crash recovery, backoff, retry cap."""

from __future__ import annotations

import threading

from station.storage.captures import CaptureStore
from station.db import open_db, write_transaction
from station.i18n import Text
from station.paths import database_path
from station.storage import outbox
from station.storage.outbox import FAILED, PENDING, RetryPolicy

ERR = Text("服务器出错", "server error")


def _fill(station, key, n: int) -> None:
    store = CaptureStore(station, key)
    for i in range(n):
        store.save(f"2020{i % 5 + 1:04d}", b"chsi%d" % i, b"orig", operator="op")


def test_concurrent_workers_never_claim_the_same_job(station, key):
    _fill(station, key, 20)
    claimed: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        db = open_db(database_path(station.home))
        while (job := outbox.claim(db)) is not None:
            with lock:
                claimed.append(job.capture_uid)
        db.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(outbox.unsent_uids(station.db)) and len(set(claimed)) == 20


def test_jobs_left_sending_by_a_crash_go_back_to_pending(station, key):
    _fill(station, key, 2)
    assert outbox.claim(station.db) and outbox.claim(station.db)
    assert outbox.queue_health(station.db).sending == 2
    assert outbox.recover_interrupted(station.db) == 2
    health = outbox.queue_health(station.db)
    assert (health.waiting, health.sending) == (2, 0)


def test_backoff_grows_capped_and_jittered():
    policy = RetryPolicy(base=2, cap=60, max_attempts=10)
    for attempt, ceiling in [(1, 2), (2, 4), (3, 8), (6, 60), (9, 60)]:
        delays = [policy.delay(attempt) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 100  # jitter: stations that failed together do not retry together


def test_retry_cap_ends_in_failed_with_the_reason_and_manual_retry_restarts(station, key):
    _fill(station, key, 1)
    policy = RetryPolicy(base=0, cap=0, max_attempts=3)
    states = []
    for _ in range(3):
        job = outbox.claim(station.db, now=10**12)
        states.append(outbox.reschedule(station.db, job, ERR, policy))
    assert states == [PENDING, PENDING, FAILED]
    assert outbox.claim(station.db, now=10**12) is None
    failed = outbox.queue_health(station.db).failed
    assert len(failed) == 1 and failed[0].reason == ERR and failed[0].attempts == 3
    assert failed[0].student_no == "20200001"
    assert outbox.retry_failed(station.db) == 1
    assert outbox.claim(station.db).attempts == 0


def test_a_scheduled_retry_waits_for_its_time(station, key):
    _fill(station, key, 1)
    job = outbox.claim(station.db)
    outbox.reschedule(station.db, job, ERR, RetryPolicy(base=100, cap=100))
    assert outbox.claim(station.db) is None
    assert outbox.claim(station.db, now=10**12) is not None


def test_an_outbox_change_inside_a_larger_transaction_stands_or_falls_with_it(station, key):
    """The outbox writes with the station's one write_transaction: inside one already open it joins it (its own copy
    committed the outer transaction half-way, so a failure after it could no longer take back what came before)."""
    _fill(station, key, 1)
    db = station.db
    job = outbox.claim(db)
    try:
        with write_transaction(db):
            db.execute("UPDATE outbox SET error_en = 'written before' WHERE id = ?", [job.id])
            outbox.release(db, job, ERR, retry_at=0)
            raise RuntimeError("the larger change fails after the outbox's part")
    except RuntimeError:
        pass
    state, error_en = db.execute("SELECT state, error_en FROM outbox WHERE id = ?", [job.id]).fetchone()
    assert (state, error_en) == ("sending", "")  # neither the write before nor the release was kept
