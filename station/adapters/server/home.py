"""The server's data folder: its key pair, its settings, the metadata store and the blobs.

`init` creates an X25519 key pair (the private key stays in this folder, readable by
the owner only; it is the only thing that can open the photos), a registrar password
for the web page, and `server.json` with where metadata lives (SQLite file by default,
a PostgreSQL URL for a university with many stations) and where blobs go.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.errors import StationError, os_reason
from station.i18n import Text
from station.paths import HOME_UNUSABLE, NOT_A_FOLDER, exists, resolve_home
from station.adapters.server import tls
from station.adapters.server.store import MetaStore
from station.storage.atomic import write_atomic
from station.storage.envelope import public_key_from_b64, public_key_to_b64

if TYPE_CHECKING:
    from station.adapters.server.faces import ServerFaces

ENV_SERVER_HOME = "PHOTO_STATION_SERVER_HOME"
# When set at `init`, the private key file is encrypted with it, and `serve`, `import` and
# `export-chsi` need it again: a copied server disk alone then opens no photo.
ENV_KEY_PASSPHRASE = "PHOTO_STATION_SERVER_KEY_PASSPHRASE"
PRIVATE_KEY_FILE, PUBLIC_KEY_FILE = "server_private_key.pem", "server_public_key.txt"
NOT_INITIALISED = Text("服务器目录 {home} 尚未初始化，请先运行 photo-station-server init。",
                       "The server folder {home} is not initialised; run photo-station-server init first.")
ALREADY_INITIALISED = Text("服务器目录 {home} 已初始化，不会覆盖现有密钥。",
                           "The server folder {home} is already initialised; its keys are not overwritten.")

KEY_MISMATCH = Text("{home} 中的 server_public_key.txt 与服务器私钥不配对：按它加密的照片将无法打开。请从备份恢复这两个文件。",
                    "server_public_key.txt in {home} does not belong to the server private key: photos sealed for it "
                    "could not be opened. Restore both files from the backup.")
KEY_LOCKED = Text("服务器私钥无法打开：请设置正确的 PHOTO_STATION_SERVER_KEY_PASSPHRASE。",
                  "The server private key does not open: set the right PHOTO_STATION_SERVER_KEY_PASSPHRASE.")
DATABASE_UNAVAILABLE = Text("无法打开服务器数据库 {url}：{what}（PostgreSQL 是否已启动？文件是否被占用？）",
                            "Cannot open the server database {url}: {what} (is PostgreSQL running? is the file in use?)")
STATION_EXISTS = Text("工作站 {station_id} 已存在。它的令牌只在添加时显示一次：找不到令牌，或要再连一台电脑，请用一个新编号"
                      "添加（如 {station_id}-2）。每台电脑用自己的编号，不要把同一条连接命令用在两台电脑上。",
                      "Station {station_id} already exists. Its token was shown once, when it was added: if it is lost, "
                      "or for another computer, add a new id (such as {station_id}-2). Each computer has its own id: "
                      "never run one station's link command on two computers.")
BAD_STATION_ID = Text("工作站编号“{station_id}”无效：须为 1–64 个可见字符，不含空格。",
                      "The station id '{station_id}' is not valid: it must be 1-64 visible characters, without spaces.")


def _postgres_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg  # the `postgres` extra
    except ImportError:
        return ()
    return (psycopg.Error,)


def server_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    return resolve_home(explicit, ENV_SERVER_HOME, "PhotoStationServer")


def token_digest(token: str) -> str:
    """Tokens are long random strings, so a plain digest is enough to store them safely."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def valid_station_id(station_id: str) -> bool:
    """Visible characters only: the id is typed into server-config, which strips spaces, and shown on pages."""
    return 0 < len(station_id) <= 64 and all(ch.isprintable() and not ch.isspace() for ch in station_id)


@dataclass(frozen=True)
class InitResult:
    home: Path
    public_key: str
    registrar_password: str
    cert_sha256: str


@dataclass(frozen=True)
class SchoolCertificate:
    """The school's own TLS certificate and key, instead of a self-signed one."""

    cert: Path
    key: Path


def init_server(home: Path, db_url: str | None = None, school_cert: SchoolCertificate | None = None) -> InitResult:
    try:
        home.mkdir(parents=True, exist_ok=True)
        if (home / "server.json").exists():
            raise StationError(ALREADY_INITIALISED.format(home=home))
        return _init_server(home, db_url, school_cert)
    except FileExistsError as exc:  # --home naming a file
        raise StationError(HOME_UNUSABLE.format(home=home, reason=NOT_A_FOLDER.format(path=exc.filename))) from exc
    except OSError as exc:  # a read-only or missing drive
        raise StationError(HOME_UNUSABLE.format(home=home, reason=os_reason(exc))) from exc


