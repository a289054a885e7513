"""`photo-station export --to DIR`: the upload queue as an encrypted package for a USB stick."""

from __future__ import annotations

import argparse

from station.adapters.cli import folder_argument
from station.adapters.cli.output import print_json
from station.adapters.cli.passphrase import cli_station_key
from station.context import Station
from station.upload.package import write_package


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("export", parents=[common],
                              help="write the upload queue to a folder (USB stick) for `photo-station-server import`")
    p.add_argument("--to", required=True, type=folder_argument, help="target folder, e.g. the USB stick")
    p.add_argument("--all", action="store_true", help="also photos already uploaded (the server skips duplicates)")
    p.set_defaults(func=_export)


def _export(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    report = write_package(station, cli_station_key(station), args.to, include_sent=args.all)
    print_json({"folder": str(report.folder), "exported": report.exported,
                "damaged": [{"student_no": no, "version": v, "reason": reason.get(station.lang)}
                            for no, v, reason in report.damaged]})
    return 1 if report.damaged else 0
