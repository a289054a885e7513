"""The station's link to the receiving server: URL, station id, token, server public key.

Kept in the station database (one row) so the UI can show it and the CLI can set it;
the public key is public and the token only lets a station add photos under its own id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone

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

    def server_key(self) -> X25519PublicKey:
        if not self.can_encrypt:
            raise StationError(NOT_CONFIGURED)
        return public_key_from_b64(self.public_key)


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
    link = replace(load_link(db), **changes, updated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    with db.conn:
        db.execute(
            "INSERT INTO server_link(id, station_id, url, token, public_key, updated_at) VALUES (1, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET station_id = excluded.station_id, url = excluded.url, "
            "token = excluded.token, public_key = excluded.public_key, updated_at = excluded.updated_at",
            [link.station_id, link.url, link.token, link.public_key, link.updated_at],
        )
    return link
