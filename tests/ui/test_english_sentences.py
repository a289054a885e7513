"""Messages of the window's dialogs read as English sentences, a count agreeing with its verb (s33 English walk): a
class payment said "; the 1 who had paid already were left as they were"; changing servers "Waiting to upload, sealed
for the server linked now: 1 photo."; the class payment's heading "Class X paying together: each student not yet
paid"; failed uploads "uploading them has stopped retrying"."""

from __future__ import annotations

from ui.payment_dialog import ALREADY_PAID, CLASS
from ui.upload_dialog import EXPLAIN, STRANDED


def test_a_count_agrees_with_its_sentence() -> None:
    assert ALREADY_PAID.format(n=1).en == "; not recorded again for 1 student who had paid already"
    assert ALREADY_PAID.format(n=2).en.endswith("for 2 students who had paid already")
    assert STRANDED.format(n=1).en.startswith("1 photo is waiting to upload, sealed for the server linked now. ")
    assert STRANDED.format(n=3).en.startswith("3 photos are waiting to upload")


def test_who_pays_for_whom_and_who_stopped_retrying_are_said() -> None:
    assert CLASS.format(name="Exchange 1").en == "Class Exchange 1 pays for every student not yet paid"
    assert "the station has stopped retrying their upload" in EXPLAIN.en
