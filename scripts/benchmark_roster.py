"""How long a university-sized roster takes to import, to re-import, and to refuse a shifted capture-code column.

A registrar imports a whole cohort (tens of thousands of graduates) and then corrected files; the re-import
checks every row against everyone already imported. Prints seconds for each step, through the real importer
and a real SQLite file.

  .venv/bin/python scripts/benchmark_roster.py --students 30000 --chain 4000
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.context import Station  # noqa: E402
from station.roster.idnumber import check_digit  # noqa: E402
from station.roster.importer import import_roster  # noqa: E402

HEADER = ["学号", "姓名", "班级", "身份证号", "采集码"]


def write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([HEADER, *rows])
    return path


def timed(station: Station, path: Path) -> tuple[float, str]:
    start = time.perf_counter()
    report = import_roster(station.db, path)
    summary = f"imported {report.imported}, updated {report.updated}, unchanged {report.unchanged}, " \
              f"rejected {len(report.rejected)}"
    return time.perf_counter() - start, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30000)
    parser.add_argument("--chain", type=int, default=4000, help="students in the shifted capture-code file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        # distinct ID numbers for up to 336,000 students: birth month, day and sequence number vary
        ids = [f"1101012003{i // 1000 % 12 + 1:02d}{i // 12000 % 28 + 1:02d}{i % 1000:03d}" for i in range(args.students)]
        cohort = [[f"2021{i:06d}", f"学生{i}", f"班{i // 50}", first17 + check_digit(first17), f"C{i:06d}"]
                  for i, first17 in enumerate(ids)]
        station = Station.open(root / "home")
        for label, path in (("first import", write(root / "cohort.csv", cohort)),
                            ("re-import, unchanged", root / "cohort.csv")):
            seconds, summary = timed(station, path)
            print(f"{label:28s} {len(cohort):6d} rows  {seconds:6.2f} s  ({summary})")
        shifted = [[row[0], row[1], row[2], "", cohort[i + 1][4] if i + 1 < args.chain else ""]
                   for i, row in enumerate(cohort[:args.chain])]
        seconds, summary = timed(station, write(root / "shifted.csv", shifted))
        print(f"{'shifted code column':28s} {len(shifted):6d} rows  {seconds:6.2f} s  ({summary})")
        station.close()


if __name__ == "__main__":
    main()
