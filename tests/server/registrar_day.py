"""A receiving server in the middle of a capture day, for the browser test and the screenshots in docs/server.md."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from station.storage.captures import CaptureStore
from station.roster.importer import import_roster
from station.adapters.server.home import ServerContext, init_server
from station.upload.uploader import Uploader
from tests.upload.kit import LiveServer, linked_station, station_key

ROSTER = """学号,姓名,班级,身份证号
20210101,林晓雯,软件2101,110101200302111026
20210102,陈浩然,软件2101,110101200203121050
20210103,王思远,软件2101,110101200304131071
20210104,赵雨桐,软件2101,11010120020514108X
20210105,周子涵,软件2101,
20210201,刘一鸣,软件2102,
20210202,孙佳怡,软件2102,
"""


# the station could not tell 刘一鸣's face from his enrolment photo, and the photographer said why it took it
UNCERTAIN = json.dumps({"checks": [{"against": "reference", "level": "uncertain", "score": 0.34}],
                        "reason": "学籍照片是高中时拍的，已核对学生证"}, ensure_ascii=False)


@dataclass
class RegistrarDay:
    server: LiveServer
    password: str

    def url(self, path: str) -> str:
        return f"https://registrar:{self.password}@127.0.0.1:{self.server.port}{path}"

    @property
    def cert_file(self) -> Path:
        return self.server.context.tls_files()[0]


def _jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (480, 640), (shade, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def registrar_day(root: Path, station_home: Path) -> RegistrarDay:
    """Two classes on the roster, three students photographed (one retaken, one whose identity the station could not
    confirm) by station S01, which has reported its queue; the server is started and must be stopped by the caller."""
    password = init_server(root / "srv").registrar_password
    server = LiveServer(ServerContext(root / "srv"))
    server.start()
    roster = root / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    station = linked_station(station_home, server.context, server.url, server.context.add_station("S01", "一号机位"),
                             "S01")
    import_roster(station.db, roster)
    students = [dict(zip(("student_no", "name", "class_name", "id_number"), line.split(",")))
                for line in ROSTER.splitlines()[1:]]
    server.context.store.upsert_students(students)
    key = station_key(station_home)
    store = CaptureStore(station, key)
    store.save("20210101", _jpeg(10), b"o", operator="王老师")
    store.save("20210101", _jpeg(20), b"o", operator="王老师", reason="闭眼")
    store.save("20210103", _jpeg(30), b"o", operator="王老师")
    store.save("20210201", _jpeg(40), b"o", operator="王老师", identity=UNCERTAIN)
    uploader = Uploader(station_home, key)
    uploader.drain()
    uploader.reconcile()  # its heartbeat: the queue health the overview shows
    station.close()
    return RegistrarDay(server, password)
