"""`photo-station idcard IMAGE... [--json]` and `photo-station idcard read [--port PORT] [--json]`.

Both print, per card, {"path" (images only), "student_no" | null, "id_number" (masked) | null, "name" | null}
plus "error" (and "message") when nothing could be read. `idcard read` exits 0 when a card was read
(matched or not), 1 when no card is on the reader, 2 on a reader or protocol error; the image route exits
0 once every image was tried. An image literally named `read` is given as `./read`.
"""

from __future__ import annotations

import argparse
import sys

from station.adapters.cli import matching_paths, path_argument
from station.image_io import read_image, why_unreadable
from station.adapters.cli.output import print_json
from station.context import Station
from station.i18n import Text
from station.identify.idcard_match import CardRead, CardSource, match_card

MSG_NO_CARD = Text("阅读器上没有身份证", "no ID card on the reader")
MSG_NO_NUMBER = Text("没有读到可信的身份证号（请把证件正面对准镜头，勿遮挡号码）",
                     "no ID number read with confidence (hold the card's face to the camera, number uncovered)")
LABELS = {"name": Text("证件姓名", "Name on card"), "id_number": Text("身份证号", "ID number"),
          "student_no": Text("学号", "Student no.")}


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "idcard", parents=[common],
        help="identify by resident ID card: `idcard read` on a chip reader, or `idcard IMAGE...` from photos of it")
    parser.add_argument("targets", nargs="+", metavar="read|IMAGE",
                        help="read 表示从读卡器读卡，否则为身份证的照片文件 / `read` for the chip reader, or image files")
    parser.add_argument("--port", default=None,
                        help="读卡器的串口，如 COM3、/dev/ttyUSB0（默认：逐个询问所有串口） / the reader's serial port "
                             "(default: ask every port)")
    parser.add_argument("--dll", type=path_argument, default=None,
                        help="Windows：用读卡器厂商的 DLL（termb.dll 一类；未经测试）代替串口协议 / Windows: the reader's "
                             "vendor DLL (termb.dll-style; untested), instead of the serial protocol")
    parser.add_argument("--dll-port", type=int, default=1001,
                        help="--dll 的端口号（1001 为第一个 USB 读卡器） / port number for --dll (1001 = first USB reader)")
    parser.add_argument("--json", action="store_true",
                        help="每张卡输出一个 JSON 对象，每行一个 / print one JSON object per card, one per line")
    parser.set_defaults(func=_idcard)


def _idcard(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    if args.targets == ["read"]:
        return _read_chip(station, args)
    from station.identify.idcard_ocr import CardOcr, read_card_from_frame  # onnxruntime only for images

    ocr = CardOcr()
    for path in matching_paths(args.targets):  # 证件\\*.jpg from Windows' console, unexpanded
        image = read_image(path)
        if image is None:
            _print_none(args, station.lang, {"path": str(path)}, "unreadable_image", why_unreadable(path))
            continue
        found = read_card_from_frame(image, station.db, ocr)
        if found is None:
            _print_none(args, station.lang, {"path": str(path)}, "no_number", MSG_NO_NUMBER)
        else:
            _print_card(args, station.lang, found, {"path": str(path)})
    return 0


def _read_chip(station: Station, args: argparse.Namespace) -> int:
    from station.identify.idcard_reader import EXIT_NO_CARD, ChipReader, ReaderError

    try:
        if args.dll is not None:
            from station.identify.idcard_termb import TermbReader

            reader = TermbReader(args.dll, args.dll_port)
        else:
            reader = ChipReader(args.port) if args.port else ChipReader.find()
        try:
            card = reader.poll()
        finally:
            reader.close()
    except ReaderError as exc:
        _print_none(args, station.lang, {}, "reader_error", exc.text)
        return exc.exit_code
    if card is None:
        _print_none(args, station.lang, {}, "no_card", MSG_NO_CARD)
        return EXIT_NO_CARD
    _print_card(args, station.lang, match_card(station.db, CardSource.CHIP, card.id_number, card.name), {})
    return 0


def _print_none(args: argparse.Namespace, lang: str, head: dict, error: str, message: Text) -> None:
    if args.json:
        print_json({**head, "student_no": None, "id_number": None, "name": None, "error": error,
                    "message": message.get(lang)})
    else:
        prefix = f"{head['path']}: " if head else ""
        print(prefix + message.get(lang), file=sys.stdout if head else sys.stderr)


def _print_card(args: argparse.Namespace, lang: str, found: CardRead, head: dict) -> None:
    if args.json:
        print_json({**head, **found.to_json()})
        return
    if head:
        print(f"{head['path']}:")
    for key, value in found.to_json().items():
        print(f"  {LABELS[key].get(lang)}: {value if value is not None else '-'}")
    print(f"  {found.message.get(lang)}")
    if found.name_mismatch is not None:
        print(f"  {found.name_mismatch.get(lang)}")
