"""The vendor-DLL route for Windows readers sold without a serial protocol (`termb.dll`-style API).

UNTESTED here: no such reader or DLL exists on the development machines. The common API is
InitComm(port) (1-16 serial, 1001-1016 USB) -> 1, Authenticate() -> 1 when a card is found and
selected, Read_Content(1) -> 1 after writing the card text (wz.txt, the same UTF-16LE block as the
serial protocol's) and photo (zp.bmp, xp.wlt) beside the DLL or in the working folder, CloseComm().
The written files are read and deleted at once: nothing from the chip stays on the disk.
"""

from __future__ import annotations

import ctypes
import logging
import os
from pathlib import Path

from station.i18n import Text
from station.identify.idcard_protocol import CardText, FrameError, parse_card_text
from station.identify.idcard_reader import ReaderError
from station.roster.idnumber import resident_id_problem

log = logging.getLogger(__name__)
_WRITTEN = ("wz.txt", "zp.bmp", "xp.wlt")
NOT_WINDOWS = Text("阅读器驱动 {path} 只能在 Windows 上使用：请改用串口阅读器（--port）",
                   "the reader's DLL {path} works on Windows only: use a serial reader (--port) instead")
MSG_NO_DLL = Text("无法加载阅读器驱动 {path}：文件不存在、已损坏，或与本程序的位数（32/64 位）不符。请按阅读器的说明重新安装驱动",
                  "cannot load the reader's DLL {path}: it is missing, damaged, or built for the other bitness (32/64 "
                  "bit). Reinstall the reader's driver as its manual says")
MSG_INIT = Text("阅读器驱动无法打开端口 {port}", "the reader's DLL cannot open port {port}")
MSG_READ = Text("阅读器驱动未能读出身份证内容，请重新放卡", "the reader's DLL did not read the card: put it on again")
MSG_BAD_NUMBER = Text("阅读器驱动读出的身份证号无效：{problem}", "the ID number the reader's DLL read is not valid: {problem}")


class TermbReader:
    def __init__(self, dll_path: Path, port: int = 1001) -> None:
        if os.name != "nt":
            raise ReaderError(NOT_WINDOWS.format(path=dll_path))
        try:
            self._dll = ctypes.WinDLL(str(dll_path))
        except OSError as exc:
            log.warning("reader DLL %s not loaded: %s", dll_path, exc)
            raise ReaderError(MSG_NO_DLL.format(path=dll_path)) from exc
        self._folders = (Path(dll_path).resolve().parent, Path.cwd())
        if self._dll.InitComm(ctypes.c_int(port)) != 1:
            raise ReaderError(MSG_INIT.format(port=port))

    def poll(self) -> CardText | None:
        if self._dll.Authenticate() != 1:
            return None
        try:
            if self._dll.Read_Content(ctypes.c_int(1)) != 1:
                raise ReaderError(MSG_READ)
            text = next((f / "wz.txt" for f in self._folders if (f / "wz.txt").is_file()), None)
            if text is None:
                log.warning("the reader's DLL wrote no wz.txt in %s", ", ".join(map(str, self._folders)))
                raise ReaderError(MSG_READ)
            card = parse_card_text(text.read_bytes())
        except (OSError, FrameError) as exc:
            log.warning("the reader's DLL's card text not read: %s", exc)
            raise ReaderError(MSG_READ) from exc
        finally:
            self._forget()
        problem = resident_id_problem(card.id_number)
        if problem is not None:
            raise ReaderError(MSG_BAD_NUMBER.format(problem=problem))
        return card

    def close(self) -> None:
        self._dll.CloseComm()

    def _forget(self) -> None:
        for folder in self._folders:
            for name in _WRITTEN:
                try:
                    (folder / name).unlink(missing_ok=True)
                except OSError:  # held open by the DLL: it writes over it at the next read
                    pass
