"""An English-speaking photographer (an exchange programme's staff, a foreign technician helping on the day) meets no
Chinese in the window's own words with --lang en: the menus, the card's captions and status, the buttons, the
check chips, the status bar, the queue screen and the key list. Students' names, classes, colleges and majors are
data and stay as the roster has them."""

from __future__ import annotations

import re
from pathlib import Path

from station.privacy import mask_name
from tests.ui.reading import read, texts_on_screen
from ui.i18n import language, set_language

CHINESE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")  # characters and full-width punctuation


def test_the_english_window_has_no_chinese_but_the_rosters(qtbot, english, make_window, frames: Path) -> None:
    window = make_window(frames)
    window.identify("DEMO0001")
    qtbot.waitUntil(lambda: window.session.student is not None, timeout=5_000)
    window.mark_next_absent()  # the undo button and its message
    window.queue_window.show()
    window.show_keyboard_help()
    qtbot.waitUntil(window.help_window.isVisible, timeout=5_000)
    data = {window.session.operator, "语言"}  # 工作站 → Language / 语言: found by one who cannot read English
    for row in window.session.desk.roster_rows():
        s = row.student
        data |= {s.name, mask_name(s.name), s.class_name, s.college, s.major}  # the queue screen masks
    texts = [*texts_on_screen(window), *texts_on_screen(window.queue_window), *texts_on_screen(window.help_window)]
    texts += [a.text() for top in window.menuBar().actions() if top.menu() for a in top.menu().actions()]
    texts += [top.text() for top in window.menuBar().actions()]
    window.help_window.close()
    window.queue_window.hide()
    masked = set()
    for text in texts:
        text = read(text)
        for value in sorted(filter(None, data), key=len, reverse=True):
            text = text.replace(value, "")
        masked.add(text)
    assert any("Shutter" in t for t in masked) and any("Undo absent" in t for t in masked)
    assert not [t for t in masked if CHINESE.search(t)]


def test_the_queue_screens_words_are_capitalised_alike(qtbot, make_window, frames: Path) -> None:
    """The status and fee columns side by side: "Waiting" beside "not paid" read as two styles."""
    before = language()
    set_language("en")
    try:
        window = make_window(frames)
        window.queue_window.refresh()
        table = window.queue_window.table
        words = {table.item(row, column).text() for row in range(table.rowCount()) for column in (3, 4)}
    finally:
        set_language(before)
    assert "Not paid" in words and all(word[:1].isupper() for word in words), words
