"""The line the registrar gives each laptop (printed by `photo-station-server add-station`), read from the text
pasted into the window (上传 → 连接服务器…): a photographer at a Windows laptop has no terminal open, and until the
line was run there the station could not save a single photo (未配置服务器：照片无法加密保存)."""

from __future__ import annotations

import sqlite_utils

from station.audit.trail import Action, AuditTrail
from station.errors import StationError
from station.i18n import Name, Text
from station.storage import outbox
from station.storage.server_link import ServerLink, load_link, save_link

# the options of `photo-station server-config` that add-station prints, and the server link's fields they set
OPTIONS = {"--station-id": "station_id", "--url": "url", "--token": "token", "--public-key": "public_key",
           "--server-cert-sha256": "cert_sha256"}
# each option and command kept whole where the message wraps: the window's box broke "-- / server-cert-sha256" and
# "photo- / station-server" at their hyphens (s33 English walk)
MISSING = Text("粘贴的内容缺少 {which}：请粘贴学校管理员给出的整行 {line}（由 {printer} 打印）",
               "What was pasted lacks {which}: paste the whole {line} line the registrar gives you (printed by "
               "{printer})")


def _whole(words: str) -> Text:
    """`words` on one line where the window shows them (a no-break space between them: Qt broke after a space even
    beside a word joiner), as typed elsewhere (the command line's output is copied into a shell)."""
    kept = Name(words.replace(" ", "\u00a0")).whole()
    return Text(words, words, Text(kept, kept))


LINE = _whole("photo-station server-config …")
PRINTER = _whole("photo-station-server add-station")


def link_settings(text: str) -> dict[str, str]:
    """The server link's fields in a pasted server-config line: wherever the line starts (with or without the program's
    path) and however a chat or a mail wrapped it; `--option=value` too. Checked only for being all there: the link
    itself checks each value as `photo-station server-config` does (save_link)."""
    words = text.replace("\u3000", " ").split()  # a full-width space from a Chinese input method
    found: dict[str, str] = {}
    for i, word in enumerate(words):
        option, equals, value = word.partition("=")
        if option not in OPTIONS:
            continue
        if not equals:
            value = words[i + 1] if i + 1 < len(words) else ""
        value = value.strip("'\"“”")
        if value and not value.startswith("--"):
            found[OPTIONS[option]] = value
    missing = [option for option, field in OPTIONS.items() if field not in found]
    if missing:
        which = " ".join(missing)
        whole = " ".join(Name(option).whole() for option in missing)  # a line may break between two options
        raise StationError(MISSING.format(which=Text(which, which, Text(whole, whole)), line=LINE, printer=PRINTER))
    return found


def relink(audit: AuditTrail, changes: dict[str, str]) -> ServerLink:
    """The server link with `changes` saved (each value checked by save_link) and recorded as the operator's, naming
    the settings changed, never the token: the window's pasted line and `photo-station server-config` alike."""
    link = save_link(audit.station.db, **changes)
    audit.record(Action.SETTINGS, setting="server_link", changed=sorted(changes))
    return link


def stranded_by(db: sqlite_utils.Database, public_key: str) -> int:
    """How many photos waiting to upload a change to the server `public_key` would strand: each is sealed for the
    server linked now, and another server (another key) cannot open them, nor a USB package sealed after the change.
    0 for the same server, or a laptop never linked."""
    linked = load_link(db).public_key
    if not linked or public_key == linked:
        return 0
    return len(outbox.unsent_uids(db))
