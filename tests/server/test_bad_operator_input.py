"""Bad values typed by an operator get a clear bilingual message and an exit code, never a traceback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.localtime import local_time
from station.storage.captures import CaptureStore
from station.storage.envelope import public_key_to_b64
from station.storage import outbox
from station.upload.package import MANIFEST, write_package
from tests.cli import json_lines, run_cli
from tests.upload.kit import PASSPHRASE, new_server

BIN = Path(sys.executable).parent
BAD_URLS = ["http://[::1", "http://xn--invalid-.example", "http://" + "a" * 70_000, "localhost:8420",
            "http://host:99999", "http://user:pw@host/", "ftp://host"]


def _server_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "photo-station-server"), "--lang", "en", *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PHOTO_STATION_PASSPHRASE": PASSPHRASE})


def _refused(result: subprocess.CompletedProcess, *words: str, code: int = 2) -> str:
    stderr = result.stderr if isinstance(result.stderr, str) else result.stderr.decode()
    assert result.returncode == code and "Traceback" not in stderr, stderr
    for word in words:
        assert word in stderr, stderr
    return stderr


# --- photo-station server-config ------------------------------------------------------------------

def test_a_public_key_that_is_neither_key_nor_key_file_is_refused(home: Path, tmp_path: Path) -> None:
    binary = tmp_path / "program"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    for value, reason in [("A" * 400, "the path or file name is too long"), (str(binary), "does not hold a key"),
                          (str(tmp_path), "not a regular file"), (str(tmp_path / "none.txt"), "no such file")]:
        _refused(run_cli("--lang", "en", "server-config", "--public-key", value, home=home),
                 "neither a valid server public key", reason)
    assert json_lines(run_cli("server-config", "--json", home=home))[0]["public_key"] == ""


def test_a_key_file_saved_as_utf16_by_notepad_is_read(home: Path, tmp_path: Path) -> None:
    key = public_key_to_b64(X25519PrivateKey.generate().public_key())
    saved = tmp_path / "server_public_key.txt"
    saved.write_text(key + "\r\n", encoding="utf-16")
    result = run_cli("server-config", "--public-key", str(saved), "--json", home=home)
    assert result.returncode == 0, result.stderr.decode()
    assert json_lines(result)[0]["public_key"] == key


@pytest.mark.parametrize("url", BAD_URLS, ids=lambda url: url[:30])
def test_server_config_refuses_a_url_the_uploader_cannot_use(home: Path, url: str) -> None:
    _refused(run_cli("--lang", "en", "server-config", "--url", url, home=home), "The server URL is not valid")
    assert json_lines(run_cli("server-config", "--json", home=home))[0]["url"] == ""


def test_server_config_keeps_a_good_url(home: Path) -> None:
    result = run_cli("server-config", "--url", "https://bücher.example:8443/photos/", "--json", home=home)
    assert result.returncode == 0 and json_lines(result)[0]["url"] == "https://bücher.example:8443/photos"


@pytest.mark.parametrize("url", BAD_URLS[:3], ids=lambda url: url[:30])
def test_a_bad_url_kept_by_an_older_version_is_reported_not_raised(station, key, home: Path, url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    CaptureStore(station, key).save("20200001", b"c" * 100, b"o", operator="op")
    with station.db.conn:  # as a database from before URLs were checked holds it
        station.db.execute("UPDATE server_link SET url = ?", [url])
    monkeypatch.setenv("PHOTO_STATION_PASSPHRASE", PASSPHRASE)
    result = run_cli("--lang", "en", "queue", "--send", "--reconcile", "--json", home=home)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()
    shown = json_lines(result)[0]
    assert shown["waiting"] == 1 and "The server URL is not valid" in shown["last_error"]


# --- photo-station-server -------------------------------------------------------------------------

def test_init_on_a_file_is_refused(tmp_path: Path) -> None:
    a_file = tmp_path / "server"
    a_file.write_text("not a folder")
    _refused(_server_cli("--home", str(a_file), "init"), str(a_file), "is a file, not a folder")
    _refused(_server_cli("--home", str(a_file / "sub"), "init"), str(a_file / "sub"))


def test_export_chsi_to_a_file_is_refused(tmp_path: Path) -> None:
    server = new_server(tmp_path)
    a_file = tmp_path / "batch"
    a_file.write_text("not a folder")
    for target in (a_file, a_file / "sub"):
        _refused(_server_cli("--home", str(server.home), "export-chsi", "--to", str(target)), str(target))
    _refused(_server_cli("--home", str(server.home), "export-chsi", "--to", ""), "the folder is empty")  # not cwd


@pytest.mark.parametrize("port", ["99999", "-1", "0", "http"])
def test_serve_refuses_a_port_out_of_range(tmp_path: Path, port: str) -> None:
    _refused(_server_cli("--home", str(tmp_path), "serve", "--port", port), "from 1 to 65535", port)


@pytest.mark.parametrize("station_id", ["", "   ", "S 01"])
def test_add_station_refuses_a_blank_id(tmp_path: Path, station_id: str) -> None:
    server = new_server(tmp_path)
    _refused(_server_cli("--home", str(server.home), "add-station", station_id), "station id", "is not valid")
    assert server.store.rows("SELECT station_id FROM stations", []) == []


def test_a_station_added_twice_is_told_to_take_a_new_id_not_a_second_computer_on_one_link(tmp_path: Path) -> None:
    """A registrar who lost the printed token (or wants a second laptop) adds the same id again: what to do instead,
    and never one link on two computers (their photos arrive, but the second one's audit log is never kept)."""
    server = new_server(tmp_path)
    added = _server_cli("--home", str(server.home), "add-station", "S01", "--url", "https://10.0.0.5:8420")
    assert added.returncode == 0 and "into this one station's Upload → Connect to the server…" in added.stdout
    _refused(_server_cli("--home", str(server.home), "add-station", "S01"), "already exists", "add a new id (such as "
             "S01-2)", "never run one station's link command on two computers")


def test_import_tries_every_package_and_names_the_damaged_ones(station, key, server, tmp_path: Path) -> None:
    CaptureStore(station, key).save("20200001", b"c" * 100, b"o", operator="op")
    tampered, broken, good = (write_package(station, key, tmp_path / name).folder for name in ("a", "b", "c"))
    blob = bytearray((tampered / MANIFEST).read_bytes())
    blob[-5] ^= 1
    (tampered / MANIFEST).write_bytes(bytes(blob))
    (broken / MANIFEST).unlink()
    (broken / MANIFEST).mkdir()  # read_bytes() would raise IsADirectoryError
    result = _server_cli("--home", str(server.context.home), "import", str(tampered), str(broken), str(good))
    stderr = _refused(result, str(tampered), str(broken), "altered", "Cannot read manifest.pse", code=1)
    assert "stored 1" in result.stdout, result.stdout + stderr
    assert [u.student_no for u in server.context.store.uploads()] == ["20200001"]
    shutil.rmtree(tampered)
    shutil.rmtree(broken)
    # as Windows' cmd and PowerShell hand a wildcard over: unexpanded (E:\\photo-station-*)
    again = _server_cli("--home", str(server.context.home), "import", str(good.parent / "photo-station-*"))
    assert again.returncode == 0 and "duplicate 1" in again.stdout, again.stdout + again.stderr
    assert outbox.queue_health(station.db).waiting == 1  # the station still sends it online, as before


def test_import_of_a_name_too_long_or_a_link_loop_is_no_package_not_a_traceback(tmp_path: Path) -> None:
    loop = tmp_path / "usb"
    try:
        os.symlink(loop, loop)
    except OSError:  # Windows without the symlink privilege: the long name alone
        loop = tmp_path / "missing"
    result = _server_cli("--home", str(new_server(tmp_path).home), "import", "x" * 300, str(loop))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "no package found" in result.stderr


def test_a_server_folder_named_too_long_is_not_initialised_not_a_traceback(tmp_path: Path) -> None:
    result = _server_cli("--home", str(tmp_path / ("x" * 300)), "import-roster", str(tmp_path / "名单.csv"))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "is not initialised" in result.stderr


def test_server_config_speaks_to_a_person_by_default(home: Path) -> None:
    empty = run_cli("server-config", home=home).stdout.decode()
    assert "工作站编号：未设置" in empty and "设置不完整" in empty and "{" not in empty
    key = public_key_to_b64(X25519PrivateKey.generate().public_key())
    saved = run_cli("server-config", "--station-id", "S01", "--url", "https://192.168.1.10:8420", "--token", "t0k",
                    "--public-key", key, "--server-cert-sha256", "ab" * 32, home=home).stdout.decode()
    assert "已保存服务器连接设置" in saved and "服务器地址：https://192.168.1.10:8420" in saved
    assert "令牌：已设置" in saved and "设置完整" in saved and "t0k" not in saved  # the token itself is never printed
    stored = json_lines(run_cli("server-config", "--json", home=home))[0]["updated_at"]  # kept in UTC, for scripts
    assert f"最后修改：{local_time(stored)}\n" in saved and "+00:00" not in saved  # read by a person on the laptop


def test_the_placeholder_address_add_station_prints_without_url_is_refused(home: Path) -> None:
    result = run_cli("server-config", "--url", "https://SERVER:8420", home=home)
    assert result.returncode == 2 and "SERVER 只是占位" in result.stderr.decode()
    assert json_lines(run_cli("server-config", "--json", home=home))[0]["url"] == ""


def test_serve_on_a_port_in_use_says_so_before_printing_the_page_address(tmp_path: Path, capsys) -> None:
    """A second serve (the first left running in another window) printed the page's address as if it were up, then
    stopped on uvicorn's English 'address already in use'."""
    from station.adapters.server import cli

    server = new_server(tmp_path)
    with socket.socket() as first:
        first.bind(("127.0.0.1", 0))
        first.listen()
        port = first.getsockname()[1]
        code = cli.main(["--home", str(server.home), "serve", "--host", "127.0.0.1", "--port", str(port)])
    said = capsys.readouterr()
    assert code == 2 and f"端口 {port} 已被占用：接收服务器可能已在另一个窗口运行" in said.err
    assert "登记页面" not in said.out


def test_a_refused_roster_row_names_its_sheet_and_whom_as_the_station_does(tmp_path: Path) -> None:
    """A workbook of a sheet per class repeats row numbers: the server said '第 3 行 / row 3 2022010102' for a row of
    one sheet and '第 3 行 / row 3 : 缺少必填项：学号' for another's, which sheet and whom unsaid (s32 registrar walk);
    the station's `roster import` names both."""
    from openpyxl import Workbook

    book = Workbook()
    for n, sheet_name in enumerate(("计算机2101", "软件2102")):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = sheet_name
        sheet.append(["学号", "姓名", "班级", "身份证号"])
        sheet.append([f"202201010{n}", "张三", sheet_name, ""])
    book["计算机2101"].append(["2022010102", "李四", "计算机2101", "110105200305059010"])  # a wrong check digit
    book["软件2102"].append(["", "赵六", "软件2102", ""])  # no student number
    roster = tmp_path / "名单.xlsx"
    book.save(roster)
    server = tmp_path / "srv"
    assert _server_cli("--home", str(server), "init").returncode == 0
    said = _server_cli("--home", str(server), "import-roster", str(roster)).stdout
    assert "  sheet '计算机2101' row 3 2022010102 李四: ID number check digit is wrong" in said, said
    assert "  sheet '软件2102' row 3 赵六: Missing required field: student number" in said, said
    chinese = _server_cli("--home", str(server), "--lang", "zh", "import-roster", str(roster)).stdout
    assert "  工作表“软件2102”第 3 行 赵六: 缺少必填项：学号" in chinese, chinese


def test_a_package_imported_into_another_server_folder_says_to_check_the_folder(station, key, server,
                                                                                tmp_path: Path) -> None:
    """A stick whose files are whole, imported with --home naming another server folder (a second one made by
    mistake), was said only as 导出包清单无法解开或已被篡改：…或是用另一把钥匙加密的: it read as a damaged stick
    (s32 registrar walk)."""
    CaptureStore(station, key).save("20200001", b"c" * 100, b"o", operator="op")
    package = write_package(station, key, tmp_path / "usb").folder
    other = tmp_path / "other-srv"
    assert _server_cli("--home", str(other), "init").returncode == 0
    result = _server_cli("--home", str(other), "--lang", "zh", "import", str(package))
    assert result.returncode == 1 and "请检查 --home 是否是这台工作站连接的服务器文件夹" in result.stderr, result.stderr
    assert _server_cli("--home", str(server.context.home), "import", str(package)).returncode == 0  # the right one
