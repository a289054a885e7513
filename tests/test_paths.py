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


def test_a_windows_variable_left_as_typed_is_the_folder_it_names(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """README names the data folder %LOCALAPPDATA%\\PhotoStation. cmd expands %NAME%; PowerShell, the terminal Windows
    10 and 11 open by default, hands `--home %LOCALAPPDATA%\\PhotoStation` over as typed, as a script's argument list
    does: the station opened a new, empty data folder named %LOCALAPPDATA% inside the current one (the roster seemed
    gone, and the day's photos went where nobody looks), and `report --out %USERPROFILE%\\Desktop\\日报.xlsx` wrote
    into a folder named %USERPROFILE%. A variable that is set stands for its value, as ~ already did."""
    cwd, local = tmp_path / "cwd", tmp_path / "本地 数据"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("PHOTO_TEST_LOCALAPPDATA", str(local))
    roster = Path(__file__).parents[1] / "assets" / "demo" / "roster.csv"
    imported = run_cli("--lang", "en", "--home", "%PHOTO_TEST_LOCALAPPDATA%/PhotoStation", "roster", "import",
                       str(roster))
    assert imported.returncode == 0, imported.stderr.decode()
    assert (local / "PhotoStation" / "station.db").is_file()
    written = run_cli("--lang", "en", "--home", str(local / "PhotoStation"), "report",
                      "--out", "%PHOTO_TEST_LOCALAPPDATA%/日报.xlsx")
    assert written.returncode == 0, written.stderr.decode()
    assert (local / "日报.xlsx").is_file()
    assert list(cwd.iterdir()) == []
    monkeypatch.setenv("PHOTO_STATION_HOME", "%PHOTO_TEST_LOCALAPPDATA%/PhotoStation")
    assert data_home() == (local / "PhotoStation").resolve()
    assert data_home("%NOT_SET_ANYWHERE%/x") == (cwd / "%NOT_SET_ANYWHERE%" / "x").resolve()  # a name, as before


def test_a_folder_really_named_like_a_variable_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A station that already keeps its data in a folder named %LOCALAPPDATA% (made so before) opens it again."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PHOTO_TEST_LOCALAPPDATA", str(tmp_path / "elsewhere"))
    (tmp_path / "%PHOTO_TEST_LOCALAPPDATA%" / "PhotoStation").mkdir(parents=True)
    assert data_home("%PHOTO_TEST_LOCALAPPDATA%/PhotoStation") == (
        tmp_path / "%PHOTO_TEST_LOCALAPPDATA%" / "PhotoStation").resolve()
