"""Every time on the registrar's pages says it is Beijing time: the station beside the page shows its machine's own
time, and a demo on a UTC laptop read 22:01 on the station and 12-07 06:00 on the page with nothing to tell which was
right (s28 walk). A time in a table says it in its column's heading, one in a sentence beside it. A real server on
127.0.0.1, the real HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from station.context import Station
from station.storage.captures import CaptureStore
from station.upload.uploader import Uploader
from tests.server.registrar_day import _jpeg, registrar_day
from tests.server.test_identity_confirmation import client, doubted_uid
from tests.upload.kit import station_key

TIME = re.compile(r"\d\d-\d\d \d\d:\d\d")
CLOCK = "北京时间"


class _Times(HTMLParser):
    """Each time on a page with what says its clock: its table column's heading, or the words right after it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []  # (time, its column's heading or "", the words after it)
        self._heads: list[str] = []
        self._column = -1
        self._in_head = False
        self._text = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "table":
            self._heads = []
        elif tag == "tr":
            self._column = -1
        elif tag in ("td", "th"):
            self._flush()
            self._column += 1
            self._in_head = tag == "th"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "table", "p", "div"):
            self._flush()
        if tag == "table":
            self._heads, self._column = [], -1

    def handle_data(self, data: str) -> None:
        self._text += data

    def _flush(self) -> None:
        text, self._text = self._text, ""
        if self._in_head:
            self._heads.append(text)
            self._in_head = False
            return
        heading = self._heads[self._column] if 0 <= self._column < len(self._heads) else ""
        self.found += [(m.group(), heading, text[m.end():m.end() + 8]) for m in TIME.finditer(text)]


def _unsaid(html: str) -> tuple[list[tuple[str, str, str]], int]:
    """The times whose clock the page does not say, and how many times it shows."""
    times = _Times()
    times.feed(html)
    times.close()
    unsaid = [t for t in times.found if CLOCK not in t[1] and not t[2].startswith(f" {CLOCK}")]
    return unsaid, len(times.found)


@pytest.fixture
def day(tmp_path, home):
    """The registrar's day, with a photo saved over a failing check, a station whose audit log was refused, and a
    confirmation made and withdrawn: every kind of time the pages show."""
    day = registrar_day(tmp_path, home)
    station = Station.open(home)
    key = station_key(home)
    CaptureStore(station, key).save("20210102", _jpeg(50), b"o", operator="王老师", override_reason="眼镜反光已核对")
    station.close()
    Uploader(home, key).drain()
    day.server.context.store.refuse_audit("S01")
    yield day
    day.server.stop()


def test_every_time_on_the_registrar_pages_says_it_is_beijing_time(day) -> None:
    uid = doubted_uid(day)
    with client(day) as registrar:
        assert registrar.post(f"/identity/{uid}/confirm", data={"confirmed_by": "张老师"}).status_code == 303
        assert registrar.post(f"/identity/{uid}/undo", data={"withdrawn_by": "李老师"}).status_code == 303
        assert registrar.post(f"/identity/{uid}/confirm", data={"confirmed_by": "张老师"}).status_code == 303
        shown = {}
        for path in ("/", "/classes/软件2101", "/identity", "/classes/软件2102"):
            page = registrar.get(path)
            assert page.status_code == 200
            shown[path] = _unsaid(page.text)
    # how many times each shows: the station's last contact and success, the refused audit log; three photos, a
    # retake's two, the override's; the photo, its confirmation, the one withdrawn and its withdrawal
    assert {path: count for path, (_, count) in shown.items()} == {
        "/": 3, "/classes/软件2101": 6, "/identity": 4, "/classes/软件2102": 1}
    assert {path: unsaid for path, (unsaid, _) in shown.items() if unsaid} == {}
