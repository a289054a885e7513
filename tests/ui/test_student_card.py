"""The student card: a name big, and the prompt for nobody small enough that all seven rows stay in a 1280x720
laptop's panel (in English it took three lines at the name's size and pushed the fee out of sight)."""

from __future__ import annotations

from station.identify.identify import identify
from station.roster.store import set_absent
from ui.i18n import language, set_language
from ui.student_card import StudentCard
from ui.theme import STYLE


def test_the_prompt_for_nobody_is_smaller_than_a_name(qtbot, station) -> None:
    before = language()
    set_language("en")
    try:
        card = StudentCard()
        card.setStyleSheet(STYLE)
        card.setFixedWidth(400)  # the side panel's width less its margins
        qtbot.addWidget(card)
        card.show()
        prompt_height = card.sizeHint().height()
        assert card.name.text() == "Scan the capture code or type the student number"
        assert card.name.fontInfo().pixelSize() == 22
        card.show_identification(identify(station.db, "DEMO0001"))
        assert card.name.text() == "林晓雯" and card.name.fontInfo().pixelSize() == 34
        assert prompt_height <= card.sizeHint().height()  # nobody takes no more room than a student
        card.clear()
        assert card.name.fontInfo().pixelSize() == 22
    finally:
        set_language(before)


def test_a_student_marked_absent_who_comes_after_all_is_said_so(qtbot, station) -> None:
    card = StudentCard()
    qtbot.addWidget(card)
    card.show_identification(identify(station.db, "DEMO0001"))
    assert card.values["status"].text() == "未拍摄"
    set_absent(station.db, "2021010101", True)  # F3 on 林晓雯 while she was not there; then she comes
    card.show_identification(identify(station.db, "DEMO0001"))
    assert card.values["status"].text() == "未拍摄（曾标缺席）"
