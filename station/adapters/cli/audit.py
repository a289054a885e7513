"""`photo-station audit --verify [--json]` / `audit --export FILE.csv|.xlsx`: the operators' hash-chained log."""

from __future__ import annotations

import argparse

from station.adapters.cli import path_argument
from station.adapters.cli.output import print_json
from station.audit.export import export_audit
from station.audit.trail import Action, AuditTrail, default_operator, verify
from station.context import Station
from station.i18n import Text
from station.spreadsheet import check_table_path

EXPORTED = Text("已导出 {n} 条审计记录到 {path}", "{n:audit entry|audit entries} exported to {path}")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("audit", parents=[common],
                                   help="check the audit log's hash chain, or export it; exit 1 when it was tampered with")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--verify", action="store_true",
                      help="校验哈希链：完好时退出码 0，被破坏时 1（并指出第一条有问题的记录） / exit 0 intact, 1 "
                           "broken (naming the first bad entry)")
    what.add_argument("--export", type=path_argument, metavar="FILE",
                      help="导出到 FILE.csv 或 FILE.xlsx / FILE.csv or FILE.xlsx")
    parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    parser.add_argument("--operator", default=None,
                        help="导出人（记入操作记录） / who exports (recorded in the audit trail)")
    parser.set_defaults(func=_audit)


def _audit(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    if args.export is not None:
        check_table_path(args.export)
        count = export_audit(station.db, args.export, args.lang)
        AuditTrail(station, args.operator or default_operator(station)).record(Action.EXPORT, what="audit",
                                                                               path=str(args.export), entries=count)
        if args.json:
            print_json({"ok": True, "path": str(args.export), "entries": count})
        else:
            print(EXPORTED.format(n=count, path=args.export).get(args.lang))
        return 0
    result = verify(station.db)
    if args.json:
        print_json({"ok": result.ok, "entries": result.entries, "first_bad": result.first_bad,
                    "message": result.summary().get(args.lang)})
    else:
        print(result.summary().get(args.lang))
    return 0 if result.ok else 1
