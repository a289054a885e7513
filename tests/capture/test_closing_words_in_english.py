"""The closing question in English says its count as a sentence does, the verb agreeing with it: "1 photo is not on
the server yet", "3 photos are". The s33 English walk read "Not yet on the server: 1 photo, saved, encrypted, on this
laptop and not lost: the station goes on…" and "Failed to upload, not retried without you: 2 photos."."""

from __future__ import annotations

from station.capture.workflow import CLOSING_FAILED, CLOSING_UNSENT


def test_photos_not_sent_are_counted_in_a_sentence() -> None:
    assert CLOSING_UNSENT.format(n=1).en.startswith("1 photo is not on the server yet. ")
    assert CLOSING_UNSENT.format(n=3).en.startswith("3 photos are not on the server yet. ")
    assert CLOSING_UNSENT.format(n=3).zh.startswith("还有 3 张照片没有上传到服务器。")


def test_photos_that_failed_are_counted_in_a_sentence() -> None:
    assert CLOSING_FAILED.format(n=1).en.startswith("1 photo could not be uploaded, ")
    assert CLOSING_FAILED.format(n=2).en.startswith("2 photos could not be uploaded, ")
    for n in (1, 2):
        said = CLOSING_FAILED.format(n=n).en
        assert "Upload → Failed uploads…" in said and "Upload → Export to USB stick…" in said
