"""The words of the reports, shared by the xlsx and the PDF so both say the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

from station.i18n import Text
from station.localtime import TIME_HEADING

if TYPE_CHECKING:
    from station.roster.store import RefusedRow

TITLE = Text("采集日报 {day}", "Capture day report {day}")
TITLE_CLASS = Text("采集日报 {day} · {class_name}", "Capture day report {day} · {class_name}")
CLASSES = Text("班级汇总", "Classes")
MISSING = Text("未拍摄名单", "Not yet photographed")
OVERRIDES = Text("例外与重拍", "Overrides and retakes")
IDENTITIES = Text("身份核验", "Identity checks")
DAY = Text("当日统计", "The day")

CLASS_HEAD = (Text("班级", "Class"), Text("人数", "Students"), Text("已拍摄", "Photographed"), Text("重拍", "Retaken"),
              Text("缺席", "Absent"), Text("未拍摄", "Not yet"), Text("已缴费人数", "Paid"),
              Text("费用合计（元）", "Fees (yuan)"))
TOTAL = Text("合计", "Total")
MISSING_HEAD = (Text("班级", "Class"), Text("学号", "Student no."), Text("姓名", "Name"), Text("状态", "Status"))
ABSENT = Text("缺席", "absent")
WAITING = Text("未拍摄", "not yet")
REFUSED = Text("导入名单时被拒绝，无法拍摄（{file} {place}：{reason}）",
               "refused at the roster import, cannot be photographed ({file}, {place}: {reason})")
# the times and hours say their clock in their heading ({clock}: day_report.DayReport.clock), as the registrar's
# pages do: a report read beside the server's page, or a laptop left on another zone, is then not 8 hours off unsaid
OVERRIDE_HEAD = (Text("班级", "Class"), Text("学号", "Student no."), Text("姓名", "Name"), Text("版本", "Version"),
                  TIME_HEADING, Text("摄影师", "Photographer"), Text("类型", "Kind"), Text("原因", "Reason"))
KINDS = {"checks": Text("检查未通过仍拍摄", "failing check overridden"),
         "identity": Text("身份核验不符仍保存", "identity mismatch accepted"),
         "retake": Text("重拍", "retake")}
IDENTITY_HEAD = (Text("班级", "Class"), Text("学号", "Student no."), Text("姓名", "Name"), Text("版本", "Version"),
                 TIME_HEADING, Text("比对对象", "Compared with"), Text("结论", "Verdict"), Text("分数", "Score"),
                 Text("原因", "Reason"))
AGAINST = {"reference": Text("学籍照片", "enrolment photo"), "previous": Text("上一版照片", "previous photo"),
           "swap": Text("{other} 的照片", "{other}'s photo")}
LEVELS = {"same": Text("同一人", "same person"), "uncertain": Text("不能确定", "uncertain"),
          "different": Text("不是同一人", "different person"), "unmeasured": Text("未能比对", "not compared")}
SWAP_LEVEL = Text("同一张脸：疑似冒名", "the same face: a suspected swap")
HOUR_HEAD = Text("时段（{clock}）", "Hour ({clock})")
PER_HOUR = Text("每小时拍摄人数（按工作站，{clock}）", "Students photographed per hour, per station ({clock})")
PHOTOS_TODAY = Text("当日确认照片 {photos} 张（{students} 名学生）", "{photos:photo|photos} accepted on the day ({students:student|students})")
MEDIAN = Text("从识别学生到照片确认的中位时间：{seconds} 秒（{n} 张有识别时间的照片）",
              "Median time from identification to accepted photo: {seconds} s ({n:photo|photos} with an identification time)")
NO_MEDIAN = Text("从识别到确认的中位时间：当日没有记录识别时间的照片。",
                 "Median time from identification to accepted photo: no photo of the day has an identification time.")
NONE = Text("无", "none")


def on_clock(head: tuple[Text, ...], clock: Text) -> tuple[Text, ...]:
    """A table's headings with the clock its times are read on filled in."""
    return tuple(h.format(clock=clock) for h in head)


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00-{hour + 1:02d}:00"


def identity_words(against: str, level: str, other_student: str) -> tuple[Text, Text]:
    """What a recorded identity check was compared with, and its verdict, in words (an unknown code as it is)."""
    if against == "swap":  # the new face matched another student's photo
        return AGAINST["swap"].format(other=other_student), SWAP_LEVEL
    return AGAINST.get(against, Text(against, against)), LEVELS.get(level, Text(level, level))


def refused(row: RefusedRow) -> Text:
    """A roster row the import refused, as the 未拍摄名单 says it (a station.roster.store.RefusedRow)."""
    return REFUSED.format(file=row.file, place=row.place, reason=row.reason)
