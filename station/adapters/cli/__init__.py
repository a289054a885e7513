"""The `photo-station` command line: one sub-command module per capability.

Each module in COMMANDS exposes `register(subparsers, common)`, adding the parser named
by its key with `parents=[common]` and `set_defaults(func=handler)`; a handler takes the
parsed arguments and returns the exit code. Only the module of the command being run is
imported (all of them for --help), so `lookup` does not pay for mediapipe's start-up.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from station.i18n import LANGS

COMMANDS: dict[str, str] = {
    "roster": "station.adapters.cli.roster",
    "schedule": "station.adapters.cli.schedule",
    "lookup": "station.adapters.cli.lookup",
    "idcard": "station.adapters.cli.idcard",
    "codes": "station.adapters.cli.codes",
    "print-sheet": "station.adapters.cli.print_sheet",
    "report": "station.adapters.cli.report",
    "crop": "station.adapters.cli.crop",
    "capture": "station.adapters.cli.capture",
    "check": "station.adapters.cli.check",
    "server-config": "station.adapters.cli.server_config",
    "queue": "station.adapters.cli.queue",
    "export": "station.adapters.cli.export",
    "verify": "station.adapters.cli.verify",
    "audit": "station.adapters.cli.audit",
    "fees": "station.adapters.cli.fees",
}


def _common_options() -> argparse.ArgumentParser:
    # SUPPRESS keeps a sub-command's unset option from overwriting the same option given before it.
    # The actions are shared with every sub-parser: never set_defaults() on them (parse_args fills them).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", default=argparse.SUPPRESS,
                        help="data folder (default: $PHOTO_STATION_HOME or the per-user data dir)")
    common.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS,
                        help="language of messages: zh (default) or en")
    return common


def _modules_for(argv: list[str]) -> list[str]:
    """The module of the first command named in argv; every module when none is (for --help)."""
    named = next((a for a in argv if a in COMMANDS), None)
    if named is not None:
        return [COMMANDS[named]]
    return list(COMMANDS.values()) if any(a in ("-h", "--help") for a in argv) else []


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="photo-station",
        description="毕业生图像采集工作站 / graduation photo capture station. "
        "Without a command it opens the station window.",
        parents=[common],
    )
    parser.add_argument("--demo", action="store_true",
                        help="open the station with the bundled sample roster and a file-backed camera")
    parser.add_argument("--camera", default=None,
                        help="camera index, or a folder of images / a video file to play as the camera")
    parser.add_argument("--operator", default=None, help="photographer's name (asked at start when not given)")
    parser.add_argument("--idcard-reader", default=None, metavar="PORT",
                        help="a resident-ID-card chip reader on this serial port (COM3, /dev/ttyUSB0), or 'auto' to find it")
    parser.add_argument("--tether", default=None, metavar="DIR",
                        help="a tethered camera's folder (EOS Utility, digiCamControl, gphoto2): each new JPEG there is "
                             "the shutter frame for the student on the card")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _modules_for(sys.argv[1:] if argv is None else argv):
        importlib.import_module(name).register(subparsers, common)
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parsed arguments with --home and --lang always present (None when not given)."""
    args = build_parser(argv).parse_args(argv)
    for name in ("home", "lang"):
        if not hasattr(args, name):
            setattr(args, name, None)
    return args


def run(args: argparse.Namespace) -> int:
    """Run a parsed sub-command; failures the user can act on are printed, not raised."""
    from station.errors import StationError

    try:
        return int(args.func(args) or 0)
    except StationError as exc:
        print(exc.text.get(args.lang), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
