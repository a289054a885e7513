"""Whether mediapipe can open its own graphs and models where it is installed.

mediapipe opens them with the C library's narrow fopen/stat, handed the path as UTF-8 bytes, which Windows reads in
the process's ANSI code page: GBK on a Chinese Windows. A path with Chinese in it (a user folder named 张三, a project
under D:\\毕业照) then fails deep in a worker thread with "The path does not exist" (google-ai-edge/mediapipe#2677),
unless that code page is UTF-8: the frozen program asks for it in its manifest (Windows 10 1903 and later), and
Windows' "Beta: Use Unicode UTF-8 for worldwide language support" sets it for every program.
"""

from __future__ import annotations

import codecs
import importlib.util
import locale
import os
from pathlib import Path

from station.errors import StationError
from station.i18n import Text

UNREADABLE_FOLDER = Text(
    "人脸检测模型所在的路径 {path} 含有中文等非英文字符，Windows 当前的系统区域编码无法让它读取这些模型。请把工作站放到只含英文字母、"
    "数字的路径下（例如 C:\\PhotoStation），或在“设置 → 时间和语言 → 语言和区域 → 管理语言设置 → 更改系统区域设置”中勾选"
    "“Beta 版：使用 Unicode UTF-8 提供全球语言支持”并重启电脑。",
    "The face models are in {path}, whose name holds characters beyond English letters and digits, which Windows' "
    "current system locale keeps them from reading. Put the station in a folder named with English letters and "
    "digits only (for example C:\\PhotoStation), or tick 'Beta: Use Unicode UTF-8 for worldwide language support' "
    "under Settings > Time & language > Language & region > Administrative language settings > Change system locale "
    "and restart the computer.",
)


def narrow_path_readable(path: str, ansi_encoding: str) -> bool:
    """Whether a C library opening `path` with the narrow API finds it: only an ASCII path reads the same in UTF-8
    and in another ANSI code page."""
    return path.isascii() or codecs.lookup(ansi_encoding).name == "utf-8"


def installed_folder() -> tuple[str, str] | None:
    """On Windows, mediapipe's folder and the process's ANSI code page; elsewhere None (paths are bytes there)."""
    if os.name != "nt":
        return None
    spec = importlib.util.find_spec("mediapipe")
    folder = str(Path(spec.origin).parent) if spec and spec.origin else ""
    return (folder, locale.getencoding()) if folder else None


def check_mediapipe_folder() -> None:
    """A StationError saying what to do where mediapipe could not open its own files (above); otherwise nothing."""
    found = installed_folder()
    if found and not narrow_path_readable(*found):
        raise StationError(UNREADABLE_FOLDER.format(path=found[0]))
