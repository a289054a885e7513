"""The one place a name from a roster or an upload becomes a file name on the server's side.

Student numbers and ID numbers end up as `<name>.jpg` in the CHSI hand-over folder; a name
that is not plainly letters, digits, `-` and `_` (a separator of either OS, `..`, a drive,
a device name Windows reserves) is refused here, so no export can write outside its folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from station.i18n import Text

_SAFE = re.compile(r"[0-9A-Za-z_-]{1,64}")
# CON, NUL, COM1 ... open a device on Windows whatever their extension.
_WINDOWS_DEVICES = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])")

UNSAFE_NAME = Text("“{name}”不能用作文件名（只能包含字母、数字、-、_），未导出。",
                   "'{name}' cannot be a file name (letters, digits, - and _ only); not exported.")


def safe_stem(name: str) -> bool:
    """True when `name` can be a file name's stem in any folder on Windows and POSIX alike."""
    return bool(_SAFE.fullmatch(name)) and not _WINDOWS_DEVICES.fullmatch(name)


def file_in(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/<stem><suffix>`, or ValueError when the stem could lead anywhere but a file of that folder."""
    if not safe_stem(stem):
        raise ValueError(stem)
    return folder / f"{stem}{suffix}"
