"""The rows of the first HTML table in a file: what many registry systems export as ".xls" (Excel opens it, and so
the file is passed on as a workbook). Only text is taken; a cell spanning rows or columns is repeated over them,
as Excel shows it."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.depth = 0  # tables open; only the first (outermost) table's rows are kept
        self.done = False
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.pending: dict[int, list[tuple[int, str]]] = {}  # row index -> (column, text) of a cell spanning down

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and not self.done and tag == "tr":
            self._end_row()
            self.rows.append([])
        elif self.depth == 1 and not self.done and tag in ("td", "th") and self.rows:
            named = dict(attrs)
            self.cell, self.span = [], (_count(named.get("rowspan")), _count(named.get("colspan")))
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.depth == 1:
            self._close_cell()
        elif tag == "tr" and self.depth == 1:
            self._end_row()
        elif tag == "table" and self.depth:
            self.depth -= 1
            if self.depth == 0 and not self.done:
                self._end_row()
                self.done = True

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def _end_row(self) -> None:
        if self.rows:
            self._reached_down(len(self.rows[-1]) + 1000)

    def _reached_down(self, before: int) -> None:
        """Put into the current row the cells from rows above that span down into it, up to column `before`."""
        row, waiting = self.rows[-1], sorted(self.pending.get(len(self.rows) - 1, []))
        while waiting and waiting[0][0] <= min(len(row), before):
            row.append(waiting.pop(0)[1])
        self.pending[len(self.rows) - 1] = waiting

    def _close_cell(self) -> None:
        text, (down, across) = " ".join("".join(self.cell or []).split()), self.span
        row, index = self.rows[-1], len(self.rows) - 1
        self._reached_down(len(row))
        for _ in range(across):
            for below in range(index + 1, index + down):
                self.pending.setdefault(below, []).append((len(row), text))
            row.append(text)
        self.cell = None


def _count(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def web_table_rows(text: str) -> list[list[str]]:
    parser = _Tables()
    parser.feed(text)
    parser.close()
    return parser.rows
