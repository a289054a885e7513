"""The report as a PDF (A4 portrait): the same parts as the workbook, as tables, and the day's photos per hour
per station as a bar chart drawn with rectangles."""

from __future__ import annotations

from fpdf.fonts import FontFace

from station.i18n import Text
from station.documents.pdf import Document
from station.fees.amounts import yuan
from station.reports import labels
from station.reports.day_report import DayReport
from station.reports.xlsx import class_rows, title

MARGIN = 15.0
WIDTH = 210.0 - 2 * MARGIN
HEADINGS = FontFace(emphasis="", fill_color=(225, 225, 225))  # no bold: the CJK font has one weight here
COLOURS = ((46, 117, 182), (237, 125, 49), (112, 173, 71), (255, 192, 0), (91, 155, 213), (165, 165, 165))


def report_pdf(report: DayReport, lang: str) -> bytes:
    document = Document(210.0, 297.0, title(report, lang))
    document.set_margins(MARGIN, MARGIN)
    document.set_auto_page_break(True, MARGIN)
    document.add_page()
    document.set_text_size(15)
    document.cell(text=document.drawable(title(report, lang)), new_x="LMARGIN", new_y="NEXT")
    _heading(document, labels.CLASSES.get(lang))
    _table(document, labels.CLASS_HEAD, [[*row[:-1], yuan(row[-1])] for row in class_rows(report, lang)], lang)
    _heading(document, labels.DAY.get(lang))
    _line(document, labels.PHOTOS_TODAY.format(photos=report.photos, students=report.students).get(lang))
    median = (labels.MEDIAN.format(seconds=round(report.median_to_photo_s), n=report.timed_photos)
              if report.median_to_photo_s is not None else labels.NO_MEDIAN)
    _line(document, median.get(lang))
    _bar_chart(document, report, lang)
    _heading(document, labels.MISSING.get(lang))
    _table(document, labels.MISSING_HEAD, [[c.class_name, m.person.student_no, m.person.name,
                                            (labels.ABSENT if m.absent else labels.WAITING).get(lang)]
                                           for c in report.classes for m in c.missing]
           + [["", r.student_no, r.name, labels.refused(r).get(lang)] for r in report.refused], lang)
    _heading(document, labels.OVERRIDES.get(lang))
    _table(document, labels.on_clock(labels.OVERRIDE_HEAD, report.clock),
           [[e.person.class_name, e.person.student_no, e.person.name, e.version, e.at.strftime("%m-%d %H:%M"),
             e.operator, labels.KINDS[e.kind].get(lang), e.reason] for e in report.overrides], lang,
           (14, 16, 10, 6, 19, 12, 20, 33))
    _heading(document, labels.IDENTITIES.get(lang))
    _table(document, labels.on_clock(labels.IDENTITY_HEAD, report.clock),
           [[v.person.class_name, v.person.student_no, v.person.name, v.version, v.at.strftime("%m-%d %H:%M"),
             *(words.get(lang) for words in labels.identity_words(v.against, v.level, v.other_student)),
             "" if v.score is None else f"{v.score:.3f}", v.reason] for v in report.identities], lang,
           (14, 16, 10, 6, 19, 12, 12, 8, 33))
    return document.to_bytes()


def _heading(document: Document, text: str) -> None:
    document.ln(4)
    document.set_text_size(12)
    document.cell(text=document.drawable(text), new_x="LMARGIN", new_y="NEXT")
    document.ln(1)


def _line(document: Document, text: str) -> None:
    document.set_text_size(9)
    document.multi_cell(WIDTH, 5, document.drawable(text), new_x="LMARGIN", new_y="NEXT")


def _table(document: Document, head: tuple[Text, ...], rows: list[list[object]], lang: str,
           widths: tuple[int, ...] | None = None) -> None:
    if not rows:
        _line(document, labels.NONE.get(lang))
        return
    document.set_text_size(8)
    with document.table(col_widths=widths, line_height=4.5, text_align="LEFT", headings_style=HEADINGS) as table:
        table.row([document.drawable(h.get(lang)) for h in head])
        for values in rows:
            table.row([document.drawable(str(v)) for v in values])


def _bar_chart(document: Document, report: DayReport, lang: str) -> None:
    """Grouped bars: one group per hour, one bar per station, the count written above each bar."""
    stations = sorted(report.per_hour)
    hours = sorted({h for counts in report.per_hour.values() for h in counts})
    if not hours:
        return
    height, axis_w = 55.0, 8.0
    if document.will_page_break(height + 22):
        document.add_page()
    document.ln(2)
    _line(document, labels.PER_HOUR.format(clock=report.clock).get(lang))
    top = document.get_y() + 4
    left, bottom = MARGIN + axis_w, top + height
    peak = max(max(c.values()) for c in report.per_hour.values())
    group_w = (WIDTH - axis_w) / len(hours)
    bar_w = min(8.0, group_w * 0.8 / len(stations))
    document.set_draw_color(0)
    document.line(left, top, left, bottom)
    document.line(left, bottom, MARGIN + WIDTH, bottom)
    document.set_text_size(6)
    for g, hour in enumerate(hours):
        start = left + g * group_w + (group_w - bar_w * len(stations)) / 2
        for s, station in enumerate(stations):
            count = report.per_hour[station][hour]
            bar_h = height * count / peak
            x = start + s * bar_w
            document.set_fill_color(*COLOURS[s % len(COLOURS)])
            document.rect(x, bottom - bar_h, bar_w, bar_h, style="F")
            if count:
                document.text(x + bar_w / 2 - document.get_string_width(str(count)) / 2, bottom - bar_h - 0.8, str(count))
        label = labels.hour_label(hour)
        document.text(left + g * group_w + group_w / 2 - document.get_string_width(label) / 2, bottom + 3.5, label)
    document.text(MARGIN, top + 2, str(peak))
    document.text(MARGIN, bottom, "0")
    x = left
    for s, station in enumerate(stations):  # the legend, under the hours
        document.set_fill_color(*COLOURS[s % len(COLOURS)])
        document.rect(x, bottom + 6, 3, 3, style="F")
        document.text(x + 4, bottom + 8.5, document.drawable(station))
        x += 6 + document.get_string_width(document.drawable(station)) + 4
    document.set_fill_color(255)
    document.set_y(bottom + 12)
