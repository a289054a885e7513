"""Where data lives: --home beats $PHOTO_STATION_HOME beats the per-user folder."""

from pathlib import Path

import pytest

from station.db import open_db
from station.paths import data_home
from tests.cli import run_cli


def test_home_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHOTO_STATION_HOME", str(tmp_path / "env"))
    assert data_home() == (tmp_path / "env").resolve() and (tmp_path / "env").is_dir()
    assert data_home(tmp_path / "flag") == (tmp_path / "flag").resolve()
    monkeypatch.delenv("PHOTO_STATION_HOME")
    for var in ("XDG_DATA_HOME", "APPDATA", "LOCALAPPDATA"):  # keep the per-user folder inside tmp
        monkeypatch.setenv(var, str(tmp_path / "user"))
    default = data_home()
    assert default.name == "PhotoStation" and default.is_dir()


def test_every_commit_is_synced(tmp_path: Path) -> None:
    db = open_db(tmp_path / "station.db")
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_home_that_cannot_be_made_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "usb"  # a file where the folder should be: refused even to root, unlike permissions
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_cli("--lang", "en", "lookup", "2021010101", home=blocker / "PhotoStation")
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2 and "Cannot use the data folder" in err and "usb" in err
    assert "Traceback" not in err


def test_an_empty_home_is_refused_not_taken_for_the_real_data_folder(home: Path) -> None:  # env set: safe unfixed
    result = run_cli("--lang", "en", "--home", "", "lookup", "2021010101")
    assert result.returncode == 2 and "--home names no folder" in result.stderr.decode()
