"""A station's audit log, kept by the server as the station sends it, behind its photos.

A batch must continue the chain the server holds for that station: the next numbers, each entry's hash its
content's, the first one's link the hash of the server's last entry. A station whose log was rewritten (even
with every hash recomputed) no longer links to the copy here and is refused (409), so the server's copy is the
proof of what the log said when it left the laptop.
"""

from __future__ import annotations

from dataclasses import fields

from station.adapters.server.intake import Refused
from station.adapters.server.store import MetaStore
from station.audit.trail import GENESIS, Entry
from station.i18n import Text

MAX_BATCH = 100  # well inside the request limit (an entry is a few hundred bytes)
MAX_TEXT = 4000
BAD_BATCH = Text("审计记录格式无效。", "The audit entries are not valid.")
CHAIN_DIFFERS = Text("工作站的审计日志接不上服务器保存的副本（服务器保存到第 {seq} 条）：本机日志可能被改写过。",
                     "The station's audit log does not continue the copy the server holds (up to entry {seq}): the "
                     "log on the laptop may have been rewritten.")
_TYPES = {"seq": int, "detail": dict}


def head(store: MetaStore, station_id: str) -> tuple[int, str]:
    """The number and hash of the last entry the server holds for the station ((0, GENESIS) for none)."""
    return store.audit_head(station_id) or (0, GENESIS)


def accept_audit(store: MetaStore, station_id: str, raw: dict) -> int:
    """Keep the batch when it continues the chain; returns the number of the server's last entry."""
    batch = raw.get("entries")
    if not isinstance(batch, list) or not 0 < len(batch) <= MAX_BATCH:
        raise Refused(422, BAD_BATCH)
    return _continue(store, station_id, [_entry(item) for item in batch])


def import_audit(store: MetaStore, station_id: str, items: object) -> int:
    """A USB package carries the station's whole log (offline, it cannot know what the server holds): the
    entries after the server's copy must continue it; those before are its copy already."""
    if not isinstance(items, list):
        raise Refused(422, BAD_BATCH)
    held = head(store, station_id)[0]
    return _continue(store, station_id, [entry for entry in map(_entry, items) if entry.seq > held])


def _continue(store: MetaStore, station_id: str, entries: list[Entry]) -> int:
    seq, sha = head(store, station_id)
    for entry in entries:
        if entry.seq != seq + 1 or entry.prev_sha256 != sha:
            if not _held_already(store, station_id, entry):  # the registrar is told on the overview
                store.refuse_audit(station_id)
            raise Refused(409, CHAIN_DIFFERS.format(seq=seq))
        seq, sha = entry.seq, entry.sha256
    if entries:
        store.add_audit(station_id, [(e.seq, e.canonical().decode("utf-8"), e.sha256) for e in entries])
    return seq


def _held_already(store: MetaStore, station_id: str, entry: Entry) -> bool:
    """An entry the server holds as it is, sent again (an answer lost on the way, two sends at once): refused as
    no continuation, but no sign of another log."""
    return store.audit_sha256(station_id, entry.seq) == entry.sha256


def _entry(item: object) -> Entry:
    """An entry as sent, refused unless every field is there with its type and its hash is its content's."""
    names = [f.name for f in fields(Entry)]
    if not isinstance(item, dict) or sorted(item) != sorted(names):
        raise Refused(422, BAD_BATCH)
    for name in names:
        value = item[name]
        wanted = _TYPES.get(name, str)
        if not isinstance(value, wanted) or isinstance(value, bool) or len(str(value)) > MAX_TEXT:
            raise Refused(422, BAD_BATCH)
    entry = Entry(**item)
    if entry.digest() != entry.sha256:
        raise Refused(422, BAD_BATCH)
    return entry
