"""The station's link to the receiving server: URL, station id, token, server public key.

Kept in the station database (one row) so the UI can show it and the CLI can set it;
the public key is public and the token only lets a station add photos under its own id.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import httpx
import sqlite_utils
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from station.db import Migrations, register
from station.errors import StationError
from station.i18n import Text
from station.storage.envelope import public_key_from_b64

NOT_CONFIGURED = Text(
    "尚未配置服务器公钥和工作站编号，无法加密保存照片。请运行 photo-station server-config（由学校管理员提供参数）。",
    "The server public key and station id are not set, so photos cannot be encrypted. "
    "Run photo-station server-config with the values from the registrar.",
)
BAD_URL = Text("服务器地址无效（{why}）：{url}\n应为 http://主机[:端口][/路径]，例如 http://192.168.1.10:8420。",
               "The server URL is not valid ({why}): {url}\nIt should be http://host[:port][/path], "
               "e.g. http://192.168.1.10:8420.")
URL_TOO_LONG = Text("超过 {limit} 个字符", "longer than {limit} characters")
URL_WRONG_SHAPE = Text("不是 http(s)://主机[:端口][/路径] 的形式", "not of the form http(s)://host[:port][/path]")
URL_BAD_HOST = Text("主机名 {host} 无效", "the host name {host} is not valid")
URL_BAD_PORT = Text("端口必须在 1–65535 之间", "the port must be from 1 to 65535")
MAX_URL_LENGTH = 2000
# No user, query or fragment: the uploader appends /api/v1/... to whatever is kept here.
_URL_SHAPE = re.compile(r"(?i:https?)://(?P<host>\[[0-9A-Fa-f:.]+\]|[^/:?#@\[\]\s]+)(?::(?P<port>[0-9]{1,5}))?(?:/[^?#\s]*)?")
_LABEL = re.compile(r"[A-Za-z0-9_-]{1,63}")


@dataclass(frozen=True)
class ServerLink:
    station_id: str = ""
    url: str = ""
    token: str = ""
    public_key: str = ""  # base64 of the raw X25519 public key
    updated_at: str = ""

    @property
    def can_encrypt(self) -> bool:
        return bool(self.station_id and self.public_key)

    @property
    def can_upload(self) -> bool:
        return bool(self.url and self.token)

    @property
    def url_problem(self) -> Text | None:
        """Why the stored URL cannot be used (a database from before URLs were checked), or None."""
        return problem_with_url(self.url) if self.url else None

    def server_key(self) -> X25519PublicKey:
        if not self.can_encrypt:
            raise StationError(NOT_CONFIGURED)
        return public_key_from_b64(self.public_key)


def problem_with_url(url: str) -> Text | None:
    """Why httpx would refuse this URL mid-upload, or None: checked when it is set, not when photos wait."""
    if len(url) > MAX_URL_LENGTH:
        return _bad_url(url, URL_TOO_LONG.format(limit=MAX_URL_LENGTH))
    shape = _URL_SHAPE.fullmatch(url)
    if shape is None:
        return _bad_url(url, URL_WRONG_SHAPE)
    if shape["port"] is not None and not 1 <= int(shape["port"]) <= 65535:
        return _bad_url(url, URL_BAD_PORT)
    try:
        parsed = httpx.URL(url)
        parsed.host  # decodes every xn-- label, so a malformed one raises here and not mid-upload
        host = parsed.raw_host.decode("ascii")  # the international name IDNA-encoded
    except (httpx.InvalidURL, ValueError):  # idna.IDNAError is a ValueError
        return _bad_url(url, URL_BAD_HOST.format(host=shape["host"]))
    if not _host_ok(host):
        return _bad_url(url, URL_BAD_HOST.format(host=shape["host"]))
    return None


def _host_ok(host: str) -> bool:
    """An IP address, or a DNS name the resolver accepts (labels of 1-63 characters, 253 in all)."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    return len(host) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def _bad_url(url: str, why: Text) -> Text:
    shown = url if len(url) <= 100 else url[:100] + "…"
    return BAD_URL.format(why=why, url=shown)


def _create_link(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE server_link (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            station_id TEXT NOT NULL DEFAULT '',
            url        TEXT NOT NULL DEFAULT '',
            token      TEXT NOT NULL DEFAULT '',
            public_key TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL DEFAULT ''
        )"""
    )


MIGRATIONS = register(Migrations("server_link", [_create_link]))


def load_link(db: sqlite_utils.Database) -> ServerLink:
    row = db.execute("SELECT station_id, url, token, public_key, updated_at FROM server_link WHERE id = 1").fetchone()
    return ServerLink(*row) if row else ServerLink()


def save_link(db: sqlite_utils.Database, **changes: str) -> ServerLink:
    """Update the given fields (None leaves a field as it is); the key is checked before it is kept."""
    changes = {k: v.strip() for k, v in changes.items() if v is not None}
    if changes.get("public_key"):
        public_key_from_b64(changes["public_key"])
    if changes.get("url"):
        changes["url"] = changes["url"].rstrip("/")
        problem = problem_with_url(changes["url"])
        if problem is not None:
            raise StationError(problem)
    link = replace(load_link(db), **changes, updated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    with db.conn:
        db.execute(
            "INSERT INTO server_link(id, station_id, url, token, public_key, updated_at) VALUES (1, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET station_id = excluded.station_id, url = excluded.url, "
            "token = excluded.token, public_key = excluded.public_key, updated_at = excluded.updated_at",
            [link.station_id, link.url, link.token, link.public_key, link.updated_at],
        )
    return link
