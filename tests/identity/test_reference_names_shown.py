"""A refused reference photo in a sub-folder is named as the system shows it: 一班\\2021010101.jpg on Windows, as
Explorer writes it, where every report said 一班/2021010101.jpg. --json keeps "/" on every system (a zip's own
separator), so what a script reads does not change with the machine it ran on.

Windows' separator is given as station.identity.references.SEPARATOR (os.sep there); the station's command, the
server's and the window's table are the real ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from station.adapters.demo import DEMO_REFERENCES
from station.adapters.server import cli as server_cli
from station.i18n import Text
from station.identity import references
from station.identity.references import ReferenceReport, Refused
from tests.roster_kit import linked_station_with_roster
from tests.upload.kit import new_server
from ui.launcher import main as station_main
from ui.reference_dialogs import ReferenceImportDialog

PASSPHRASE = "correct horse battery staple"
LIN = "2021010101"  # the demo's enrolment photo of 林晓雯
ROSTER = f"学号,姓名,班级\n{LIN},林晓雯,计科2101\n"


def _classes(folder: Path) -> Path:
    """Her photo in 一班 and again in 二班 (the second refused as a duplicate, naming the first), and one of nobody."""
    for name in ("一班", "二班"):
        (folder / name).mkdir(parents=True)
        (folder / name / f"{LIN}.jpg").write_bytes((DEMO_REFERENCES / f"{LIN}.jpg").read_bytes())
    (folder / "一班" / "9999999.jpg").write_bytes((DEMO_REFERENCES / f"{LIN}.jpg").read_bytes())
    return folder


def _said_and_json(run, capsys: pytest.CaptureFixture[str]) -> tuple[str, dict]:
    assert run(json_out=False) == 0
    said = capsys.readouterr().out
    assert run(json_out=True) == 0
    return said, json.loads(capsys.readouterr().out)


def _check(said: str, report: dict) -> None:
    assert "  一班\\9999999.jpg: " in said and "  二班\\2021010101.jpg (2021010101): " in said, said
    assert "（一班\\2021010101.jpg）" in said and "/" not in said.split("\n", 1)[1], said
    assert sorted(r["file"] for r in report["rejected"]) == ["一班/9999999.jpg", "二班/2021010101.jpg"]


def test_the_station_command_names_a_sub_folders_file_as_windows_shows_it(tmp_path: Path, capsys,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(references, "SEPARATOR", "\\")
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", PASSPHRASE)
    linked_station_with_roster(tmp_path / "home", tmp_path, ROSTER.encode()).close()
    photos = _classes(tmp_path / "照片")

    def run(json_out: bool) -> int:
        return station_main(["roster", "photos", str(photos), "--home", str(tmp_path / "home"),
                             *(["--json"] if json_out else [])])

    _check(*_said_and_json(run, capsys))


def test_the_servers_import_names_a_sub_folders_file_as_windows_shows_it(tmp_path: Path, capsys,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(references, "SEPARATOR", "\\")
    server = new_server(tmp_path)
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert server_cli.main(["--home", str(server.home), "import-roster", str(roster)]) == 0
    capsys.readouterr()
    photos = _classes(tmp_path / "照片")

    def run(json_out: bool) -> int:
        return server_cli.main(["--home", str(server.home), "import-references", str(photos),
                                *(["--json"] if json_out else [])])

    _check(*_said_and_json(run, capsys))


def test_the_windows_table_names_a_sub_folders_file_as_windows_shows_it(qtbot,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(references, "SEPARATOR", "\\")
    dialog = ReferenceImportDialog(None, Path("照片"))  # the session is asked only by start()
    qtbot.addWidget(dialog)
    refused = Refused("一班/9999999.jpg", Text("不在名单", "not on the roster"), "no_student")
    dialog._done(ReferenceReport(rejected=[refused]))
    assert dialog.table.item(0, 0).text() == "一班\\9999999.jpg"


def test_elsewhere_the_names_keep_their_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(references, "SEPARATOR", "/")
    assert Refused("一班/9999999.jpg", Text("", ""), "no_student").shown == "一班/9999999.jpg"
