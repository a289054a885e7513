"""One station's link run on two laptops (the registrar reused add-station's line, or a laptop was swapped in): both
send their photos as that station, but only the first laptop's audit log continues the server's copy. The refusal was
only a warning in the second laptop's log file; the overview now says it, as it says a log rewritten on a laptop. An
entry sent again (an answer lost on the way) is no such sign. A real server on 127.0.0.1, real uploaders."""

from __future__ import annotations

import re
from pathlib import Path

from station.audit.trail import Action, AuditTrail, entries
from station.adapters.server.pages import overview_page, school_state
from station.storage.server_link import load_link
from station.upload.uploader import Uploader
from tests.upload.kit import linked_station, station_key
from tests.upload.test_audit_upload import FAST


def _warning(server) -> str:
    page = re.sub(r"<[^>]*>", "", overview_page(school_state(server.context.store), 0, ""))
    return next((line for line in page.split("。") if "审计日志接不上" in line), "")


def test_the_second_laptop_on_one_link_is_said_on_the_overview(station, server, key, tmp_path: Path) -> None:
    first = AuditTrail(station, "摄影师甲")
    for n in range(3):
        first.record(Action.IDENTIFY, "20200001", n=n)
    Uploader(station.home, key, FAST).reconcile()
    held = entries(station.db)
    assert server.context.store.audit_head("S01")[0] == 3 and _warning(server) == ""

    second_home = tmp_path / "laptop-2"  # the first laptop's server-config line, run again on a second one
    second = linked_station(second_home, server.context, server.url, load_link(station.db).token, "S01")
    try:
        trail = AuditTrail(second, "摄影师乙")
        for n in range(5):  # more entries than the server holds: laptop two sends them
            trail.record(Action.IDENTIFY, "20200002", n=n)
        Uploader(second_home, station_key(second_home), FAST).reconcile()
    finally:
        second.close()
    assert server.context.store.audit_head("S01") == (3, held[-1].sha256)  # the first laptop's copy, as it was
    assert "工作站 S01 的审计日志接不上服务器保存的副本" in _warning(server)
    assert "两台电脑" in _warning(server) and "add-station" in _warning(server)


def test_an_entry_sent_again_is_no_sign_of_another_laptop(station, server) -> None:
    AuditTrail(station, "x").record(Action.SIGN_IN)
    [entry] = entries(station.db)
    with server.client(server.context.add_station("S02", "二号")) as client:
        assert client.post("/api/v1/audit", json={"entries": [entry.__dict__]}).json() == {"seq": 1}
        assert client.post("/api/v1/audit", json={"entries": [entry.__dict__]}).status_code == 409  # held already
    assert _warning(server) == ""
