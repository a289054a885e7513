"""The school's roster on the receiving server: read by the stations' own importer (same columns and rules), so
a file a station takes is taken here the same way (`photo-station-server import-roster`, and the demo's server)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from station.adapters.server.home import ServerContext
from station.db import open_db
from station.roster.importer import ImportReport, changed_entries, import_roster
from station.roster.store import all_refused


@dataclass(frozen=True)
class ServerRosterImport:
    stored: int  # students the file gave (new or updated) in the server's store
    report: ImportReport  # the importer's report: the rows it refused, with why; the photographed whose entry changed


def import_server_roster(server: ServerContext, file: Path) -> ServerRosterImport:
    """The file read into a scratch station database, then its students written to the server's store."""
    # Windows: an antivirus scanning the scratch database may keep it from being deleted at once: left in the
    # system's temporary folder rather than failing the import after its work is done
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as scratch:
        db = open_db(Path(scratch) / "roster.db")
        try:
            report = import_roster(db, file)
            students = [dict(row) for row in db.query("SELECT * FROM students")]
            refused = all_refused(db)
        finally:
            db.close()
    before = server.store.photographed_entries()
    server.store.upsert_students(students)
    server.store.keep_refused(refused)  # named on the overview until an import takes the student
    # the scratch database held no photos: the students photographed are the server's, by the station's rule
    report.photographed_changed = changed_entries(before, server.store.photographed_entries())
    return ServerRosterImport(len(students), report)
