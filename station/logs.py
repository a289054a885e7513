"""The station's log file, in its data home: what support asks for after a bad day.

The window has no console on Windows, so warnings (an upload refused, a model missing) and any
program error would otherwise be lost. A few rotated files keep a capture day's worth at most a
few megabytes.
"""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TRIAL = ".rotating"  # the log's name while its rotation is tried


class StationLogHandler(RotatingFileHandler):
    """Rotation that waits while the log is held open elsewhere.

    Windows cannot rename a file another program holds open (a log viewer following it, an antivirus scan). The
    standard rotation had already moved every backup one place down, deleting the oldest, when renaming the log
    itself failed; it then tried again at every record, each lost with a "Logging error": a few records emptied
    the backups and the rest of the day went unlogged. Here the log is first tried alone: held, it keeps growing
    and rotates at a later record once it is let go. A log left aside by a crash between the two renames is put back
    at the next start: it held the day's last records, and on Windows the file in the way made every later rotation
    fail (a rename onto an existing name is refused there).
    """

    def __init__(self, filename: Path, *args: object, **kwargs: object) -> None:
        trial = Path(f"{filename}{TRIAL}")
        if trial.exists() and not Path(filename).exists():
            os.replace(trial, filename)
        super().__init__(filename, *args, **kwargs)

    def doRollover(self) -> None:
        if self.stream:
            self.stream.close()
            self.stream = None
        trial = self.baseFilename + TRIAL
        try:
            os.replace(self.baseFilename, trial)
        except FileNotFoundError:
            pass  # nothing to move aside: the standard rotation does the rest
        except PermissionError:
            self.stream = self._open()
            return
        else:
            os.replace(trial, self.baseFilename)
        super().doRollover()

    def handleError(self, record: logging.LogRecord) -> None:
        """A record the disk has no room for is lost, not printed with a traceback over what the station says (a
        command's "disk full" on the terminal): the log is for support, the person is told in words."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def log_file(home: Path) -> Path:
    return home / "logs" / "station.log"


def log_to_file(home: Path, level: int = logging.INFO) -> Path:
    """Send the station's log records to the data home's log file (once per process and file).

    A log that cannot be opened (a full disk, a read-only data folder) is done without: the records are dropped, not
    printed in English over what a command says in words, and the station starts all the same.
    """
    path = log_file(home)
    root = logging.getLogger()
    logging.getLogger("station").setLevel(level)
    if any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = StationLogHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        if not root.handlers:  # Python would otherwise print each warning on stderr
            root.addHandler(logging.NullHandler())
        return path
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    return path
