"""Class names as schools write them reach their registrar pages: a slash, a hash, HTML-like text."""

from __future__ import annotations

import re
from pathlib import Path

from station.adapters.server.home import ServerContext, init_server
from tests.upload.kit import LiveServer

CLASSES = ["2021级/软件1班", "软件#2 & <b>实验</b>班", "计科2101?"]


def test_every_class_link_on_the_overview_opens_that_class(tmp_path: Path) -> None:
    password = init_server(tmp_path / "srv").registrar_password
    server = LiveServer(ServerContext(tmp_path / "srv"))
    server.context.store.upsert_students([{"student_no": f"2021010{n}", "name": f"学生{n}", "class_name": name,
                                           "id_number": ""} for n, name in enumerate(CLASSES, start=1)])
    server.start()
    try:
        with server.client(auth=("registrar", password)) as web:
            overview = web.get("/").text
            links = re.findall(r'href="(/classes/[^"]+)"', overview)
            assert len(links) == len(CLASSES)
            for link in links:
                page = web.get(link)
                assert page.status_code == 200, (link, page.status_code)
                missing = re.search(r'href="(/missing\.csv\?[^"]+)"', page.text).group(1)
                sheet = web.get(missing.replace("&amp;", "&"))
                assert sheet.status_code == 200 and len(sheet.text.strip().splitlines()) == 2, sheet.text
            assert "<b>实验</b>" not in overview and "&lt;b&gt;实验&lt;/b&gt;" in overview
            assert web.get("/classes/不存在的班").status_code == 404
    finally:
        server.stop()
