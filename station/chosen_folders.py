"""The folders the photographer last read files from (a roster, a USB stick of reference photos) and last wrote them to
(a print sheet, a day report), kept in the data folder so that the next start's dialogs open there too: they opened in
the home folder at every start, and the photographer walked to the school's folder again each morning."""

from __future__ import annotations

import json
from pathlib import Path

from station.storage.atomic import write_atomic

FOLDERS_FILE = "folders.json"


def chosen_folders(home: Path) -> dict[str, Path]:
    """Each kind's folder as last kept for this data home; a file that cannot be read keeps none."""
    try:
        kept = json.loads((home / FOLDERS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {kind: Path(folder) for kind, folder in kept.items() if isinstance(folder, str)} if isinstance(
        kept, dict) else {}


def keep_folder(home: Path, kind: str, folder: Path) -> bool:
    """`folder` kept as the last of `kind` for the next start; False: the data folder cannot be written."""
    kept = {k: str(f) for k, f in chosen_folders(home).items()} | {kind: str(folder)}
    try:
        write_atomic(home / FOLDERS_FILE, json.dumps(kept, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError:
        return False
    return True
