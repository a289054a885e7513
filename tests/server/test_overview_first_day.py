"""The registrar's first look at the overview of a new server (or of a second server folder made by mistake): it
says which step fills each empty part, and which server folder it shows. A real server on 127.0.0.1 over HTTPS."""

from __future__ import annotations

import re
from pathlib import Path

from station.adapters.server import cli
from tests.upload.kit import LiveServer, new_server


def _words(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html)


def test_a_new_server_s_overview_names_the_next_step_and_its_folder(tmp_path: Path) -> None:
    live = LiveServer(new_server(tmp_path))
    password = live.context.new_registrar_password()
    live.start()
    try:
        with live.client(auth=("registrar", password)) as registrar:
            page = _words(registrar.get("/").text)
            assert "还没有导入名单：在服务器上运行 photo-station-server import-roster 名单.xlsx" in page
            assert "还没有添加工作站：为每台工作站在服务器上运行 photo-station-server add-station" in page
            assert f"服务器目录：{live.context.home}" in page
            assert "全校应拍 0 人" not in page and "各班采集情况" not in page  # no table of headings alone
            live.context.store.upsert_students([{"student_no": "20210001", "name": "林晓雯", "class_name": "软件2101",
                                                 "id_number": "110101200302111026"}])
            live.context.add_station("S01", "一号机")
            page = _words(registrar.get("/").text)
            assert "还没有" not in page and "全校应拍 1 人" in page and "S01一号机" in page
    finally:
        live.stop()


def test_init_names_the_next_steps_in_their_order(tmp_path: Path, capsys) -> None:
    """It named only add-station: the roster, without which every photo is off-roster, came nowhere."""
    assert cli.main(["--home", str(tmp_path / "srv"), "init"]) == 0
    said = capsys.readouterr().out
    assert said.index("import-roster") < said.index("add-station") < said.index("photo-station-server serve")


def test_the_overview_names_each_off_roster_number_and_its_station(station, key, server) -> None:
    """It said 名单外的学号有 1 张照片（请导入完整名单） and no more: which number (a typo on the roster, a student it
    lacks) and which station took it, the registrar could not find out from the page (s32 registrar walk)."""
    from station.storage.captures import CaptureStore
    from station.upload.uploader import Uploader

    store = CaptureStore(station, key)
    store.save("20200001", b"c" * 100, b"o", operator="op")
    store.save("20200002", b"c" * 100, b"o", operator="op")
    store.save("20200002", b"d" * 100, b"o", operator="op", reason="闭眼")
    Uploader(station.home, key).drain()
    server.context.store.upsert_students([{"student_no": "20200001", "name": "林晓雯", "class_name": "计科2001",
                                           "id_number": ""}])
    password = server.context.new_registrar_password()
    with server.client(auth=("registrar", password)) as registrar:
        page = _words(registrar.get("/").text)
    assert "名单外的学号有 2 张照片（请导入完整名单）：20200002（S01）。" in page, page


def test_roster_rows_the_import_refused_are_named_until_a_corrected_file_takes_them(tmp_path: Path) -> None:
    """A row import-roster refused (a mistyped ID check digit) left that student on no list of the server's, not 应拍
    and not 未拍摄 (s32 first-day walk): the overview names the row, where it stood and why, until an import takes him."""
    from station.adapters.server.roster import import_server_roster
    from tests.upload.kit import registrar_signed_in

    roster = tmp_path / "名单.csv"
    roster.write_text("学号,姓名,班级,身份证号\n20210001,林晓雯,软件2101,110101200302111026\n"
                      "20210002,陈浩然,软件2101,110101200203121051\n"  # check digit wrong: 1050
                      "20210003,,软件2101,110101200304131071\n", encoding="utf-8")  # no name
    with registrar_signed_in(tmp_path, []) as (web, server):
        import_server_roster(server.context, roster)
        page = _words(web.get("/").text)
        assert "导入名单时被拒绝的行有 2 行" in page and "20210002 陈浩然（名单.csv 第 3 行：身份证号校验位错误" in page
        assert "；20210003（名单.csv 第 4 行：缺少必填项" in page  # no name: no gap where it would stand
        assert "全校应拍 1 人" in page
        roster.write_text(roster.read_text(encoding="utf-8").replace("121051", "121050").replace(",,", ",王思远,"),
                          encoding="utf-8")
        import_server_roster(server.context, roster)
        page = _words(web.get("/").text)
        assert "被拒绝" not in page and "全校应拍 3 人" in page
