"""Signing in at the start of a capture day, on a laptop with no OS keyring (as in CI): the passphrase is
chosen, typed twice, on first use and asked at every later start; nothing is silently refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from station.context import Station
from station.storage.station_key import ENV_PASSPHRASE, key_file
from tests.ui.conftest import on_next_dialog
from station.adapters.startup import Opened, PassphraseNeed
from ui.opening import sign_in as sign_in_dialogs
from ui.start_dialog import StartDialog


@pytest.fixture
def fresh(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(ENV_PASSPHRASE, raising=False)
    station = Station.open(home, "zh")
    yield station
    station.close()


def sign_in(station: Station, operator: str | None, key=None, demo: bool = False):
    """(operator, station key) once the start dialogs are answered; None when cancelled."""
    signed = sign_in_dialogs(Opened(station, "0", demo, key), operator)
    return None if signed is None else (signed.operator, signed.key)


def answer_start_dialogs(*steps) -> list[dict[str, object]]:
    """Each step fills in one start dialog as it opens; what each dialog showed is noted for the test."""
    seen: list[dict[str, object]] = []

    def act(dialog: StartDialog, index: int = 0) -> None:
        seen.append({"error": dialog.error.text() if dialog.error.isVisibleTo(dialog) else "",
                     "asks_passphrase": dialog.passphrase.isVisibleTo(dialog),
                     "asks_confirm": dialog.confirm.isVisibleTo(dialog)})
        steps[index](dialog, seen[-1])
        if index + 1 < len(steps):
            on_next_dialog(lambda d: act(d, index + 1), kind=StartDialog)

    on_next_dialog(act, kind=StartDialog)
    return seen


def ok(dialog: StartDialog) -> str:
    """Press OK; the dialog's own complaint, if it stays open."""
    dialog.buttons.button(QDialogButtonBox.Ok).click()
    return dialog.error.text() if dialog.isVisible() else ""


def test_first_start_sets_the_passphrase_twice_and_says_what_is_missing(qtbot, fresh: Station) -> None:
    def first(dialog: StartDialog, note: dict) -> None:
        note["empty name"] = ok(dialog)
        dialog.operator.setText("王老师")
        note["no passphrase"] = ok(dialog)
        dialog.passphrase.setText("kiosk-pass-1")
        dialog.confirm.setText("kiosk-pass-2")
        note["mismatch"] = ok(dialog)
        dialog.passphrase.setText("short")
        dialog.confirm.setText("short")
        note["short"] = ok(dialog)
        dialog.passphrase.setText("kiosk-pass-1")
        dialog.confirm.setText("kiosk-pass-1")
        note["accepted"] = ok(dialog) == ""

    seen = answer_start_dialogs(first)
    signed = sign_in(fresh, None, None)
    [note] = seen
    assert note["error"] == ""  # the first screen of the day is a question, not a red error
    assert note["asks_passphrase"] and note["asks_confirm"]
    assert "摄影师姓名" in note["empty name"]
    assert note["no passphrase"] == "请输入工作站口令。"
    assert "不一致" in note["mismatch"]
    assert "至少需要 8 个字符" in note["short"]
    assert note["accepted"]
    assert signed is not None and signed[0] == "王老师" and signed[1].method == "passphrase"
    assert key_file(fresh.home).exists()


def test_later_starts_ask_once_and_say_when_the_passphrase_is_wrong(qtbot, fresh: Station) -> None:
    created = answer_start_dialogs(lambda d, _: (d.operator.setText("王老师"), d.passphrase.setText("kiosk-pass-1"),
                                                 d.confirm.setText("kiosk-pass-1"), ok(d)))
    first_key = sign_in(fresh, None, None)[1]
    assert created[0]["asks_confirm"]

    def wrong(dialog: StartDialog, _note: dict) -> None:
        assert dialog.operator.text() == "王老师"  # remembered from the last start
        dialog.passphrase.setText("kiosk-pass-2")
        ok(dialog)

    def right(dialog: StartDialog, _note: dict) -> None:
        dialog.passphrase.setText("kiosk-pass-1")
        ok(dialog)

    seen = answer_start_dialogs(wrong, right)
    signed = sign_in(fresh, None, None)
    assert [s["asks_confirm"] for s in seen] == [False, False] and all(s["asks_passphrase"] for s in seen)
    assert [s["error"] for s in seen] == ["", "工作站口令不正确。"]
    assert signed is not None and signed[1].key == first_key.key


def test_cancel_opens_nothing(qtbot, fresh: Station) -> None:
    answer_start_dialogs(lambda d, _: d.reject())
    assert sign_in(fresh, "王老师", None) is None
    assert not key_file(fresh.home).exists()


def test_the_demo_photographer_never_reaches_the_real_stations_dialog(qtbot, fresh: Station, tmp_path: Path) -> None:
    from station.adapters.demo import prepare_demo
    from station.paths import demo_home

    demo = Station.open(demo_home(tmp_path / "demo"), "zh")
    try:
        assert sign_in(demo, None, prepare_demo(demo), demo=True)[0] == "演示摄影师"
    finally:
        demo.close()
    seen: list[str] = []
    answer_start_dialogs(lambda d, _: (seen.append(d.operator.text()), d.reject()))
    sign_in(fresh, None, None)
    assert seen == [""]


def test_passphrases_to_type_again_are_cleared_for_it(qtbot, fresh: Station) -> None:
    """两次输入的口令不一致，请重新输入 left both fields full of dots and the cursor at the end of the second: the
    passphrase typed again there was appended, and differed again (s28 walk on Xvfb, z_real_mismatch.png)."""
    dialog = StartDialog("王老师", PassphraseNeed.SET)
    qtbot.addWidget(dialog)
    dialog.show()
    for first, again in (("kiosk-pass-1", "kiosk-pass-2"), ("short", "short")):
        qtbot.keyClicks(dialog.passphrase, first)
        qtbot.keyClicks(dialog.confirm, again)
        assert ok(dialog) != ""
        assert (dialog.passphrase.text(), dialog.confirm.text()) == ("", "")
        assert dialog.focusWidget() is dialog.passphrase
    qtbot.keyClicks(dialog.passphrase, "kiosk-pass-1")
    qtbot.keyClicks(dialog.confirm, "kiosk-pass-1")
    assert ok(dialog) == "" and dialog.result() == StartDialog.Accepted
