"""`photo-station roster photos PATH [--json] [--roster FILE]`: each student's reference photo from a folder or zip;
`photo-station roster photos --from-server [--json]`: the ones the receiving server holds that this station lacks.

A file belongs to the student whose student number or ID number is its name, or whom the roster's 照片 column
(`--roster`: the school's .xlsx/.csv with 学号 and 照片 columns) names it for. Photos from the server go through
the same checks.

With --json one object: {"imported", "updated", "unchanged", "rejected": [{"file", "student_no", "code",
"reason"}]}, "file" naming a sub-folder's file with "/" on every system (the lines printed without --json: as the
system shows it, 一班\\2021001.jpg on Windows). Exit 0 when the folder or zip was read (refused photos are in the
report); exit 2 when it cannot be read at all or holds no photo, the server cannot be reached, or photos cannot be
sealed yet (no station key, no server key), with --json also {"error": "unreadable_photos", "message"} on stdout.
"""

from __future__ import annotations

import argparse

from station.adapters.cli.output import print_json
from station.adapters.cli.passphrase import cli_station_key
from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.identity.references import check_source, import_reference_photos
from station.upload.references import fetch_references


PATH_OR_SERVER = Text("请给出照片文件夹或 zip，或 --from-server（二者择一）",
                      "give a folder or zip of photos, or --from-server (one of the two)")


def import_photos(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    try:
        if (args.path is None) == (not args.from_server) or (args.from_server and args.roster is not None):
            raise StationError(PATH_OR_SERVER)
        if args.from_server:
            report = fetch_references(station, cli_station_key(station).key)
        else:
            check_source(args.path)
            report = import_reference_photos(station, args.path, cli_station_key(station).key, roster=args.roster)
    except StationError as exc:
        raise StationError(exc.text, exc.exit_code, code="unreadable_photos") from exc
    if args.json:
        print_json(report.to_json(station.lang))
        return 0
    print(Text(f"新增 {report.imported} 张，更新 {report.updated} 张，未变 {report.unchanged} 张，拒绝 {len(report.rejected)} 张",
               f"{report.imported} added, {report.updated} updated, {report.unchanged} unchanged, "
               f"{len(report.rejected)} refused").get(station.lang))
    for refused in report.rejected:
        number = f" ({refused.student_no})" if refused.student_no else ""
        print(f"  {refused.shown}{number}: {refused.reason.get(station.lang)}")
    return 0
