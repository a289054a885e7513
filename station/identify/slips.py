"""Printable QR slips (采集码条) for schools that issue their own codes: A4, 2 x 5 per page."""

from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image, ImageDraw

from station.fonts import cjk_font
from station.identify.decoders import slip_payload
from station.roster.store import Student

DPI = 200
PAGE = (1654, 2339)  # A4 at 200 dpi
COLUMNS, ROWS = 2, 5
MARGIN = 80


def slip_pages(students: list[Student], title: str) -> list[Image.Image]:
    per_page = COLUMNS * ROWS
    return [_page(students[i:i + per_page], title) for i in range(0, len(students), per_page)]


def write_slips_pdf(students: list[Student], out: Path, title: str) -> int:
    """Writes the PDF and returns the number of pages."""
    pages = slip_pages(students, title)
    out.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return len(pages)


def _page(students: list[Student], title: str) -> Image.Image:
    page = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(page)
    cell_w = (PAGE[0] - 2 * MARGIN) // COLUMNS
    cell_h = (PAGE[1] - 2 * MARGIN) // ROWS
    big, small = cjk_font(44), cjk_font(30)
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
        draw.text((tx, y + 40), student.name, font=big, fill="black")
        draw.text((tx, y + 110), student.student_no, font=small, fill="black")
        draw.text((tx, y + 160), student.class_name, font=small, fill="black")
        draw.text((tx, y + cell_h - 70), title, font=small, fill=(90, 90, 90))
    return page
