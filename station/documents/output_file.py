"""Writing a file the user asked for (a PDF to print, a report): a path that cannot be written is a message that
names it, and a file cut short (disk full) is removed, so nobody prints half a class."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath

from station.errors import StationError, os_reason
from station.i18n import Text
from station.paths import NOT_A_FOLDER, is_dir

WRITE_FAILED = Text("无法写入 {out}：{reason}。请换一个文件名或位置再试。",
                    "Cannot write {out}: {reason}. Choose another file name or place and try again.")
IS_A_FOLDER = Text("这是一个文件夹，请给出文件名", "it is a folder; give a file name")
IN_USE = Text("它正被其他程序打开（如 Excel、WPS 或 PDF 阅读器）或不允许写入，请先关闭它",
              "it is open in another program (Excel, WPS, a PDF reader) or may not be written; close it first")
# What Windows takes in no file or folder name. A colon is not refused there but read by NTFS as a stream's name:
# 日报 12:07.xlsx wrote an empty file 日报 12 whose hidden stream 07.xlsx held the report.
_WINDOWS_REFUSES_CHARS = r'<>:"|?*\x00-\x1f'
_WINDOWS_REFUSES = re.compile(f"[{_WINDOWS_REFUSES_CHARS}]")
# What a name the station makes up may not hold: those, and no folder separator ("/" nowhere): a class named 2021级/软件1班
# or 计科2101? in a suggested name made a folder of its own, or a name Windows refuses.
_NOT_IN_NAMES = re.compile(f"[/\\\\{_WINDOWS_REFUSES_CHARS}]")
WINDOWS = os.name == "nt"  # where a typed name is asked whether Windows takes it
NOT_A_NAME = Text("名称中有 Windows 不允许的字符“{chars}”，请换掉（如时间 12:07 写成 12-07）",
                  "a name in it holds '{chars}', which Windows does not allow; replace it (write 12:07 as 12-07)")


def name_part(text: str) -> str:
    """`text` (a class, a student) as part of a file name on any OS: what Windows refuses in a name becomes _."""
    return _NOT_IN_NAMES.sub("_", text)


def refused_in_names(path: PurePath) -> str:
    """What Windows does not take in a file or folder name, found in `path`'s names past its drive, each once."""
    names = path.parts[1:] if path.anchor else path.parts
    return "".join(dict.fromkeys(char for name in names for char in _WINDOWS_REFUSES.findall(name)))


def name_refusal(out: Path) -> Text | None:
    """On Windows, why a name in `out` cannot be written as typed (what Windows does not take, or reads as a stream),
    said before anything is written; None elsewhere and for a name it takes."""
    chars = refused_in_names(out) if WINDOWS else ""
    return NOT_A_NAME.format(chars=chars) if chars else None


def write_output_file(out: Path, data: bytes) -> None:
    """Write `data` to `out` (creating its folder) or raise a StationError naming `out` and why."""
    if (refusal := name_refusal(out)) is not None:
        raise StationError(WRITE_FAILED.format(out=out, reason=refusal))
    try:
        _write(out, data)
    except IsADirectoryError as exc:
        raise StationError(WRITE_FAILED.format(out=out, reason=IS_A_FOLDER)) from exc
    except FileExistsError as exc:  # mkdir met a file where a folder of the path should be
        raise StationError(WRITE_FAILED.format(out=out, reason=NOT_A_FOLDER.format(path=exc.filename))) from exc
    except PermissionError as exc:  # Windows: yesterday's report still open in Excel; a folder is refused so there too
        raise StationError(WRITE_FAILED.format(out=out, reason=IS_A_FOLDER if is_dir(out) else IN_USE)) from exc
    except OSError as exc:  # no such drive, disk full
        raise StationError(WRITE_FAILED.format(out=out, reason=os_reason(exc))) from exc


def _write(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as handle:
        try:
            handle.write(data)
            handle.flush()
        except OSError:
            if out.is_file():  # opened for writing, so already emptied: ours to remove
                out.unlink()
            raise
