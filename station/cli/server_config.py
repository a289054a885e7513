"""`photo-station server-config`: this station's link to the receiving server (shown with no options)."""

from __future__ import annotations

import argparse
from pathlib import Path

from station.cli.output import print_json
from station.context import Station
from station.upload.link import load_link, save_link


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("server-config", parents=[common],
                              help="set or show the server URL, station id, token and server public key")
    p.add_argument("--station-id", default=None)
    p.add_argument("--url", default=None, help="e.g. http://192.168.1.10:8420")
    p.add_argument("--token", default=None, help="from `photo-station-server add-station`")
    p.add_argument("--public-key", default=None,
                   help="the server public key (base64) or a file holding it (server_public_key.txt)")
    p.set_defaults(func=_server_config)


def _server_config(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    public_key = args.public_key
    if public_key and Path(public_key).is_file():
        public_key = Path(public_key).read_text(encoding="utf-8")
    changes = {"station_id": args.station_id, "url": args.url, "token": args.token, "public_key": public_key}
    link = save_link(station.db, **changes) if any(v is not None for v in changes.values()) else load_link(station.db)
    print_json({"station_id": link.station_id, "url": link.url, "token": "set" if link.token else "",
                "public_key": link.public_key, "updated_at": link.updated_at})
    return 0
