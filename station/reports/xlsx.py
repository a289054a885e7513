"""The report as an Excel workbook: one sheet per part, the day's photos per hour per station as a bar chart."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from station.i18n import Text
from station.reports import labels
from station.reports.day_report import DayReport
from station.spreadsheet import add_row


def report_xlsx(report: DayReport, lang: str) -> bytes:
    book = Workbook()
    _classes(book.active, report, lang)
    _missing(book.create_sheet(), report, lang)
    _overrides(book.create_sheet(), report, lang)
    _identities(book.create_sheet(), report, lang)
    _day(book.create_sheet(), report, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def title(report: DayReport, lang: str) -> str:
    if report.class_name is None:
        return labels.TITLE.format(day=report.day.isoformat()).get(lang)
    return labels.TITLE_CLASS.format(day=report.day.isoformat(), class_name=report.class_name).get(lang)


def _sheet(sheet: Worksheet, name: Text, head: tuple[Text, ...], lang: str) -> None:
    sheet.title = name.get(lang)
    sheet.append([h.get(lang) for h in head])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (14, 14, 10, 8, 17, 12, 18, 30, 30)):
        sheet.column_dimensions[column].width = width


def _classes(sheet: Worksheet, report: DayReport, lang: str) -> None:
    _sheet(sheet, labels.CLASSES, labels.CLASS_HEAD, lang)
    for row in class_rows(report, lang):
        add_row(sheet, [*row[:-1], row[-1] / 100])


def class_rows(report: DayReport, lang: str) -> list[tuple[str, int, int, int, int, int, int, int]]:
    """Per class: name, students, photographed, retaken, absent, not yet, paid students, fees in fen; then the
    total when there are several classes."""
    rows = [(c.class_name, c.students, c.photographed, c.retaken, c.absent, c.waiting, c.fees.paid_students,
             c.fees.total_fen) for c in report.classes]
    if len(rows) > 1:
        rows.append((labels.TOTAL.get(lang), *(sum(column) for column in zip(*(row[1:] for row in rows)))))
    return rows


def _missing(sheet: Worksheet, report: DayReport, lang: str) -> None:
    _sheet(sheet, labels.MISSING, labels.MISSING_HEAD, lang)
    for c in report.classes:
        for m in c.missing:
            status = labels.ABSENT if m.absent else labels.WAITING
            add_row(sheet, [c.class_name, m.person.student_no, m.person.name, status.get(lang)])
    for r in report.refused:
        add_row(sheet, ["", r.student_no, r.name, labels.refused(r).get(lang)])


def _overrides(sheet: Worksheet, report: DayReport, lang: str) -> None:
    _sheet(sheet, labels.OVERRIDES, labels.on_clock(labels.OVERRIDE_HEAD, report.clock), lang)
    for e in report.overrides:
        add_row(sheet, [e.person.class_name, e.person.student_no, e.person.name, e.version,
                        e.at.strftime("%Y-%m-%d %H:%M"), e.operator, labels.KINDS[e.kind].get(lang), e.reason])


def _identities(sheet: Worksheet, report: DayReport, lang: str) -> None:
    _sheet(sheet, labels.IDENTITIES, labels.on_clock(labels.IDENTITY_HEAD, report.clock), lang)
    for v in report.identities:
        add_row(sheet, [v.person.class_name, v.person.student_no, v.person.name, v.version,
                        v.at.strftime("%Y-%m-%d %H:%M"),
                        *(words.get(lang) for words in labels.identity_words(v.against, v.level, v.other_student)),
                        v.score, v.reason])


def _day(sheet: Worksheet, report: DayReport, lang: str) -> None:
    sheet.title = labels.DAY.get(lang)
    add_row(sheet, [title(report, lang)])
    sheet.append([labels.PHOTOS_TODAY.format(photos=report.photos, students=report.students).get(lang)])
    median = (labels.MEDIAN.format(seconds=round(report.median_to_photo_s), n=report.timed_photos)
              if report.median_to_photo_s is not None else labels.NO_MEDIAN)
    sheet.append([median.get(lang)])
    sheet.append([])
    stations = sorted(report.per_hour)
    hours = sorted({h for counts in report.per_hour.values() for h in counts})
    first = sheet.max_row + 1
    add_row(sheet, [labels.HOUR_HEAD.format(clock=report.clock).get(lang), *stations])
    for hour in hours:
        sheet.append([labels.hour_label(hour), *(report.per_hour[s][hour] for s in stations)])
    sheet.column_dimensions["A"].width = 14
    if not hours:
        return
    chart = BarChart()
    chart.title = labels.PER_HOUR.format(clock=report.clock).get(lang)
    chart.y_axis.title = labels.CLASS_HEAD[2].get(lang)
    chart.add_data(Reference(sheet, min_col=2, max_col=1 + len(stations), min_row=first, max_row=first + len(hours)),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first + 1, max_row=first + len(hours)))
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, f"{chr(ord('B') + len(stations) + 1)}{first}")
