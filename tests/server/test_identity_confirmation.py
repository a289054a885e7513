"""The registrar confirms on 身份核验 that a doubted photo is the student: stored with who, when and a note, moved to
已核对, no longer counted on the overview, exported by export-chsi without --include-doubted; undone by 撤销, which
the row keeps saying (who confirmed, who withdrew it). Bad or
hostile posts are a clear 4xx and change nothing. A real server on 127.0.0.1, a real SQLite file."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from station.adapters.server.chsi_export import export_chsi
from station.adapters.server.doubts import NOTE_LIMIT
from station.adapters.server.intake import blob_path
from station.pinning import pinned_context
from tests.server.registrar_day import UNCERTAIN, registrar_day

DOUBTED = "20210201"  # 刘一鸣: the station could not tell his face from his enrolment photo


@pytest.fixture
def day(tmp_path, home):
    day = registrar_day(tmp_path, home)
    yield day
    day.server.stop()


def client(day, password: str | None = "ok", **headers: str) -> httpx.Client:
    """The registrar's browser on the server's own page (Origin: the server), unless told otherwise."""
    live = day.server
    return httpx.Client(base_url=live.url, auth=("registrar", day.password if password == "ok" else password)
                        if password else None, headers={"Origin": live.url, **headers},
                        verify=pinned_context(live.context.cert_sha256))


def words(html: str) -> str:
    """What the page says, without its tags."""
    return re.sub(r"<[^>]*>", "", html)


def doubted_uid(day) -> str:
    return day.server.context.store.registered()[DOUBTED].uid


def test_a_confirmed_photo_moves_to_checked_and_is_exported_until_the_confirmation_is_undone(day, tmp_path):
    uid = doubted_uid(day)
    with client(day) as registrar:
        page = registrar.get("/identity").text
        assert f'action="/identity/{uid}/confirm"' in page and "确认是本人" in page
        done = registrar.post(f"/identity/{uid}/confirm", data={"confirmed_by": "张老师", "note": "看过学生证"})
        assert done.status_code == 303 and done.headers["location"] == "/identity"
        page = registrar.get("/identity").text
        checked = page.split("已核对：确是本人（1）")[1]
        assert uid in checked and "已人工核对：张老师" in checked and "看过学生证" in checked
        assert f'action="/identity/{uid}/undo"' in checked and f"/identity/{uid}/confirm" not in page
        at = day.server.context.store.confirmations()[uid].confirmed_at  # stored in UTC, shown in Beijing time
        beijing = datetime.fromisoformat(at).astimezone(timezone(timedelta(hours=8)))
        assert at.endswith("+00:00") and f"张老师，{beijing:%m-%d %H:%M}" in words(checked)
        assert "身份核验</a>：没有待核对的照片" in registrar.get("/").text
        report = export_chsi(day.server.context, tmp_path / "out")
        assert (tmp_path / "out" / f"{DOUBTED}.jpg").exists()  # no ID number on the roster: named by student number
        assert all("身份待核对" not in text.zh for _, text in report.problems)
        index = (tmp_path / "out" / "index.csv").read_text(encoding="utf-8-sig")
        assert f"已人工核对（张老师，{beijing.isoformat(timespec='seconds')}" in index and "看过学生证）：与学籍照片不能确定（0.34）" in index

        assert registrar.post(f"/identity/{uid}/undo", data={"withdrawn_by": "李老师"}).status_code == 303
        assert day.server.context.store.confirmations() == {}
        page = registrar.get("/identity").text
        assert "已核对：确是本人（0）" in page and f'action="/identity/{uid}/confirm"' in page
        withdrawn = page.split(f'action="/identity/{uid}/confirm"')[0].rsplit("<tr>", 1)[1]  # its row, kept saying so
        assert f"曾确认：张老师，{beijing:%m-%d %H:%M}" in words(withdrawn) and "看过学生证" in withdrawn
        assert "已撤销：李老师，" in withdrawn
        [record] = day.server.context.store.withdrawals()[uid]
        assert record.confirmation.confirmed_by == "张老师" and record.withdrawn_by == "李老师"
        assert "身份核验</a>：1 张照片待核对" in registrar.get("/").text
        export_chsi(day.server.context, tmp_path / "again")
        assert not (tmp_path / "again" / f"{DOUBTED}.jpg").exists()  # held back again


def test_a_second_confirmation_keeps_the_first_and_a_retake_is_a_new_question(day):
    uid = doubted_uid(day)
    store = day.server.context.store
    with client(day) as registrar:
        for who in ("张老师", "李老师"):  # a double click
            assert registrar.post(f"/identity/{uid}/confirm", data={"confirmed_by": who}).status_code == 303
        assert store.confirmations()[uid].confirmed_by == "张老师"
        old = store.get_upload(uid)
        retake = replace(old, uid="f" * 32, version=2, captured_at="2099-01-01T00:00:00.000+00:00", identity=UNCERTAIN)
        assert store.insert_upload(retake)  # the retake is in doubt too: its photo is asked about anew
        assert "身份核验</a>：1 张照片待核对" in registrar.get("/").text
        page = registrar.get("/identity").text
        assert "已核对：确是本人（0）" in page and f"/identity/{retake.uid}/confirm" in page
        refused = registrar.post(f"/identity/{uid}/confirm", data={"confirmed_by": "张老师"})
        assert refused.status_code == 409 and "已被重拍替换" in refused.text


def test_bad_and_hostile_posts_are_a_clear_4xx_and_change_nothing(day):
    uid = doubted_uid(day)
    store = day.server.context.store
    uploads = store.uploads()
    not_doubted = store.registered()["20210103"].uid
    form = {"confirmed_by": "张老师"}
    with client(day) as registrar:
        cases = [(f"/identity/{'0' * 32}/confirm", form, 404), ("/identity/NOT-A-UID/confirm", form, 404),
                 (f"/identity/{'0' * 32}/undo", {}, 404), (f"/identity/{not_doubted}/confirm", form, 409),
                 (f"/identity/{not_doubted}/undo", {}, 409), (f"/identity/{uid}/confirm", {}, 422),
                 (f"/identity/{uid}/undo", {}, 422), (f"/identity/{uid}/undo", {"withdrawn_by": "  "}, 422),
                 (f"/identity/{uid}/confirm", {"confirmed_by": " \t\n"}, 422),
                 (f"/identity/{uid}/confirm", {"confirmed_by": "张" * 41}, 422),
                 (f"/identity/{uid}/confirm", {**form, "note": "长" * (NOTE_LIMIT + 1)}, 422)]
        for path, data, status in cases:
            answer = registrar.post(path, data=data)
            assert answer.status_code == status, (path, data)
            assert answer.headers["content-type"].startswith("text/html") and "返回身份核验" in answer.text
        assert "核对人" in registrar.post(f"/identity/{uid}/confirm", data={}).text  # says what is missing
        assert "撤销人" in registrar.post(f"/identity/{uid}/undo", data={}).text
        huge = registrar.post(f"/identity/{uid}/confirm", data={**form, "note": "x" * 70_000})
        assert huge.status_code == 413
        assert registrar.post(f"/identity/{uid}/confirm", content=b"\xff\xfe--garbage",
                              headers={"Content-Type": "multipart/form-data; boundary=x"}).status_code < 500
    for password in (None, "wrong"):
        with client(day, password) as stranger:
            refused = stranger.post(f"/identity/{uid}/confirm", data=form)
            assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic")
    for origin in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                   {"Origin": "", "Referer": "https://evil.example/identity"}, {"Origin": ""}):
        with client(day, **origin) as cross_site:  # another site's page posting with the browser's credentials
            refused = cross_site.post(f"/identity/{uid}/confirm", data=form)
            assert refused.status_code == 403 and "本服务器的页面" in refused.text, origin
            assert cross_site.post(f"/identity/{uid}/undo").status_code == 403
    assert store.confirmations() == {} and store.uploads() == uploads
    with client(day, Origin="", Referer=f"{day.server.url}/identity") as old_browser:  # no Origin: its Referer
        assert old_browser.post(f"/identity/{uid}/confirm", data=form).status_code == 303
        framed = old_browser.get("/identity").headers
        assert framed["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in framed["content-security-policy"]
    assert list(store.confirmations()) == [uid]


def test_a_thumbnail_whose_file_could_not_be_read_is_read_again_once_it_is_back(day):
    """Thumbnails are kept in memory per capture; a failed read is not (a file moved away and put back, a disk's
    passing trouble): the photo shows again without restarting the server."""
    uid = doubted_uid(day)
    stored = blob_path(day.server.context, uid, "chsi")
    with client(day) as registrar:
        stored.rename(stored.with_name("away"))
        assert registrar.get(f"/photos/{uid}.jpg").status_code == 404
        stored.with_name("away").rename(stored)
        shown = registrar.get(f"/photos/{uid}.jpg")
        assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"


def test_a_request_naming_no_host_is_not_taken_for_this_servers_own_page() -> None:
    """An Origin without a host part (not a URL) and no Host header compared two empty strings as equal."""
    from starlette.requests import Request

    from station.adapters.server.app import _same_origin

    def request(*headers: tuple[bytes, bytes]) -> Request:
        return Request({"type": "http", "method": "POST", "path": "/", "headers": list(headers)})

    assert not _same_origin(request((b"origin", b"not-a-url")))
    assert not _same_origin(request((b"origin", b"https://evil.example"), (b"host", b"")))
    assert _same_origin(request((b"origin", b"https://10.0.0.5:8443"), (b"host", b"10.0.0.5:8443")))


def test_the_class_page_says_which_photographed_student_s_photo_is_held_back(day):
    """刘一鸣 is 已拍摄, but his photo waits on 身份核验 and export-chsi leaves it out: a class page showing the class
    done had the registrar hand over a batch without him."""
    def row(page: str, student_no: str) -> str:
        return page.split(f"<td>{student_no}</td>")[1].split("</tr>")[0]

    with client(day) as registrar:
        his = row(registrar.get("/classes/软件2102").text, DOUBTED)
        assert "身份待核对，暂不导出" in his and 'href="/identity"' in his
        # 林晓雯: nothing in doubt, so nothing checked by hand
        assert "<td>可导出</td>" in row(registrar.get("/classes/软件2101").text, "20210101")
        registrar.post(f"/identity/{doubted_uid(day)}/confirm", data={"confirmed_by": "张老师"})
        # his, confirmed: not a bare 可导出, which read as a photo nobody doubted (s32 registrar review)
        assert "<td>可导出（已人工核对）</td>" in row(registrar.get("/classes/软件2102").text, DOUBTED)
        registrar.post(f"/identity/{doubted_uid(day)}/undo", data={"withdrawn_by": "李老师"})
        assert "身份待核对，暂不导出" in row(registrar.get("/classes/软件2102").text, DOUBTED)
