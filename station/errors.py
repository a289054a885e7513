"""Errors the operator can act on: they carry a bilingual message and an exit code."""

from __future__ import annotations

from station.i18n import Text


class StationError(Exception):
    exit_code = 2

    def __init__(self, text: Text, exit_code: int | None = None, code: str = "failed") -> None:
        super().__init__(text.en)
        self.text = text
        self.code = code  # what `--json` prints as {"error": code, "message"}, for scripts
        if exit_code is not None:
            self.exit_code = exit_code
