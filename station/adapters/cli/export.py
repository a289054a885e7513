"""`photo-station export --to DIR`: the upload queue as an encrypted package for a USB stick."""

from __future__ import annotations

import argparse

from station.adapters.cli import folder_argument
from station.adapters.cli.output import print_json
from station.adapters.cli.passphrase import cli_station_key
from station.context import Station
from station.i18n import Text
from station.upload.package import write_package

WRITTEN = Text("已把 {n} 张照片写入 {folder}：在服务器上用 photo-station-server import 导入",
               "{n:photo|photos} written to {folder}: photo-station-server import reads it on the server")
NOT_WRITTEN = Text("  {no} 第 {version} 版未导出：{reason}", "  {no} version {version} not exported: {reason}")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("export", parents=[common],
                              help="write the upload queue to a folder (USB stick) for `photo-station-server import`")
    p.add_argument("--to", required=True, type=folder_argument,
                   help="目标文件夹，如U盘 / target folder, e.g. the USB stick")
    p.add_argument("--all", action="store_true",
                   help="已上传的照片也导出（服务器会跳过重复的） / also photos already uploaded (the server skips "
                        "duplicates)")
    p.add_argument("--json", action="store_true",
                   help="以一个 JSON 对象输出结果 / print the result as one JSON object")
    p.set_defaults(func=_export)


def _export(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    report = write_package(station, cli_station_key(station), args.to, include_sent=args.all)
    if args.json:
        print_json({"folder": str(report.folder), "exported": report.exported,
                    "damaged": [{"student_no": no, "version": v, "reason": reason.get(station.lang)}
                                for no, v, reason in report.damaged]})
    else:  # a person at a terminal reads a sentence (it printed JSON, as --json does)
        print(WRITTEN.format(n=report.exported, folder=report.folder).get(station.lang))
        for no, version, reason in report.damaged:
            print(NOT_WRITTEN.format(no=no, version=version, reason=reason.get(station.lang)).get(station.lang))
    return 1 if report.damaged else 0
