"""`photo-station queue`: the upload queue at a glance; --retry, --send and --reconcile act on it."""

from __future__ import annotations

import argparse
import getpass

from station.cli.output import print_json
from station.context import Station
from station.i18n import Text
from station.storage.station_key import StationKey, unlock_station_key
from station.upload import outbox
from station.upload.uploader import Uploader


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("queue", parents=[common], help="show the upload queue; retry failed uploads; send now")
    p.add_argument("--retry", action="store_true", help="put every failed upload back in the queue")
    p.add_argument("--send", action="store_true", help="upload what is due now, then show the queue")
    p.add_argument("--reconcile", action="store_true", help="ask the server what it holds and re-queue what it lacks")
    p.set_defaults(func=_queue)


def ask_passphrase(prompt: Text) -> str:
    """The passphrase typed at the terminal; none when there is no terminal to type at (a scheduled task)."""
    try:
        return getpass.getpass(prompt.get() + " ")
    except EOFError:
        return ""


def cli_station_key(station: Station) -> StationKey:
    return unlock_station_key(station.home, ask=ask_passphrase)


def _queue(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    if args.retry:
        outbox.retry_failed(station.db)
    if args.send or args.reconcile:
        uploader = Uploader(station.home, cli_station_key(station))
        if args.reconcile:
            uploader.reconcile()
        if args.send:
            uploader.drain()
    health = outbox.queue_health(station.db)
    print_json({**health.to_json(), "last_error": health.last_error.get(station.lang) if health.last_error else "",
                "failed_jobs": [{"job": f.job_id, "student_no": f.student_no, "version": f.version,
                                 "attempts": f.attempts, "reason": f.reason.get(station.lang)} for f in health.failed]})
    return 1 if health.failed else 0
