"""The offline route: the upload queue written to a folder (a USB stick) for the server to import.

A package is a folder `photo-station-<station>-<time>/` holding the server-only copy of
every queued file and `manifest.pse`: the list of uploads plus the station's token,
sealed to the server's public key like a photo. Nothing in it can be read without the
server's private key, and the server applies the same exactly-once rules as online.
The manifest is written last, so a stick pulled out half-way holds no package at all.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from station.audit.trail import entries as audit_entries
from station.storage.captures import stored_capture
from station.context import Station
from station.documents.output_file import name_part
from station.errors import StationError, os_reason
from station.i18n import Text
from station.storage.atomic import ensure_free_space, write_atomic
from station.storage.envelope import EnvelopeError, seal
from station.storage.station_key import StationKey
from station.storage import outbox
from station.storage.server_link import NOT_CONFIGURED, load_link
from station.upload.uploader import upload_meta, verified_server_copies

MANIFEST = "manifest.pse"
MANIFEST_KIND = "usb-manifest"
NOTHING_TO_EXPORT = Text("上传队列为空，没有需要导出的照片。", "The upload queue is empty; nothing to export.")
EXPORTED = Text(
    "已把 {n} 张照片导出到\n{folder}\n请把U盘交给学校管理员在服务器上导入。照片仍留在本机的上传队列里，"
    "联网后会继续上传（服务器不会重复登记）。",
    "Exported {n:photo|photos} to\n{folder}\nGive the stick to the school's administrator to import on the "
    "server. The photos stay in this laptop's upload queue and go on uploading once online (the server never "
    "registers one twice).",
)
DAMAGED = Text("{n} 张照片已损坏，没有导出：{which}", "Damaged, so not exported: {which}")
WRITE_FAILED = Text("无法写入 {target}：{reason}。请检查U盘是否插好、是否已满，然后再试。",
                    "Cannot write to {target}: {reason}. Check that the stick is plugged in and not full, "
                    "then try again.")


@dataclass
class PackageReport:
    folder: Path | None = None
    exported: int = 0
    damaged: list[tuple[str, int, Text]] = field(default_factory=list)  # student_no, version, reason

    def summary(self) -> Text:
        """What the photographer is told once the package is written."""
        said = EXPORTED.format(n=self.exported, folder=self.folder)
        if not self.damaged:
            return said
        which = ", ".join(f"{no} v{version}" for no, version, _ in self.damaged)
        damaged = DAMAGED.format(n=len(self.damaged), which=which)
        return Text(f"{said.zh}\n\n{damaged.zh}", f"{said.en}\n\n{damaged.en}")


def manifest_meta(station_id: str, package_id: str) -> dict[str, object]:
    return {"kind": MANIFEST_KIND, "station_id": station_id, "package_id": package_id}


def write_package(station: Station, key: StationKey, target: Path, include_sent: bool = False) -> PackageReport:
    """Write every waiting or failed upload (or, with include_sent, every capture) under `target`.

    A stick pulled out or refusing writes is a StationError that names it; what was written before holds
    no manifest, so the server never sees half a package.
    """
    try:
        return _write_package(station, key, target, include_sent)
    except OSError as exc:
        raise StationError(WRITE_FAILED.format(target=target, reason=os_reason(exc))) from exc


def _write_package(station: Station, key: StationKey, target: Path, include_sent: bool) -> PackageReport:
    db = station.db
    link = load_link(db)
    if not (link.can_encrypt and link.token):
        raise StationError(NOT_CONFIGURED)
    uids = outbox.unsent_uids(db) + (outbox.done_uids(db) if include_sent else [])
    if not uids:
        raise StationError(NOTHING_TO_EXPORT, exit_code=1)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    package_id = f"photo-station-{link.station_id}-{stamp}"
    folder = target / name_part(package_id)  # the id may hold what Windows or a FAT stick refuses (图书馆:1/2)
    report = PackageReport(folder=folder)
    entries = []
    for uid in uids:
        stored = stored_capture(db, station.home, uid)
        try:
            files = verified_server_copies(stored, key)
        except EnvelopeError as exc:
            report.damaged.append((stored.version.student_no, stored.version.version, exc.text))
            continue
        ensure_free_space(folder, sum(map(len, files.values())), 0, target=folder)
        for kind, data in files.items():
            write_atomic(folder / f"{uid}.{kind}.pse", data)
        entries.append(upload_meta(stored, files))
    manifest = {"package_id": package_id, "station_id": link.station_id, "token": link.token,
                "created_at": stamp, "uploads": entries,
                "audit": [asdict(entry) for entry in audit_entries(db)]}  # the whole log: the server keeps what is new
    sealed = seal(json.dumps(manifest).encode("utf-8"), manifest_meta(link.station_id, package_id),
                  link.server_key(), station_key=None)
    write_atomic(folder / MANIFEST, sealed)
    report.exported = len(entries)
    return report
