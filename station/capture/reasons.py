"""The reasons offered, one pick away, when the photographer must give one: each is recorded with the photo and in
the audit trail. The boxes start on none, so a second press of a key never records a reason unseen; a student's code
scanned into a box is no reason (`scanned_code`)."""

from __future__ import annotations

import sqlite_utils

from station.i18n import Text
from station.identify.decoders import shown_code
from station.identify.identify import Outcome, identify

RETAKE_REASONS = (Text("学生要求重拍", "the student asked"), Text("照片不清晰", "photo not sharp"),
                  Text("照片不是本人", "wrong person"), Text("照片侧卧或倒立", "photo sideways or upside down"),
                  Text("表情或着装不合要求", "expression or clothing not acceptable"))
# The reasons most overrides give: the learned jewellery checks ask about many students who wear none
# (models/metrics.md), and typing a sentence for each slows the queue.
OVERRIDE_REASONS = (Text("已目视确认，系统误报", "checked by eye: a false alarm"),
                    Text("因医疗或宗教原因无法取下", "cannot be removed (medical or religious reasons)"),
                    Text("学校已批准", "approved by the school"))
IDENTITY_REASONS = (Text("已核对身份证，确是本人", "ID card checked: it is them"),
                    Text("学籍照片有误，已报学校", "the enrolment photo is wrong; reported to the school"))


def offered(reason: str) -> Text | str:
    """A reason as the window says it: one of the offered reasons, picked in either language, in the language on
    screen (a retake's reason picked in English said "重拍模式：the student asked" once the window was switched to
    中文: s30 review); one typed, as typed. The reason recorded is the one given, unchanged."""
    every = (*RETAKE_REASONS, *OVERRIDE_REASONS, *IDENTITY_REASONS)
    return next((text for text in every if reason in (text.zh, text.en)), reason)


# A keyboard-wedge scanner types into whatever has the keyboard: the next student scanning their code while a reason box
# is open fills it with the code and answers it with the scanner's Enter (a "different person" photo saved "for a
# reason" nobody gave).
SCANNED_INTO_THE_BOX = Text("原因栏里是学生的采集码或学号“{code}”（扫码枪扫进了对话框？）：没有记录，请重新填写原因",
                            "The reason box holds a student's code or number '{code}' (scanned into the box?): "
                            "nothing was recorded; give the reason again")


def scanned_code(db: sqlite_utils.Database, reason: str) -> Text | None:
    """What to say when `reason` is a roster code or number (scanned into the box, not given); None for a reason."""
    found = identify(db, reason) if reason.strip() else None
    if found is None or found.outcome is Outcome.UNKNOWN:
        return None
    return SCANNED_INTO_THE_BOX.format(code=shown_code(reason.strip()))
