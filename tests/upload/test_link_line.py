"""The registrar's server-config line read from what a photographer pastes (station.upload.link_line)."""

from __future__ import annotations

import pytest

from station.errors import StationError
from station.upload.link_line import link_settings

KEY = "0oBQmQ0Yv2Vq3wz0mVbq0b3ZPLpJ3l6JrJ1v1J0Gf1Y="
PIN = "ab" * 32
LINE = (f"  photo-station server-config --station-id S01 --url https://192.168.1.10:8420 --token t0k-en "
        f"--public-key {KEY} --server-cert-sha256 {PIN}")
WANTED = {"station_id": "S01", "url": "https://192.168.1.10:8420", "token": "t0k-en", "public_key": KEY,
          "cert_sha256": PIN}


@pytest.mark.parametrize("pasted", [
    LINE,
    LINE.replace("photo-station", r".venv\Scripts\photo-station"),  # as run on a Windows laptop
    LINE.replace(" --token", "\n--token").replace(" --public-key", "\r\n  --public-key"),  # wrapped by a chat or mail
    LINE.replace("--url ", "--url=").replace(" --station-id", "\u3000--station-id"),  # = and a full-width space
    LINE.replace("--token t0k-en", '--token "t0k-en"'),  # quoted
])
def test_the_line_is_read_however_it_was_pasted(pasted: str) -> None:
    assert link_settings(pasted) == WANTED


def test_a_line_cut_short_names_what_it_lacks() -> None:
    with pytest.raises(StationError) as refused:
        link_settings(LINE.split(" --public-key")[0])
    assert "--public-key --server-cert-sha256" in refused.value.text.zh
    with pytest.raises(StationError) as refused:
        link_settings("--token --url https://x")  # an option without its value is not taken as one
    assert "--station-id --token --public-key" in refused.value.text.zh
    with pytest.raises(StationError):
        link_settings("")
