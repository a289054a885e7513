"""Addresses a registrar types, keeps in the history or reloads: each answers a page in Chinese with the way back,
never the framework's JSON (seen on the s32 registrar walk: Enter in the address bar of a refused 确认是本人 showed
{"detail":"Method Not Allowed"})."""

from __future__ import annotations

from pathlib import Path


from tests.upload.kit import registrar_signed_in

STUDENTS = [{"student_no": "2021010101", "name": "林晓雯", "class_name": "软件2101", "id_number": ""}]


def test_a_form_address_opened_as_a_page_says_so_in_chinese_and_saves_nothing(tmp_path: Path) -> None:
    uid = "0" * 32
    with registrar_signed_in(tmp_path, STUDENTS) as (web, server):
        refused = web.post(f"/identity/{uid}/confirm", data={"confirmed_by": ""}, headers={"Origin": server.url})
        assert refused.status_code == 404 and "没有这张照片" in refused.text  # the form's own answer, a page
        for action in ("confirm", "undo"):  # then Enter in the address bar: the same address, as a GET
            page = web.get(f"/identity/{uid}/{action}")
            assert page.status_code == 405 and page.headers["content-type"].startswith("text/html"), page.text
            assert "Method Not Allowed" not in page.text and "直接打开它不会保存任何内容" in page.text
            assert 'href="/identity"' in page.text
        assert server.context.store.confirmations() == {}
        assert web.post("/missing").status_code == 405 and 'href="/"' in web.post("/missing").text
        assert web.get("/api/v1/uploads").json() == {"detail": "Method Not Allowed"}  # the stations' API stays JSON
