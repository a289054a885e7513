"""One way to write: every station write goes through station.db.write_transaction, which joins a transaction
already open, so a change made of several writes stands or falls whole. Five writers used `with db.conn:` instead,
which commits whatever transaction is open: inside a larger change it committed the writes before it half-way, and a
failure after it could no longer take them back (the ROLLBACK then failed: no transaction is active)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pytest

from station.audit.trail import Action, AuditTrail, verify
from station.context import Station
from station.db import write_transaction
from station.identity.capture_faces import remember_face
from station.identity.references import Checked, ReferenceReport, _store
from station.roster import schedule
from station.roster.importer import import_roster
from station.roster.store import class_names, set_absent
from station.storage.captures import CaptureStore
from station.storage.server_link import load_link, save_link

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8
FACE = np.linspace(-1, 1, 512, dtype=np.float32)
TABLES = ("captures", "outbox", "capture_faces", "audit_log", "reference_photos", "class_slots")


class LaterStepFailed(Exception):
    """What goes wrong after the inner write, inside the same change."""


def _rows(station: Station) -> dict[str, list[tuple]]:
    db = station.db
    return {table: db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall() for table in TABLES} | {
        "students": db.execute("SELECT student_no, absent, class_name FROM students ORDER BY student_no").fetchall(),
        "server_link": db.execute("SELECT * FROM server_link").fetchall()}


def test_a_capture_with_its_upload_job_face_and_audit_entry_leaves_nothing_when_a_later_step_fails(demo_station):
    station = demo_station
    store = CaptureStore(station, key=station.demo_key)
    student_no = schedule.ordered_students(station.db)[0].student_no
    before = _rows(station)
    with pytest.raises(LaterStepFailed):
        with write_transaction(station.db):
            version = store.save(student_no, JPEG, b"original", operator="摄影师甲")  # the capture and its job
            remember_face(station.db, version.uid, student_no, FACE, store.key.key)
            AuditTrail(station, "摄影师甲").write(Action.ACCEPT, student_no, version=version.version, uid=version.uid)
            raise LaterStepFailed
    assert _rows(station) == before
    assert verify(station.db).ok
    saved = store.save(student_no, JPEG, b"original", operator="摄影师甲")  # the station goes on as before
    assert saved.version == 1


def _absent(station: Station) -> None:
    set_absent(station.db, schedule.ordered_students(station.db)[0].student_no, True)


def _slot(station: Station) -> None:
    start = dt.datetime(2030, 6, 1, 9)
    schedule.set_slot(station.db, schedule.Slot(class_names(station.db)[0], start, start + dt.timedelta(hours=1)))


def _link(station: Station) -> None:
    save_link(station.db, station_id="另一个工作站")


def _reference(station: Station) -> None:
    student_no = schedule.ordered_students(station.db)[0].student_no
    _store(station, ReferenceReport(), Checked(student_no, "照片.jpg", JPEG, FACE),
           load_link(station.db).server_key(), station.demo_key.key)


def _roster(station: Station) -> None:
    """A new student and a changed class, with the import's audit entry."""
    path = station.home / "名单.csv"
    first = schedule.ordered_students(station.db)[0]
    path.write_text(f"学号,姓名,班级\n2099000001,新同学,新班\n{first.student_no},{first.name},另一个班\n",
                    encoding="utf-8")
    import_roster(station.db, path, audit=AuditTrail(station, "摄影师甲"))


def _face(station: Station) -> None:
    version = CaptureStore(station, key=station.demo_key).save(schedule.ordered_students(station.db)[0].student_no,
                                                               JPEG, b"original", operator="摄影师甲")
    remember_face(station.db, version.uid, version.student_no, FACE, station.demo_key.key)


@pytest.mark.parametrize("write", [_absent, _slot, _link, _reference, _face, _roster],
                         ids=["absent", "class slot", "server link", "reference photo", "capture face", "roster"])
def test_each_writer_joins_the_change_open_around_it(demo_station, write: Callable[[Station], None]):
    station = demo_station
    before = _rows(station)
    with pytest.raises(LaterStepFailed):
        with write_transaction(station.db):
            write(station)
            assert _rows(station) != before  # written, inside the change
            raise LaterStepFailed
    assert _rows(station) == before
    write(station)  # alone, it commits by itself
    station.db.conn.rollback()  # a no-op unless the write was left uncommitted
    assert _rows(station) != before
