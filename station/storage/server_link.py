"""The station's link to the receiving server: URL, station id, token, server public key, pinned certificate.

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

from station.db import Migrations, register, write_transaction
from station.errors import StationError
from station.i18n import Text
from station.storage.envelope import public_key_from_b64
from station.pinning import normalized_fingerprint

NOT_CONFIGURED = Text(
    "尚未配置服务器公钥和工作站编号，无法加密保存照片。请在窗口的“上传 → 连接服务器…”中粘贴学校管理员给出的设置，"
    "或运行该行 photo-station server-config …。",
    "The server public key and station id are not set, so photos cannot be encrypted. Paste the settings the "
    "registrar gives you in the window's Upload → Connect to the server…, or run that photo-station server-config … "
    "line.",
)
BAD_URL = Text("服务器地址无效（{why}）：{url}\n应为 https://主机[:端口][/路径]，例如 https://192.168.1.10:8420。",
               "The server URL is not valid ({why}): {url}\nIt should be https://host[:port][/path], "
               "e.g. https://192.168.1.10:8420.")
PLAIN_HTTP = Text("服务器地址 {url} 是明文 http://：工作站令牌会在网络上明文传输，因此不再使用。"
                  "请运行 photo-station-server add-station 打印的新设置（https:// 地址和证书指纹）。照片在本机排队。",
                  "The server URL {url} is plain http://: the station token would cross the network in the clear, "
                  "so it is no longer used. Run the new settings printed by photo-station-server add-station "
                  "(an https:// URL and the certificate fingerprint). Photos wait here.")
NOT_PINNED = Text("尚未设置服务器证书指纹（--server-cert-sha256，由 photo-station-server add-station 打印）："
                  "无法确认服务器身份，不会发送令牌。照片在本机排队。",
                  "The server certificate fingerprint is not set (--server-cert-sha256, printed by "
                  "photo-station-server add-station): the server cannot be told from another, so the token is not "
                  "sent. Photos wait here.")
BAD_FINGERPRINT = Text("证书指纹无效：应为 64 位十六进制数（SHA-256），由 photo-station-server add-station 打印：{value}",
                       "The certificate fingerprint is not valid: it is 64 hexadecimal digits (SHA-256), printed by "
                       "photo-station-server add-station: {value}")
URL_TOO_LONG = Text("超过 {limit} 个字符", "longer than {limit} characters")
URL_WRONG_SHAPE = Text("不是 http(s)://主机[:端口][/路径] 的形式", "not of the form http(s)://host[:port][/path]")
URL_BAD_HOST = Text("主机名 {host} 无效", "the host name {host} is not valid")
URL_PLACEHOLDER = Text("SERVER 只是占位：请换成服务器电脑的地址（IP 或主机名），如 https://192.168.1.10:8420",
                       "SERVER is a placeholder: put the server computer's address (IP or host name) in its place, "
                       "e.g. https://192.168.1.10:8420")
PLACEHOLDER_HOST = "server"  # what `photo-station-server add-station` prints when it was given no --url
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
    cert_sha256: str = ""  # the server's TLS certificate, pinned

    @property
    def can_encrypt(self) -> bool:
        return bool(self.station_id and self.public_key)

    @property
    def can_upload(self) -> bool:
        return bool(self.url and self.token)

    @property
    def upload_problem(self) -> Text | None:
        """Why the token may not be sent to the stored URL, or None: a URL from before URLs were checked, a plain
        http:// one kept by an older version, or no pinned certificate."""
        if not self.url:
            return None
        problem = problem_with_url(self.url)
        if problem is None and not self.url.lower().startswith("https://"):
            return PLAIN_HTTP.format(url=self.url)
        if problem is None and not self.cert_sha256:
            return NOT_PINNED
        return problem

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
    if host.lower() == PLACEHOLDER_HOST:  # pasted as printed: "complete", and never able to upload
        return _bad_url(url, URL_PLACEHOLDER)
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


def _add_cert_pin(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE server_link ADD COLUMN cert_sha256 TEXT NOT NULL DEFAULT ''")


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


MIGRATIONS = register(Migrations("server_link", [_create_link, _add_cert_pin]))
_COLUMNS = ("station_id", "url", "token", "public_key", "updated_at", "cert_sha256")


def load_link(db: sqlite_utils.Database) -> ServerLink:
    row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM server_link WHERE id = 1").fetchone()
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
        if not changes["url"].lower().startswith("https://"):
            raise StationError(PLAIN_HTTP.format(url=changes["url"]))
    if changes.get("cert_sha256"):
        pin = normalized_fingerprint(changes["cert_sha256"])
        if pin is None:
            raise StationError(BAD_FINGERPRINT.format(value=changes["cert_sha256"][:100]))
        changes["cert_sha256"] = pin
    link = replace(load_link(db), **changes, updated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    marks = ", ".join("?" * len(_COLUMNS))
    updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS)
    with write_transaction(db):
        db.execute(f"INSERT INTO server_link(id, {', '.join(_COLUMNS)}) VALUES (1, {marks}) "
                   f"ON CONFLICT(id) DO UPDATE SET {updates}", [getattr(link, c) for c in _COLUMNS])
    return link
