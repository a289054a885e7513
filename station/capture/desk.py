"""The station's desk: what a window asks of the station beside the capture flow itself — the roster and the class
slots, fees, print sheets and the day report, the upload queue and the USB export.

The capture session (station/capture/session.py) owns who is in front of the camera and the shutter; it exposes a
desk as `session.desk`, which reaches the student on the card only through `current` (a payment is for them).
Methods said to be meant for a worker thread open the data home again on that thread (`Station.for_this_thread`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from station.audit.trail import Action, AuditTrail
from station.capture.reasons import scanned_code
from station.context import Station
from station.errors import StationError
from station.fees.amounts import parse_yuan, yuan
from station.fees.ledger import (
    ClassPayment, FeeStatus, LedgerEntry, Method, fee_status, pay, pay_class, refund, unpaid_in_class,
)
from station.fees.settings import load_settings
from station.i18n import Text
from station.roster import schedule
from station.roster.importer import ImportReport, import_roster
from station.roster.schedule import ClassSlot, Slot
from station.roster.store import Student, class_names
from station.storage import outbox
from station.storage.captures import CaptureStore, version_counts
from station.storage.outbox import QueueHealth
from station.storage.server_link import ServerLink, load_link
from station.upload.link_line import link_settings, relink, stranded_by
from station.upload.package import NOTHING_TO_EXPORT, PackageReport, write_package
from station.upload.uploader import Uploader, probe

if TYPE_CHECKING:
    from station.printing.sheet import PrintSheet  # fpdf2 (2 s to import here) loads only when a file is written
    from station.reports.day_report import DayReport

__all__ = ["Desk", "QueueHealth", "RosterRow"]  # QueueHealth: the window's upload dialog reads it from here
NOBODY_TO_PAY = Text("请先扫描采集码或输入学号，再登记缴费", "Identify the student first, then record the payment")
PAYER_CHANGED = Text("登记缴费或退费期间扫描了另一名学生，没有登记：请核对当前学生后重新登记",
                     "Another student was scanned while the payment or refund was entered; nothing was recorded: check "
                     "the student on the card and do it again")


@dataclass(frozen=True)
class RosterRow:
    """A student as the picker lists them: whom to pick for a retake when they carry no code."""

    student: Student
    versions: int


def _amount(method: Method, typed: str) -> int | None:
    """The dialog's amount in fen; a free set's empty field is no amount."""
    return None if method is Method.FREE and not typed.strip() else parse_yuan(typed)


@dataclass
class Desk:
    station: Station
    store: CaptureStore
    audit: AuditTrail  # the signed-in photographer's
    current: Callable[[], Student | None]  # the student on the card
    uploader: Uploader | None = None

    # -- the roster and the class slots ---------------------------------------------------------------
    def import_roster(self, path: Path) -> ImportReport:
        """Meant for a worker thread (up to a second for 3,000 students from .xlsx): 名单 → 导入名单, the file's rows
        checked and imported, each rejected row with its reason, recorded in the audit trail as the operator's."""
        with self.station.for_this_thread() as station:
            return import_roster(station.db, path, audit=replace(self.audit, station=station))

    def class_slots(self, now: dt.datetime | None = None) -> list[ClassSlot]:
        """Every class in calling order with its capture slot, for the slot editor."""
        return schedule.class_slots(self.station.db, now or dt.datetime.now())

    def save_slots(self, chosen: list[Slot], cleared: list[str]) -> None:
        """The slot editor's table: all of it or, when a slot ends before it starts (StationError), none. Recorded in
        the audit trail: the slots decide who is called and who counts as on time."""
        schedule.save_slots(self.station.db, chosen, cleared)
        self.audit.record(Action.SETTINGS, setting="class_slots", cleared=cleared,
                          slots={s.class_name: schedule.slot_text(s) for s in chosen})

    def has_roster(self) -> bool:
        return bool(class_names(self.station.db))

    def class_names(self) -> list[str]:
        return class_names(self.station.db)

    def roster_rows(self) -> list[RosterRow]:
        versions = version_counts(self.station.db)
        return [RosterRow(s, versions.get(s.student_no, 0)) for s in schedule.ordered_students(self.station.db)]

    # -- print sheets and the day report (issue 23): station.printing and station.reports write the files ---------
    def print_sheet(self, out: Path, layout: str, class_name: str | None, student_nos: list[str]) -> PrintSheet:
        """Meant for a worker thread: a class's photos are decrypted and laid out for seconds."""
        from station.printing.sheet import write_print_sheet

        with self.station.for_this_thread() as station:
            return write_print_sheet(CaptureStore(station, key=self.store.key), out, layout, class_name, student_nos)

    def write_report(self, out: Path, day: dt.date, class_name: str | None) -> DayReport:
        """Meant for a worker thread, like `print_sheet`."""
        from station.reports.write import write_report as write

        with self.station.for_this_thread() as station:
            return write(station.db, out, station.lang, day, class_name)

    # -- uploads -------------------------------------------------------------------------------------
    def queue_health(self) -> QueueHealth:
        return outbox.queue_health(self.station.db)

    def stranded_by(self, line: str) -> int:
        """How many photos waiting to upload the pasted line would strand (link_line.stranded_by)."""
        return stranded_by(self.station.db, link_settings(line)["public_key"])

    def link_server(self, line: str) -> ServerLink:
        """The registrar's `photo-station server-config …` line, pasted in the window, saved as that command saves it
        (each value checked; the audit trail names the settings changed, never the token)."""
        link = relink(self.audit, link_settings(line))
        if self.uploader is not None:
            self.uploader.wake()
        return link

    def server_answers(self) -> Text | None:
        """Meant for a worker thread (up to PROBE_TIMEOUT_S): whether the server linked now answers this station,
        None when it does, else why not (a mistyped fingerprint or token, the server not running, no network)."""
        with self.station.for_this_thread() as station:
            link = load_link(station.db)
        return probe(link)

    def retry_failed_uploads(self) -> int:
        count = outbox.retry_failed(self.station.db)
        if self.uploader is not None:
            self.uploader.wake()
        return count

    def check_export(self) -> None:
        """Raises when there is nothing to export, before anyone is asked for a folder."""
        if not outbox.unsent_uids(self.station.db):
            raise StationError(NOTHING_TO_EXPORT, exit_code=1)

    def export_to(self, folder: Path) -> PackageReport:
        """The offline route, for a day when the network is down: the queue written to a stick."""
        report = write_package(self.station, self.store.key, folder)
        self.audit.record(Action.EXPORT, what="usb", folder=str(report.folder), photos=report.exported)
        return report

    # -- fees ----------------------------------------------------------------------------------------
    def fee_status(self, student_no: str) -> FeeStatus:
        return fee_status(self.station.db, student_no)

    def fee_price(self) -> str:
        """The price of one set, in yuan: what the payment dialog offers."""
        return yuan(load_settings(self.station.db).price_fen)

    def record_payment(self, for_student: str, method: Method, amount: str, reason: str = "") -> LedgerEntry:
        """The student on the card pays (the dialog's amount is yuan as typed). `for_student`: whom the dialog was
        opened for; a student scanned meanwhile is not charged in their place."""
        return pay(self.audit, self._payer(for_student), method, _amount(method, amount), self._given(reason))

    def refund_payment(self, for_student: str, reason: str) -> LedgerEntry:
        """The payment of the student on the card taken back in full, with a reason (a wrong method or amount
        recorded: refunded, then recorded again), as `photo-station fees refund` does."""
        return refund(self.audit, self._payer(for_student), self._given(reason))

    def _given(self, reason: str) -> str:
        """A reason that is a student's code or number is none (scanned or typed into the field by mistake, as in the
        photo's reason boxes): refused, nothing recorded."""
        scanned = scanned_code(self.station.db, reason)
        if scanned is not None:
            raise StationError(scanned)
        return reason

    def _payer(self, for_student: str) -> str:
        student = self.current()
        if student is None:
            raise StationError(NOBODY_TO_PAY)
        if student.student_no != for_student:
            raise StationError(PAYER_CHANGED)
        return student.student_no

    def unpaid_in_class(self, class_name: str) -> int:
        """How many students of the class a class payment would charge (the dialog shows the total before it)."""
        return len(unpaid_in_class(self.station.db, class_name))

    def record_class_payment(self, class_name: str, method: Method, amount: str, reason: str = "") -> ClassPayment:
        """The class monitor pays for the class: every student of it not yet paid, `amount` yuan each."""
        return pay_class(self.audit, class_name, method, _amount(method, amount), self._given(reason))
