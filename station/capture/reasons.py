"""The reasons offered, one pick away, when the photographer must give one: each is recorded with the photo and in
the audit trail. The boxes start on none, so a second press of a key never records a reason unseen."""

from __future__ import annotations

from station.i18n import Text

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
