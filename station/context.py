"""The station's open resources for one process: data home, database, language."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
from filelock import FileLock

from station.db import open_db
from station.chosen_language import keep_lang
from station.i18n import default_lang
from station.instance import hold_station
from station.paths import data_home, database_path
from station.storage.atomic import write_atomic

OPERATOR_FILE = "operator.txt"


@dataclass
class Station:
    home: Path
    lang: str
    _db: sqlite_utils.Database | None = field(default=None, repr=False)
    _lock: FileLock | None = field(default=None, repr=False)

    @classmethod
    def open(cls, home: str | Path | None = None, lang: str | None = None) -> "Station":
        return cls(home=data_home(home), lang=lang or default_lang())

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "Station":
        return cls.open(getattr(args, "home", None), getattr(args, "lang", None))

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = open_db(database_path(self.home))
        return self._db

    @property
    def last_operator(self) -> str:
        """The name the start dialog offers: the last photographer of this data home (the demo has its own
        home, so its invented photographer never reaches a real station's dialog)."""
        try:
            return (self.home / OPERATOR_FILE).read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return ""

    def remember_operator(self, name: str) -> None:
        try:
            write_atomic(self.home / OPERATOR_FILE, name.strip().encode("utf-8"))
        except OSError:
            pass  # only a convenience for the next start

    def choose_lang(self, lang: str) -> bool:
        """`lang` from now on (the window, its reports and print sheets) and at the next start; False: it could not be
        kept for the next start (the data folder is not writable), this run speaks it all the same."""
        self.lang = lang
        return keep_lang(self.home, lang)

    @contextmanager
    def for_this_thread(self) -> Iterator["Station"]:
        """The same data home opened again for the calling thread (a SQLite connection belongs to the thread that
        opened it: a worker reading or writing beside the window), closed afterwards."""
        station = Station(self.home, self.lang)
        try:
            yield station
        finally:
            station.close()

    def claim(self) -> None:
        """Make this process the data home's only station (the window's; commands share the home)."""
        if self._lock is None:
            self._lock = hold_station(self.home)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None
