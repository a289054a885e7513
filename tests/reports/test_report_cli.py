"""`photo-station report` as a user runs it, in the station's time zone."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from tests.cli import run_cli
from tests.reports.test_day_report import day  # noqa: F401  (the fixture)


def test_report_on_the_command_line(day, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    station, a, _ = day
    home = station.home
    station.close()
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    out = tmp_path / "报表" / "day.xlsx"
    result = run_cli("report", "--day", "2026-06-01", "--out", str(out), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    answer = json.loads(result.stdout)
    assert answer["photos"] == 4 and answer["median_to_photo_s"] == 75.0
    assert answer["per_hour"] == {"DEMO-01": {"09": 2, "10": 1}, "S02": {"10": 1}}
    first = answer["classes"][0]
    assert (first["class"], first["photographed"], first["absent"], first["not_yet"]) == ("演示2101", 3, 1, 4)
    assert first["missing"][0] == {"student_no": a[3].student_no, "name": a[3].name, "absent": True}
    assert load_workbook(out)["班级汇总"]["C2"].value == 3

    result = run_cli("--lang", "en", "report", "--day", "June 1", "--out", str(tmp_path / "r.xlsx"), home=home)
    assert result.returncode == 2 and "Cannot read the day 'June 1'" in result.stderr.decode()
    result = run_cli("--lang", "en", "report", "--class", "演示2101", "--out", str(tmp_path / "r.xlsx"), home=home)
    assert result.returncode == 0 and "1 class, " in result.stdout.decode()
