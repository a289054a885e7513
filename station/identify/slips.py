"""Printable QR slips (采集码条) for schools that issue their own codes: A4, 2 x 5 per page, each class starting
on a page of its own headed by its name, so a monitor can be handed their class's pages."""

from __future__ import annotations

import io
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw

from station.documents.output_file import write_output_file
from station.fonts import draw_text
from station.identify.decoders import slip_payload
from station.roster.store import Student

DPI = 200
PAGE = (1654, 2339)  # A4 at 200 dpi
COLUMNS, ROWS = 2, 5
MARGIN = 80


def slip_pages(students: list[Student], title: str) -> list[Image.Image]:
    """Pages for the students in the order given; a new class starts a new page."""
    per_page, pages = COLUMNS * ROWS, []
    for class_name in dict.fromkeys(s.class_name for s in students):
        members = [s for s in students if s.class_name == class_name]
        pages += [_page(members[i:i + per_page], title, class_name) for i in range(0, len(members), per_page)]
    return pages


def write_slips_pdf(students: list[Student], out: Path, title: str) -> int:
    """Writes the PDF and returns the number of pages."""
    pages = slip_pages(students, title)
    pdf = io.BytesIO()
    pages[0].save(pdf, "PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    write_output_file(out, pdf.getvalue())
    return len(pages)


def _page(students: list[Student], title: str, class_name: str) -> Image.Image:
    page = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(page)
    draw_text(draw, (MARGIN, MARGIN // 2), class_name, 34, "black", anchor="lm")
    cell_w = (PAGE[0] - 2 * MARGIN) // COLUMNS
    cell_h = (PAGE[1] - 2 * MARGIN) // ROWS
    for i, student in enumerate(students):
        x = MARGIN + (i % COLUMNS) * cell_w
        y = MARGIN + (i // COLUMNS) * cell_h
        draw.rectangle([x, y, x + cell_w, y + cell_h], outline=(160, 160, 160), width=2)  # cutting guide
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
        qr.add_data(slip_payload(student.student_no))
        side = cell_h - 60
        code = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB").resize((side, side), Image.NEAREST)
        page.paste(code, (x + 20, y + 30))
        tx = x + side + 40
        draw_text(draw, (tx, y + 40), student.name, 44, "black")
        draw_text(draw, (tx, y + 110), student.student_no, 30, "black")
        draw_text(draw, (tx, y + 160), student.class_name, 30, "black")
        draw_text(draw, (tx, y + cell_h - 70), title, 30, (90, 90, 90))
    return page
