"""A pasted settings line that lacks options is refused with each option and command whole on its line, in both
languages: the box broke "--station-id --token --public-key -- / server-cert-sha256" and "photo- / station-server
add-station" at their hyphens (s33 English walk, Upload → Connect to the server…), which a photographer compares
character by character with what the registrar sent."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from station.errors import StationError
from station.upload.link_line import OPTIONS, link_settings
from tests.ui.reading import read
from tests.ui.test_identity_at_review import lines
from ui.i18n import t

WORDS = [*OPTIONS, "photo-station-server add-station"]


@pytest.mark.parametrize("width", [300, 360, 420, 500])
def test_each_option_is_whole_where_the_refusal_wraps(qtbot, themed: str, width: int) -> None:
    with pytest.raises(StationError) as refused:
        link_settings("photo-station server-config --url https://x")
    label = QLabel(t(refused.value.text))
    label.setWordWrap(True)
    label.setFixedWidth(width)
    qtbot.addWidget(label)
    shown = [read(line).replace("\xa0", " ") for line in lines(label)]  # a no-break space reads as a space
    for word in WORDS:
        if word == "--url":
            continue  # given, so not named
        assert any(word in line for line in shown), (word, shown)
