"""Importing a station's USB package with the same exactly-once rules as an online upload."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from station.errors import StationError, os_reason
from station.i18n import Text
from station.adapters.server.audit_intake import import_audit
from station.adapters.server.home import ServerContext, token_digest
from station.adapters.server.intake import DUPLICATE, KINDS, STORED, UID, Refused, UploadRequest, accept
from station.storage.envelope import EnvelopeError, open_with_server_key
from station.upload.package import MANIFEST, MANIFEST_KIND

NO_MANIFEST = Text("{folder} 不是完整的导出包（缺少 manifest.pse）。", "{folder} is not a complete package (no manifest.pse).")
BAD_MANIFEST = Text("导出包清单无法解开或已被篡改：{what}", "The package manifest does not open or was altered: {what}")
# a package sealed for another server's key reads as damaged; the usual cause is a folder, not the stick
ANOTHER_SERVER = Text("。U盘上的文件完好时，多半是这个包不是发给这个服务器文件夹的：请检查 --home 是否是这台工作站连接的"
                      "服务器文件夹（photo-station-server add-station 为它添加编号的那一个）",
                      ". When the files on the stick are whole, the package was most likely sealed for another server "
                      "folder: check that --home names the folder this station is linked to (the one add-station "
                      "added it in)")
NOT_A_LIST = Text("内容不是照片清单", "its content is not a list of photos")
UNKNOWN_STATION = Text("导出包中的工作站令牌无效。", "The station token in the package is not valid.")
BAD_UID = Text("导出包中有无效的照片编号。", "The package holds an invalid upload id.")
MISSING_FILE = Text("导出包缺少文件 {name}。", "The package lacks the file {name}.")
UNREADABLE = Text("无法读取导出包中的 {name}：{reason}", "Cannot read {name} in the package: {reason}")


@dataclass
class ImportReport:
    station_id: str = ""
    stored: int = 0
    duplicate: int = 0
    refused: list[tuple[str, Text]] = field(default_factory=list)  # uid, reason
    audit_held: int = 0  # the number of the last audit entry the server holds for the station, after the import
    audit_refused: Text | None = None  # why the package's audit log was not kept (the photos are, regardless)


def import_package(server: ServerContext, folder: Path) -> ImportReport:
    try:
        blob = (folder / MANIFEST).read_bytes()
    except FileNotFoundError as exc:
        raise StationError(NO_MANIFEST.format(folder=folder)) from exc
    except OSError as exc:  # a folder named manifest.pse, an unreadable stick
        raise StationError(UNREADABLE.format(name=MANIFEST, reason=os_reason(exc))) from exc
    try:
        sealed, plain = open_with_server_key(blob, server.private_key)
        manifest = json.loads(plain)
    except (EnvelopeError, ValueError) as exc:
        what = exc.said if isinstance(exc, EnvelopeError) else NOT_A_LIST
        if isinstance(exc, EnvelopeError) and exc.what == "authentication failed":  # most often: another server's
            said = BAD_MANIFEST.format(what=what)
            raise StationError(Text(said.zh + ANOTHER_SERVER.zh, said.en + ANOTHER_SERVER.en)) from exc
        raise StationError(BAD_MANIFEST.format(what=what)) from exc
    uploads = manifest.get("uploads", []) if isinstance(manifest, dict) else None
    if not isinstance(uploads, list) or not all(isinstance(meta, dict) for meta in uploads):
        raise StationError(BAD_MANIFEST.format(what=NOT_A_LIST))  # anyone with the public key can seal one
    station_id = server.store.station_for_token(token_digest(str(manifest.get("token", ""))))
    if station_id is None or sealed.get("kind") != MANIFEST_KIND or sealed.get("station_id") != station_id:
        raise StationError(UNKNOWN_STATION)
    report = ImportReport(station_id=station_id)
    for meta in uploads:
        uid = str(meta.get("uid", ""))
        try:
            if not UID.match(uid):
                raise Refused(422, BAD_UID)
            files = {kind: _read(folder, f"{uid}.{kind}.pse") for kind in KINDS}
            outcome = accept(server, station_id, UploadRequest(meta, files), "usb")
        except Refused as exc:
            report.refused.append((uid, exc.text))
            continue
        report.stored += outcome == STORED
        report.duplicate += outcome == DUPLICATE
    try:
        report.audit_held = import_audit(server.store, station_id, manifest.get("audit", []))
    except Refused as exc:
        report.audit_refused = exc.text
    return report


def _read(folder: Path, name: str) -> bytes:
    try:
        return (folder / name).read_bytes()
    except FileNotFoundError as exc:
        raise Refused(422, MISSING_FILE.format(name=name)) from exc
    except OSError as exc:
        raise Refused(422, UNREADABLE.format(name=name, reason=os_reason(exc))) from exc
