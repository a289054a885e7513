"""`photo-station` against a hostile user: a console that is not UTF-8, a folder with nothing to check."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import cv2
import numpy as np

from tests.cli import SCRIPT, json_lines, run_cli


def _black_png(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), np.zeros((8, 8, 3), np.uint8))
    return path


def test_a_gbk_console_gets_the_readable_table_and_utf8_json_without_a_traceback(home: Path, tmp_path: Path) -> None:
    """A Chinese Windows writes a redirected console in GBK, which has no ✗: the table is printed with ? instead
    of a traceback after the first image, and the JSON lines stay UTF-8 (Chinese paths intact)."""
    image = _black_png(tmp_path / "照片" / "学生 1.png")
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    table = subprocess.run([str(SCRIPT), "check", str(image), "--home", str(home)], capture_output=True, env=env,
                           timeout=120)
    assert table.returncode == 0 and b"Traceback" not in table.stderr, table.stderr.decode("gbk", "replace")
    text = table.stdout.decode("gbk")
    assert "未检测到人脸" in text and "? 人脸数量" in text
    lines = subprocess.run([str(SCRIPT), "check", "--json", str(image), "--home", str(home)], capture_output=True,
                           env=env, timeout=120)
    assert [line["path"] for line in json_lines(lines)] == [str(image)]


NO_IMAGES = "no images in this folder (.jpg, .png, .bmp, .webp, .tif, .gif)"


def test_a_folder_without_images_is_a_line_with_an_error_not_silence(home: Path, tmp_path: Path) -> None:
    empty, named_like_a_photo = tmp_path / "空文件夹", tmp_path / "folder.jpg"
    empty.mkdir()
    named_like_a_photo.mkdir()
    (empty / "notes.txt").write_text("no photos here", encoding="utf-8")
    result = run_cli("check", "--json", str(empty), str(named_like_a_photo), home=home)
    assert result.returncode == 0, result.stderr.decode()
    assert json_lines(result) == [{"path": str(empty), "error": NO_IMAGES},
                                  {"path": str(named_like_a_photo), "error": NO_IMAGES}]
    said = run_cli("check", str(empty), home=home).stdout.decode()
    assert said.strip() == f"{empty}: 文件夹中没有图像（.jpg、.png、.bmp、.webp、.tif、.gif）"


def test_with_json_a_command_that_cannot_run_says_why_on_stdout_once(home: Path, tmp_path: Path) -> None:
    """A script reads stdout: an error is one JSON object there (and the message on stderr), never an empty line;
    the commands with a named error keep it, exactly once."""
    report = run_cli("report", "--out", str(tmp_path / "报表.txt"), "--json", home=home)
    assert report.returncode == 2 and b"Traceback" not in report.stderr
    assert json_lines(report) == [{"error": "failed", "message": report.stderr.decode().strip()}]
    assert "报表文件名须以 .xlsx 或 .pdf 结尾" in report.stderr.decode()
    roster = run_cli("roster", "import", str(tmp_path), "--json", home=home)
    assert roster.returncode == 2
    assert [line["error"] for line in json_lines(roster)] == ["unreadable_roster"]


def _fill(disk: Path) -> None:
    with open(disk / "filler", "wb", buffering=0) as filler:  # unbuffered: closing has nothing left to write
        try:
            while filler.write(b"\0" * 4096):
                pass
        except OSError:  # ENOSPC: the disk is full
            pass


def test_a_full_disk_names_the_file_not_written_and_does_not_say_a_photo_was_lost(home: Path, tiny_disk: Path) -> None:
    """A fees report or an audit export onto a full stick: the refusal names that file; "照片未保存" (the shutter's
    message) would tell the registrar a photo was lost when every photo is safe on the laptop."""
    _fill(tiny_disk)
    out = tiny_disk / "收费.xlsx"
    result = run_cli("fees", "report", "--out", str(out), home=home)
    said = result.stderr.decode()
    assert result.returncode == 3 and "Traceback" not in said, said
    assert "磁盘空间不足" in said and f"{out} 没有写入" in said and "照片未保存" not in said
    assert not out.exists()


def test_a_database_held_by_another_program_is_busy_not_damaged(home: Path, monkeypatch, capsys) -> None:
    """Past the busy timeout the command says the database is busy and to try again, not that it cannot be
    opened and the whole data folder must go to support."""
    import sqlite3

    import station.db
    from station.context import Station
    from station.adapters.cli import parse_args, run
    from station.paths import database_path

    Station.open(home).close()
    holder = sqlite3.connect(database_path(home), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # the window, or another command, in the middle of a long write
    monkeypatch.setattr(station.db, "BUSY_TIMEOUT_MS", 100)
    try:
        code = run(parse_args(["lookup", "DEMO0001", "--json", "--home", str(home)]))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    out, err = capsys.readouterr()
    assert code == 2 and "正被另一个程序占用" in err and "联系技术支持" not in err
    assert [json.loads(line) for line in out.splitlines()] == [{"error": "failed", "message": err.strip()}]


def test_ctrl_c_in_a_long_check_stops_it_with_whole_lines_and_says_so(home: Path, tmp_path: Path) -> None:
    import signal

    folder = tmp_path / "班级"
    for n in range(40):
        _black_png(folder / f"{n:02d}.png")
    run = subprocess.Popen([str(SCRIPT), "check", "--json", str(folder), "--home", str(home)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    first = run.stdout.readline()  # the run is under way
    run.send_signal(signal.SIGINT)
    rest, err = run.communicate(timeout=60)
    assert run.returncode == 130 and b"Traceback" not in err, err.decode()
    assert "已中断" in err.decode()
    lines = [json.loads(line) for line in (first + rest).decode().splitlines()]
    assert 1 <= len(lines) < 40 and all(line["verdict"] == "no_face" for line in lines)


def test_a_data_folder_on_a_full_disk_is_said_to_be_full_not_damaged(tiny_disk: Path) -> None:
    """SQLite answers "disk I/O error" when its journal cannot grow: that is a full disk, not a database for support."""
    from station.context import Station

    home = tiny_disk / "home"
    Station.open(home).close()
    _fill(tiny_disk)
    result = run_cli("roster", "import", "名单.csv", "--json", home=home)
    said = result.stderr.decode()
    assert result.returncode == 3 and "Traceback" not in said, said
    assert "磁盘空间不足" in said and "station.db 没有写入" in said and "联系技术支持" not in said


FORMULAS = ["=1+2", '=HYPERLINK("http://x.cn","点我")', "=cmd|' /C calc'!A0", "@SUM(1)"]


def test_names_that_look_like_formulas_stay_text_in_the_reports_people_open(home: Path, tmp_path: Path) -> None:
    """A roster name or an operator typed as =HYPERLINK(...) or the =cmd|... trick is shown as that text in the day
    report and the audit export, never run by Excel or WPS."""
    from openpyxl import load_workbook

    roster = tmp_path / "名单.csv"
    rows = "".join(f'20217700{n},"{name.replace(chr(34), chr(34) * 2)}",公式班\n' for n, name in enumerate(FORMULAS))
    roster.write_text("学号,姓名,班级\n" + rows, encoding="utf-8")
    assert run_cli("roster", "import", str(roster), home=home).returncode == 0
    assert run_cli("fees", "pay", "202177000", "--method", "cash", "--operator", "=1+2", home=home).returncode == 0
    report, audit = tmp_path / "报表.xlsx", tmp_path / "审计.csv"
    assert run_cli("report", "--out", str(report), home=home).returncode == 0
    assert run_cli("audit", "--export", str(audit), home=home).returncode == 0
    book = load_workbook(report)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert set(FORMULAS) <= {c.value for c in cells}
    exported = audit.read_text(encoding="utf-8-sig")
    assert ",'=1+2," in exported and ",=1+2," not in exported


def _calibrate(home: Path):
    from station import ASSETS_DIR

    return run_cli("check", "--calibrate-backdrop", str(ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"), home=home)


def test_a_backdrop_calibration_that_cannot_be_saved_is_said(home: Path) -> None:
    (home / "calibration").write_text("a file where the calibration folder goes", encoding="utf-8")
    result = _calibrate(home)
    said = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in said and "无法保存背景标定" in said, said


def test_a_backdrop_calibration_on_a_full_disk_keeps_the_morning_s_whole(tiny_disk: Path) -> None:
    home = tiny_disk / "home"
    assert _calibrate(home).returncode == 0
    morning = (home / "calibration" / "backdrop.toml").read_bytes()
    _fill(tiny_disk)
    result = _calibrate(home)
    said = result.stderr.decode()
    assert result.returncode == 3 and "Traceback" not in said and "磁盘空间不足" in said, said
    assert (home / "calibration" / "backdrop.toml").read_bytes() == morning


def test_a_number_of_workers_no_machine_has_is_refused_before_any_model_loads(home: Path, tmp_path: Path) -> None:
    """Each worker of check and verify loads its own models (a few hundred MB): --workers 100, a typo or a number
    meant for a server, would fill the memory on a folder of photos; 0 or a word is no number of workers."""
    image = _black_png(tmp_path / "a.png")
    for command in (["check", str(image)], ["verify", str(image), str(image)]):
        for bad in ("100", "0", "two"):
            refused = run_cli(*command, "--workers", bad, home=home)
            said = refused.stderr.decode("utf-8")
            assert refused.returncode == 2 and refused.stdout == b"", said
            assert "1–16" in said and "from 1 to 16" in said and "Traceback" not in said
    assert run_cli("check", str(image), "--workers", "16", home=home).returncode == 0


def test_an_empty_path_from_an_unset_variable_is_refused_not_taken_for_the_current_folder(home: Path,
                                                                                          tmp_path: Path) -> None:
    """`check "$PHOTOS"` or `roster photos "$PHOTOS"` with the variable unset would read every photo where the
    command was started (and seal those as reference photos): an empty path is an argument error. So it is for
    every file a command reads: `verify "$A" b.jpg` compared "." ('a: this is a folder', exit 0), and `--pairs`,
    `--policy`, `--calibrate-backdrop` and `--roster` named "." in their messages."""
    image = _black_png(tmp_path / "2021001.png")
    env = {**os.environ, "PHOTO_STATION_PASSPHRASE": "correct horse battery staple"}
    for command in (["check", " ", "--json"], ["roster", "photos", "", "--json"], ["roster", "import", ""],
                    ["verify", "", str(image), "--json"], ["verify", "--pairs", "", "--json"],
                    ["check", str(image), "--policy", "", "--json"], ["check", "--calibrate-backdrop", "", "--json"],
                    ["roster", "photos", str(tmp_path), "--roster", "", "--json"]):
        refused = subprocess.run([str(SCRIPT), *command, "--home", str(home)], cwd=tmp_path, env=env,
                                 capture_output=True, timeout=60)
        said = refused.stderr.decode("utf-8")
        assert refused.returncode == 2 and [set(line) for line in json_lines(refused)] in ([], [{"error", "message"}])
        assert "文件或文件夹参数是空的" in said and "Traceback" not in said


def test_with_json_an_argument_argparse_refuses_is_said_on_stdout_too(home: Path, tmp_path: Path) -> None:
    """A script reading --json output gets the reason as one JSON object (as for a file it cannot read), not an
    empty stdout; the usage and the error stay on stderr, exit 2."""
    image = _black_png(tmp_path / "a.png")
    for command in (["verify", str(image), str(image), "--workers", "0"], ["check", str(image), "--bogus"],
                    ["roster", "import"]):
        refused = run_cli(*command, "--json", home=home)
        said = refused.stderr.decode("utf-8")
        assert refused.returncode == 2 and said.startswith("用法：") and "Traceback" not in said  # the station's language
        (line,) = json_lines(refused)
        assert line["error"] == "failed" and line["message"] in said