def _init_server(home: Path, db_url: str | None, school_cert: SchoolCertificate | None) -> InitResult:
    if school_cert is None:
        tls.make_certificate(home)
    else:
        tls.take_certificate(home, school_cert.cert, school_cert.key)  # checked before anything else is made
    private = X25519PrivateKey.generate()
    passphrase = os.environ.get(ENV_KEY_PASSPHRASE, "").encode("utf-8")
    protection = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, protection)
    write_atomic(home / PRIVATE_KEY_FILE, pem)
    os.chmod(home / PRIVATE_KEY_FILE, 0o600)  # owner only; on Windows keep the folder private
    public = public_key_to_b64(private.public_key())
    write_atomic(home / PUBLIC_KEY_FILE, (public + "\n").encode())
    password = secrets.token_urlsafe(12)
    settings = {"db_url": db_url or "", "blobs_dir": "blobs", "registrar_password_sha256": token_digest(password)}
    write_atomic(home / "server.json", json.dumps(settings, indent=2).encode())
    ServerContext(home).store.close()  # opening the store creates the schema; its connections are let go at once
    return InitResult(home, public, password, tls.certificate_fingerprint(home))


class ServerContext:
    """One server folder, opened."""

    def __init__(self, home: Path) -> None:
        self.home = home
        if not exists(home / "server.json"):  # a home named too long is not initialised, not a traceback
            raise StationError(NOT_INITIALISED.format(home=home))
        self.settings = json.loads((home / "server.json").read_text(encoding="utf-8"))

    @cached_property
    def store(self) -> MetaStore:
        """The metadata store, its schema brought up to this server's version on first use."""
        url = self.settings.get("db_url") or str(self.home / "server.db")
        store = MetaStore(url)
        try:
            store.migrate()
        except (sqlite3.Error, OSError) + _postgres_errors() as exc:
            raise StationError(DATABASE_UNAVAILABLE.format(url=url, what=exc)) from exc
        return store

    @property
    def blobs_dir(self) -> Path:
        return self.home / self.settings.get("blobs_dir", "blobs")

    @cached_property
    def private_key(self) -> X25519PrivateKey:
        passphrase = os.environ.get(ENV_KEY_PASSPHRASE, "").encode("utf-8") or None
        try:
            key = serialization.load_pem_private_key((self.home / PRIVATE_KEY_FILE).read_bytes(), passphrase)
        except (TypeError, ValueError) as exc:
            raise StationError(KEY_LOCKED) from exc
        assert isinstance(key, X25519PrivateKey)
        written = self._written_public_key()
        if written is not None and public_key_from_b64(written) != key.public_key():
            raise StationError(KEY_MISMATCH.format(home=self.home))
        return key

    @cached_property
    def faces(self) -> ServerFaces:
        """The swap check across stations (loads the face models at the first capture it measures)."""
        from station.adapters.server.faces import ServerFaces  # OpenCV only where captures are received

        return ServerFaces(self.store, self.private_key, self.home)

    def tls_files(self) -> tuple[Path, Path]:
        """Certificate and key for HTTPS; a folder made before servers spoke HTTPS gets a self-signed pair now."""
        cert, key = self.home / tls.CERT_FILE, self.home / tls.KEY_FILE
        if not (cert.exists() and key.exists()):
            tls.make_certificate(self.home)
        return cert, key

    @property
    def cert_sha256(self) -> str:
        """What stations pin (printed by add-station)."""
        self.tls_files()
        return tls.certificate_fingerprint(self.home)

    @cached_property
    def public_key(self) -> str:
        """What stations and imports seal for, read from server_public_key.txt, so sealing (add-station,
        import-references) needs no passphrase; a folder without that file derives it from the private key. The
        file is checked against the private key wherever that is opened (serve, import, export-chsi)."""
        written = self._written_public_key()
        if written is None:
            return public_key_to_b64(self.private_key.public_key())
        public_key_from_b64(written)  # a damaged file is said here, not handed to stations
        return written

    def _written_public_key(self) -> str | None:
        try:
            return (self.home / PUBLIC_KEY_FILE).read_text("utf-8", errors="replace").strip()
        except OSError:
            return None

    def add_station(self, station_id: str, name: str = "") -> str:
        """Issue a station's token; only its digest is kept, so it is shown once."""
        if not valid_station_id(station_id):
            raise StationError(BAD_STATION_ID.format(station_id=station_id))
        token = secrets.token_urlsafe(32)
        if not self.store.add_station(station_id, name or station_id, token_digest(token)):
            raise StationError(STATION_EXISTS.format(station_id=station_id))
        return token

    def new_registrar_password(self, password: str | None = None) -> str:
        """A new registrar password for one that was lost (init prints it once; only its digest is kept), or the one
        given (the demo's fixed one: its data is invented); a running server takes it at once
        (registrar_password_ok)."""
        password = password or secrets.token_urlsafe(12)
        self.settings = {**self.settings, "registrar_password_sha256": token_digest(password)}
        write_atomic(self.home / "server.json", json.dumps(self.settings, indent=2).encode())
        return password

    def registrar_password_ok(self, password: str) -> bool:
        """Checked against server.json as it is now: the registrar who lost the password runs new-password and goes
        back to the browser, and a server started before (every worker of it) must take the new one, not the old."""
        try:  # written atomically: the old file or the new one, never half
            now = json.loads((self.home / "server.json").read_text(encoding="utf-8"))["registrar_password_sha256"]
        except (OSError, ValueError, KeyError):  # gone or damaged since start: the password it started with
            now = self.settings["registrar_password_sha256"]
        return secrets.compare_digest(token_digest(password), now)
