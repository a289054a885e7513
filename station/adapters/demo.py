"""Demo mode: the real station with a sample roster (invented people) and a file-backed camera.

The demo keeps its own data home, so trying it out on a photographer's laptop never
mixes sample students into a real capture day.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from station import ASSETS_DIR
from station.context import Station
from station.i18n import Text
from station.roster import schedule
from station.roster.importer import import_roster
from station.adapters.server.home import ServerContext, init_server
from station.adapters.server.roster import import_server_roster
from station.adapters.server.tls import browser_note
from station.storage.station_key import StationKey, unlock_station_key
from station.storage.server_link import load_link, save_link

DEMO_DIR = ASSETS_DIR / "demo"
DEMO_ROSTER = DEMO_DIR / "roster.csv"
# kiosk/ frames, qr/ phones showing DEMO0001 and DEMO0002, then students/: 陈浩然 and 王思远 each hold up their phone
DEMO_FRAMES = DEMO_DIR
# 林晓雯's, 陈浩然's, 王思远's and 赵雨桐's enrolment photos (outside the camera's folder: they are no camera frames)
DEMO_REFERENCES = ASSETS_DIR / "demo_references"
SLOT_LENGTH = dt.timedelta(hours=1)
DEMO_STATION_ID = "DEMO-01"
# Demo data is invented and lives in its own folder: a fixed passphrase keeps the demo one click away.
DEMO_PASSPHRASE = "demo-station-passphrase"
# The same for the registrar's page of the demo's own server (user registrar), shown in the window's 演示 menu.
DEMO_REGISTRAR_PASSWORD = "demo"
# the pages speak Chinese alone (station.adapters.server.pages): said in English before an English-speaking
# photographer opens one (s33 English walk)
PAGE_SAID = Text("演示服务器的教务处登记页面：{url}\n用户名 registrar，密码 {password}（演示数据是虚构的，密码固定）。\n"
                 "{certificate}",
                 "The demo server's registrar page (in Chinese, as a registrar's office reads it):\n{url}\nUser "
                 "registrar, password {password} (the demo's data is invented: the password is fixed).\n{certificate}")


def demo_server_home(station: Station) -> Path:
    return station.home / "server"


def prepare_demo(station: Station, now: dt.datetime | None = None) -> StationKey:
    """Load the sample roster, give its own classes back-to-back slots starting now, and pair the
    station with a receiving server of its own (in the demo folder), which holds the same roster, as a registrar's
    does, and opens its page with the demo's password (a demo folder from before both gets them here too). Returns
    the station key."""
    demo_classes = sorted(import_roster(station.db, DEMO_ROSTER).classes)
    if not load_link(station.db).can_encrypt:
        server = demo_server_home(station)
        init_server(server)
        context = ServerContext(server)
        token = context.add_station(DEMO_STATION_ID, "演示工作站")
        save_link(station.db, station_id=DEMO_STATION_ID, public_key=context.public_key, token=token,
                  cert_sha256=context.cert_sha256)
    context = ServerContext(demo_server_home(station))
    with context.store:
        import_server_roster(context, DEMO_ROSTER)
    if not context.registrar_password_ok(DEMO_REGISTRAR_PASSWORD):
        context.new_registrar_password(DEMO_REGISTRAR_PASSWORD)
    start = (now or dt.datetime.now()).replace(second=0, microsecond=0)
    for i, name in enumerate(demo_classes):  # not a class the photographer imported: its slot is theirs
        begins = start + i * SLOT_LENGTH
        schedule.set_slot(station.db, schedule.Slot(name, begins, begins + SLOT_LENGTH, "演示会场"))
    return unlock_station_key(station.home, DEMO_PASSPHRASE)


def import_demo_references(station: Station, key: StationKey) -> None:
    """The demo students' enrolment photos, once (the face models load only then): 林晓雯, 陈浩然 and 王思远 are
    the faces the demo camera shows, so photographing each is a clean match; 赵雨桐 never comes to the camera, so
    photographing her with 林晓雯's frames is a caught swap. The demo's server holds them too, as a registrar's
    does: its 身份核验 page shows each beside the photo taken."""
    from station.adapters.server import references as on_server  # OpenCV's face models: only here
    from station.identity.embedder import FaceEmbedder
    from station.identity.references import import_reference_photos

    server = ServerContext(demo_server_home(station))
    for_station = station.db.execute("SELECT 1 FROM reference_photos LIMIT 1").fetchone() is None
    for_server = not on_server.held(server)
    if not (for_station or for_server):
        return
    embedder = FaceEmbedder()
    if for_station:
        import_reference_photos(station, DEMO_REFERENCES, key.key, embedder)
    if for_server:
        with server.store:
            on_server.import_references(server, DEMO_REFERENCES, embedder=embedder)


@dataclass(frozen=True)
class RegistrarPage:
    """How to open the demo server's registrar page in a browser: the window's 演示 menu says it."""

    url: str
    password: str
    certificate: Text  # what the browser warns of the demo server's own certificate, and its fingerprint

    @property
    def said(self) -> Text:
        return PAGE_SAID.format(url=self.url, password=self.password, certificate=self.certificate)


def registrar_page(station: Station) -> RegistrarPage:
    """The page of the demo server this station uploads to (its address changes with each start: see DemoServer)."""
    link = load_link(station.db)
    return RegistrarPage(f"{link.url}/", DEMO_REGISTRAR_PASSWORD, browser_note(link.cert_sha256))


# seconds DemoServer.start waits for its server to listen (measured here: 0.75 s the first time in a process, then 0.03 s)
LISTENS_WITHIN = 10.0


class DemoServer:
    """The demo's receiving server on loopback, in a thread of the station process, so uploads
    really drain and the registrar's page can be opened during a demo. HTTPS with the demo server's own
    certificate, pinned by the station like any other (a demo folder from before HTTPS is re-pinned here)."""

    def __init__(self, station: Station) -> None:
        import socket

        import uvicorn

        from station.adapters.server.app import create_app

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"https://127.0.0.1:{self.port}"
        context = ServerContext(demo_server_home(station))
        cert, key = context.tls_files()
        config = uvicorn.Config(create_app(context), host="127.0.0.1", port=self.port, log_level="warning",
                                ssl_certfile=str(cert), ssl_keyfile=str(key))
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="demo server", daemon=True)
        save_link(station.db, url=self.url, cert_sha256=context.cert_sha256)

    def start(self) -> "DemoServer":
        """Returns once the server listens (or after LISTENS_WITHIN s): the uploader's first contact, made right after
        it, could find the port still closed, and the demo began with 服务器未连接 in the status bar until the
        uploader's backoff came round (s28 walk on Xvfb: connection refused 0.1 s after the page was printed)."""
        self._thread.start()
        deadline = time.monotonic() + LISTENS_WITHIN
        while not self._server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(5.0)
