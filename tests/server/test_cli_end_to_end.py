"""The registrar's day with the real console scripts: init, add a station, serve, receive, report, hand over."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from PIL import Image

from station.storage.captures import CaptureStore
from station.context import Station
from station.roster.importer import import_roster
from station.pinning import pinned_context
from tests.upload.kit import PASSPHRASE, free_port, station_key, wait_until

BIN = Path(sys.executable).parent
ROSTER = """学号,姓名,班级,身份证号
20210001,林晓雯,软件2101,110101200302111026
20210002,陈浩然,软件2101,110101200203121050
20210003,王思远,软件2101,110101200304131071
20210004,赵雨桐,软件2102,11010120020514108X
"""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True, timeout=60,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def chsi_jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (480, 640), (shade, 120, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_registrar_day_end_to_end(tmp_path: Path, home: Path):
    server_dir, port = tmp_path / "srv", free_port()
    url = f"https://127.0.0.1:{port}"
    init = run("photo-station-server", "--home", str(server_dir), "init").stdout
    password = re.search(r"password: (\S+)", init).group(1)
    added = run("photo-station-server", "--home", str(server_dir), "add-station", "S01", "--url", url).stdout
    config_line = next(line for line in added.splitlines() if "server-config" in line)
    web = httpx.Client(verify=pinned_context(re.search(r"--server-cert-sha256 (\S+)", added).group(1)))
    run("photo-station", *shlex.split(config_line)[1:], "--home", str(home))
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert "imported 4" in run("photo-station-server", "--home", str(server_dir), "import-roster", str(roster)).stdout

    serve = subprocess.Popen([str(BIN / "photo-station-server"), "--home", str(server_dir), "serve",
                              "--host", "127.0.0.1", "--port", str(port), "--lang", "en"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert wait_until(lambda: _up(web, url), timeout=30)
        said = [serve.stdout.readline() for _ in range(3)]
        assert said[0].strip() == f"Registrar page: {url}/" and "'registrar'" in said[1] and "fingerprint" in said[2]
        station = Station.open(home)
        import_roster(station.db, roster)
        store = CaptureStore(station, station_key(home))
        photos = {"20210001": chsi_jpeg(10), "20210004": chsi_jpeg(30)}
        store.save("20210001", chsi_jpeg(99), b"first original", operator="王老师")
        for no, jpeg in photos.items():
            store.save(no, jpeg, b"original", operator="王老师", reason="重拍：闭眼" if no == "20210001" else "",
                       override_reason="已目视确认，系统误报" if no == "20210001" else "")
        station.close()
        sent = run("photo-station", "queue", "--send", "--json", "--home", str(home), env={"PHOTO_STATION_PASSPHRASE": PASSPHRASE})
        assert json.loads(sent.stdout)["done"] == 3

        auth = ("registrar", password)
        assert web.get(url + "/").status_code == 401
        overview = web.get(url + "/", auth=auth).text
        assert "软件2101" in overview and "未拍摄" in overview and "S01" in overview
        page = web.get(url + "/classes/软件2101", auth=auth).text
        missing_part = page.split("未拍摄名单")[1].split("重拍")[0]
        assert "陈浩然" in missing_part and "王思远" in missing_part and "林晓雯" not in missing_part
        assert "重拍：闭眼" in page.split("重拍（")[1]
        overridden = page.split("人工放行（1）")[1]  # saved although a check failed: the registrar spot-checks them
        assert "已目视确认，系统误报" in overridden and "S01 王老师" in overridden
        csv_text = web.get(url + "/missing.csv", auth=auth).content.decode("utf-8-sig")
        assert csv_text.splitlines()[0] == "班级,学号,姓名,身份证号" and len(csv_text.splitlines()) == 3
        sheet = load_workbook(io.BytesIO(web.get(url + "/missing.xlsx?class_name=软件2101", auth=auth).content)).active
        assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["20210002", "20210003"]
    finally:
        web.close()
        serve.terminate()
        serve.wait(10)

    out = tmp_path / "chsi"
    run("photo-station-server", "--home", str(server_dir), "export-chsi", "--to", str(out))
    assert (out / "110101200302111026.jpg").read_bytes() == photos["20210001"]  # the retake replaced the first
    assert (out / "11010120020514108X.jpg").read_bytes() == photos["20210004"]
    run("photo-station-server", "--home", str(server_dir), "export-chsi", "--to", str(out / "by_no"),
        "--name-by", "student_no")
    assert sorted(p.name for p in (out / "by_no").glob("*.jpg")) == ["20210001.jpg", "20210004.jpg"]


def _up(web: httpx.Client, url: str) -> bool:
    try:
        return web.get(url + "/", timeout=1).status_code == 401
    except httpx.TransportError:
        return False


def _default_route() -> bool:
    """Linux's routing table has a default route (a network the registrar's browser could come from)."""
    table = Path("/proc/net/route")
    return table.is_file() and any(line.split()[1] == "00000000" for line in table.read_text().splitlines()[1:])


@pytest.mark.skipif(not _default_route(), reason="no network route on this machine")
def test_serve_on_every_interface_names_an_address_another_machine_can_type() -> None:
    """A laptop whose name resolves only to 127.0.1.1 showed the registrar 127.0.0.1 alone."""
    from station.adapters.server.cli import page_hosts

    hosts = page_hosts("0.0.0.0")
    assert hosts[-1] == "127.0.0.1" and any(not h.startswith("127.") for h in hosts[:-1]), hosts
    assert page_hosts("10.1.2.3") == ["10.1.2.3"]


def test_the_next_steps_init_prints_work_on_the_folder_it_made(tmp_path: Path) -> None:
    """`init --home D` printed `import-roster 名单.xlsx` without D: run as printed, the roster went to another, empty
    server (the per-user folder) and D's pages said 还没有导入名单 (s32 registrar walk)."""
    server_dir = tmp_path / "学校 服务器"  # a space and Chinese: the printed line quotes it
    init = run("photo-station-server", "--home", str(server_dir), "init").stdout
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    steps = [line.split(": ", 1)[1] for line in init.splitlines() if "photo-station-server " in line]
    assert [shlex.split(step)[1] for step in steps] == ["import-roster", "add-station", "serve"]
    imported = run(*shlex.split(steps[0].replace("<名单.xlsx>", str(roster))))
    assert "imported 4" in imported.stdout
    run(*shlex.split(steps[1].replace("<工作站编号>", "S01").replace("<本机地址>", "127.0.0.1")))
    from station.adapters.server.home import ServerContext

    store = ServerContext(server_dir).store
    assert len(store.students()) == 4 and [s[0] for s in store.stations()] == ["S01"]  # the folder init made
    assert shlex.split(steps[2])[-2:] == ["--home", str(server_dir)]  # serve, likewise
