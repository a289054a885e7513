"""What the storage, upload and server tests share: a real server on 127.0.0.1, linked stations."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import httpx
import uvicorn

from station.context import Station
from station.adapters.server.app import create_app
from station.adapters.server.home import ServerContext, init_server
from station.storage.station_key import unlock_station_key
from station.storage.server_link import save_link
from station.pinning import pinned_context

PASSPHRASE = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn serving the real app over HTTPS (the server's own certificate) in a thread; stop() and start()
    again on the same port."""

    def __init__(self, server: ServerContext) -> None:
        self.context = server
        self.port = free_port()
        self._uvicorn: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> None:
        cert, key = self.context.tls_files()
        config = uvicorn.Config(create_app(self.context), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", ssl_certfile=str(cert), ssl_keyfile=str(key))
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._uvicorn.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)

    def client(self, token: str | None = None, **kwargs) -> httpx.Client:
        """A client of this server, as a station (with its token) or anyone else."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, verify=pinned_context(self.context.cert_sha256), **kwargs)

    def raw_socket(self) -> ssl.SSLSocket:
        """A TLS connection to the server for hand-written HTTP."""
        plain = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return pinned_context(self.context.cert_sha256).wrap_socket(plain)

    def stop(self) -> None:
        assert self._uvicorn is not None and self._thread is not None
        self._uvicorn.should_exit = True
        self._thread.join(10)


def new_server(root: Path) -> ServerContext:
    init_server(root / "server")
    return ServerContext(root / "server")


@contextmanager
def serving(root: Path) -> Iterator[LiveServer]:
    """A new server (its folder under `root`) serving on 127.0.0.1 while the block runs."""
    live = LiveServer(new_server(root))
    live.start()
    try:
        yield live
    finally:
        live.stop()


def add_students(station: Station, class_name: str, numbers: list[str]) -> None:
    now = datetime.now(timezone.utc).isoformat()
    with station.db.conn:
        for no in numbers:
            station.db.execute(
                "INSERT INTO students(student_no, name, class_name, id_number, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", [no, f"学生{no}", class_name, f"11010119990101{no[-4:]}", now, now])


def linked_station(home: Path, server: ServerContext, url: str, token: str, station_id: str) -> Station:
    station = Station.open(home)
    save_link(station.db, station_id=station_id, url=url, token=token, public_key=server.public_key,
              cert_sha256=server.cert_sha256)
    return station


def station_key(home: Path):
    return unlock_station_key(home, PASSPHRASE)


def wait_until(predicate, timeout: float = 20.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


@contextmanager
def registrar_signed_in(root: Path, students: list[dict]) -> Iterator[tuple[httpx.Client, LiveServer]]:
    """A real server on 127.0.0.1 (its folder under `root`) holding `students`, and the registrar signed in to it."""
    password = init_server(root / "srv").registrar_password
    server = LiveServer(ServerContext(root / "srv"))
    server.context.store.upsert_students(students)
    server.start()
    try:
        with server.client(auth=("registrar", password)) as web:
            yield web, server
    finally:
        server.stop()
