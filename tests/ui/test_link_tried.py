"""上传 → 连接服务器… tries the line once it is saved, and says what the server answered: "saved" alone, then
服务器未连接 in the status bar whatever the cause, sent a photographer whose line had a mistyped fingerprint or token to
check the network (first-day walk on Xvfb, s32). A real receiving server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from station.storage.server_link import load_link
from tests.ui.conftest import on_next_dialog
from tests.upload.kit import LiveServer, serving


@pytest.fixture
def live(tmp_path: Path):
    with serving(tmp_path) as server:
        yield server


def pasted(window, line: str) -> tuple[str, QMessageBox.Icon]:
    said: list[tuple[str, QMessageBox.Icon]] = []
    on_next_dialog(lambda box: (box.setTextValue(line), box.accept()))
    on_next_dialog(lambda box: (said.append((box.text(), box.icon())), box.accept()), kind=QMessageBox)
    window.link_server()
    [answer] = said
    return answer


def test_the_line_pasted_is_tried_and_what_the_server_answered_is_said(qtbot, make_window, frames: Path, station,
                                                                      live: LiveServer) -> None:
    context = live.context
    token = context.add_station("S09")
    line = (f"photo-station server-config --station-id S09 --url {live.url} --token {token} "
            f"--public-key {context.public_key} --server-cert-sha256 {context.cert_sha256}")
    window = make_window(frames)

    text, icon = pasted(window, line)
    assert text.startswith("已保存服务器连接设置：工作站 S09") and "服务器已应答" in text, text
    assert icon is QMessageBox.Icon.Information

    wrong_fingerprint = line.replace(context.cert_sha256, "ab" * 32)
    text, icon = pasted(window, wrong_fingerprint)
    assert "刚才试连：服务器证书与设置的指纹不符" in text and icon is QMessageBox.Icon.Warning, text
    assert load_link(station.db).cert_sha256 == "ab" * 32  # saved all the same, as the command saves it

    wrong_token = line.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    text, icon = pasted(window, wrong_token)
    assert "服务器不认这台工作站的令牌" in text and icon is QMessageBox.Icon.Warning, text

    live.stop()
    text, icon = pasted(window, line)
    assert "刚才试连：无法连接服务器：网络不通，或服务器没有在运行" in text, text
    live.start()


def test_the_status_bar_says_why_the_server_is_not_reached_when_pointed_at(qtbot, make_window, frames: Path,
                                                                          station) -> None:
    """服务器未连接 in the status bar never named the cause, which the queue keeps (s32 first-day walk): its tip does."""
    from station.storage import outbox
    from station.upload.uploader import TOKEN_REFUSED

    window = make_window(frames)
    outbox.record_status(station.db, server_reachable="0", error_zh=TOKEN_REFUSED.zh, error_en=TOKEN_REFUSED.en)
    window._tick()
    assert "服务器未连接" in window.queue_status.text()
    assert window.queue_status.toolTip() == TOKEN_REFUSED.zh
    outbox.record_status(station.db, server_reachable="1", error_zh="", error_en="")
    window._tick()
    assert window.queue_status.toolTip() == ""
