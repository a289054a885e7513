"""`photo-station print-sheet` as a user runs it: JSON with who was printed and who was not, exit 1 when anyone
was left out, a message (never a traceback) for a wrong call."""

from __future__ import annotations

import json
from pathlib import Path

from station.adapters.demo import DEMO_PASSPHRASE
from station.roster.store import students_of_class
from station.storage.station_key import ENV_PASSPHRASE
from tests.cli import run_cli
from tests.printing.pdf_measure import measure_pdf


def test_print_sheet_for_a_class_on_the_command_line(store, chsi_jpeg, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, DEMO_PASSPHRASE)
    students = students_of_class(store.station.db, "演示2102")
    store.save(students[0].student_no, chsi_jpeg, b"original", "王老师")
    home = store.station.home
    store.station.close()
    out = tmp_path / "prints" / "class.pdf"

    result = run_cli("print-sheet", "--class", "演示2102", "--out", str(out), "--layout", "a4", "--json", home=home)
    assert result.returncode == 1, result.stderr.decode()
    answer = json.loads(result.stdout)
    assert answer["pages"] == 1 and [p["student_no"] for p in answer["printed"]] == [students[0].student_no]
    assert answer["printed"][0]["dpi"] >= 300
    assert [m["student_no"] for m in answer["missing"]] == [s.student_no for s in students[1:]]
    assert {m["reason"] for m in answer["missing"]} == {"还没有已确认的照片"}
    assert len(measure_pdf(out)[0].images) == 8

    result = run_cli("--lang", "en", "print-sheet", students[0].student_no, "--out", str(tmp_path / "one.pdf"), home=home)
    assert result.returncode == 0 and "1 student, 1 page (" in result.stdout.decode()


def test_print_sheet_needs_a_class_or_numbers_but_not_both(home: Path) -> None:
    result = run_cli("--lang", "en", "print-sheet", "--class", "演示2101", "2021010101", "--out", "x.pdf", home=home)
    assert result.returncode == 2 and "Traceback" not in result.stderr.decode()
    assert "Give --class CLASS or student numbers" in result.stderr.decode()
