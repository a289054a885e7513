"""A tethered camera's folder: each new JPEG its tether software (EOS Utility, digiCamControl, gphoto2
--capture-tethered) drops there, reported once it is completely written.

Tether software writes a temporary name and renames it, or writes the final name slowly: a file counts as
complete when its size and time stayed the same across two polls, it is a whole JPEG (it ends with the JPEG
end marker: a half-written JPEG still decodes, grey at the bottom) and it decodes. Polling is portable (no
file-system events needed on Windows or over a network share) and a third of a second is quick enough for a
photographer. Files already in the folder when watching starts are earlier shots, never filed again.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from station.errors import StationError, os_reason
from station.i18n import Text
from station.image_io import read_image
from station.paths import typed_path
from station.watcher import Watcher

JPEG_SUFFIXES = (".jpg", ".jpeg")
POLL_S = 0.3
# A file that stopped growing this long ago and still is no whole, readable JPEG is damaged: it is reported
# (without a picture) so that it can be set aside, never left to wait for ever.
GIVE_UP_S = 10.0
JPEG_START, JPEG_END = b"\xff\xd8", b"\xff\xd9"
BAD_FOLDER = Text("无法使用联机相机的文件夹 {path}：{reason}", "Cannot use the tethered camera's folder {path}: {reason}")


@dataclass(frozen=True)
class TetheredFile:
    path: Path
    image: np.ndarray | None  # full-resolution BGR; None when the complete file is not a readable JPEG
    # when the watcher first saw the file (time.monotonic): the shot was taken before, whoever is on the card now
    first_seen: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class _Signature:
    size: int
    mtime_ns: int


def _signature(path: Path) -> _Signature | None:
    try:
        stat = path.stat()
    except OSError:  # renamed or removed between the listing and now
        return None
    return _Signature(stat.st_size, stat.st_mtime_ns)


def _candidates(folder: Path) -> dict[str, _Signature]:
    """The folder's JPEG files by name; hidden and temporary names (".IMG_1.JPG", "~IMG_1.JPG") are not yet photos."""
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.is_file()]
    except OSError:  # the folder is gone for a moment (a network share): nothing new this poll
        return {}
    found = {}
    for name in names:
        if name.lower().endswith(JPEG_SUFFIXES) and not name.startswith((".", "~")):
            signature = _signature(folder / name)
            if signature is not None and signature.size > 0:
                found[name] = signature
    return found


def whole_jpeg(path: Path) -> bool:
    """Starts with the JPEG start marker and ends with its end marker (padding after it allowed)."""
    try:
        with path.open("rb") as file:
            start = file.read(2)
            file.seek(max(0, path.stat().st_size - 64))
            tail = file.read().rstrip(b"\x00")
    except OSError:
        return False
    return start == JPEG_START and tail.endswith(JPEG_END)


class TetherWatcher(Watcher):
    """Polls `folder` every `interval_s` on a thread of its own; `on_file(TetheredFile)` once per new complete
    file (a name written again with new contents counts as new)."""

    def __init__(self, folder: Path, on_file: Callable[[TetheredFile], None], interval_s: float = POLL_S,
                 give_up_s: float = GIVE_UP_S) -> None:
        super().__init__("tether folder")
        self.folder = Path(folder)
        self._on_file = on_file
        self._interval, self._give_up = interval_s, give_up_s
        self._done: dict[str, _Signature] = _candidates(self.folder)  # earlier shots: never filed again
        # name: last signature, since when unchanged, since when seen at all
        self._pending: dict[str, tuple[_Signature, float, float]] = {}

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            for file in self.poll(time.monotonic()):
                self._on_file(file)

    def poll(self, now: float) -> list[TetheredFile]:
        """One look at the folder: the files complete since the last look."""
        found = _candidates(self.folder)
        self._pending = {name: seen for name, seen in self._pending.items() if name in found}
        ready = []
        for name, signature in found.items():
            if self._done.get(name) == signature:
                continue
            seen = self._pending.get(name)
            if seen is None or seen[0] != signature:
                self._pending[name] = (signature, now, seen[2] if seen else now)  # new, or still being written
                continue
            path = self.folder / name
            image = read_image(path) if whole_jpeg(path) else None
            if image is None and now - seen[1] < self._give_up:
                continue  # the same size twice, yet not whole: a writer pausing between parts
            del self._pending[name]
            self._done[name] = signature
            ready.append(TetheredFile(path, image, seen[2]))
        return ready


def set_aside(path: Path, folder: Path) -> Path:
    """Move a still that cannot be filed into `folder` (created), under its own name or NAME-2, NAME-3...; returns
    where it went. Raises OSError when it cannot be moved (then it stays where it was, and only there: nothing is lost
    and nothing is twice)."""
    folder.mkdir(parents=True, exist_ok=True)
    target, number = folder / path.name, 2
    while target.exists():
        target, number = folder / f"{path.stem}-{number}{path.suffix}", number + 1
    try:
        shutil.move(path, target)
    except OSError:
        # Across drives (the tether folder on another disk than the data) a move is a copy, then the original's
        # deletion, which Windows refuses while the tether software still holds the file: the copy goes again
        if path.exists() and target.exists():
            target.unlink(missing_ok=True)
        raise
    return target


def tether_folder(path: str | os.PathLike[str]) -> Path:
    """The folder `--tether` names, created when the tether software has not made it yet; StationError when it
    cannot be used (a file, a drive that is not there), said at start rather than found out at the first photo."""
    folder = typed_path(path)  # a cmd %NAME% PowerShell handed over as typed, as ~
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.scandir(folder).close()
    except OSError as exc:
        raise StationError(BAD_FOLDER.format(path=folder, reason=os_reason(exc))) from exc
    return folder.resolve()
