"""The offline route: the upload queue written to a folder (a USB stick) for the server to import.

A package is a folder `photo-station-<station>-<time>/` holding the server-only copy of
every queued file and `manifest.pse`: the list of uploads plus the station's token,
sealed to the server's public key like a photo. Nothing in it can be read without the
server's private key, and the server applies the same exactly-once rules as online.
The manifest is written last, so a stick pulled out half-way holds no package at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from station.captures import stored_capture
from station.context import Station
from station.errors import StationError
from station.i18n import Text
from station.storage.atomic import ensure_free_space, write_atomic
from station.storage.envelope import EnvelopeError, seal
from station.storage.station_key import StationKey
from station.upload import outbox
from station.upload.link import NOT_CONFIGURED, load_link
from station.upload.uploader import upload_meta, verified_server_copies

MANIFEST = "manifest.pse"
MANIFEST_KIND = "usb-manifest"
NOTHING_TO_EXPORT = Text("上传队列为空，没有需要导出的照片。", "The upload queue is empty; nothing to export.")


@dataclass
class PackageReport:
    folder: Path | None = None
    exported: int = 0
    damaged: list[tuple[str, int, Text]] = field(default_factory=list)  # student_no, version, reason


def manifest_meta(station_id: str, package_id: str) -> dict[str, object]:
    return {"kind": MANIFEST_KIND, "station_id": station_id, "package_id": package_id}


def write_package(station: Station, key: StationKey, target: Path, include_sent: bool = False) -> PackageReport:
    """Write every waiting or failed upload (or, with include_sent, every capture) under `target`."""
    db = station.db
    link = load_link(db)
    if not (link.can_encrypt and link.token):
        raise StationError(NOT_CONFIGURED)
    uids = outbox.unsent_uids(db) + (outbox.done_uids(db) if include_sent else [])
    if not uids:
        raise StationError(NOTHING_TO_EXPORT, exit_code=1)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    package_id = f"photo-station-{link.station_id}-{stamp}"
    folder = target / package_id
    report = PackageReport(folder=folder)
    entries = []
    for uid in uids:
        stored = stored_capture(db, station.home, uid)
        try:
            files = verified_server_copies(stored, key)
        except EnvelopeError as exc:
            report.damaged.append((stored.version.student_no, stored.version.version, exc.text))
            continue
        ensure_free_space(folder, sum(map(len, files.values())), 0)
        for kind, data in files.items():
            write_atomic(folder / f"{uid}.{kind}.pse", data)
        entries.append(upload_meta(stored, files))
    manifest = {"package_id": package_id, "station_id": link.station_id, "token": link.token,
                "created_at": stamp, "uploads": entries}
    sealed = seal(json.dumps(manifest).encode("utf-8"), manifest_meta(link.station_id, package_id),
                  link.server_key(), station_key=None)
    write_atomic(folder / MANIFEST, sealed)
    report.exported = len(entries)
    return report
