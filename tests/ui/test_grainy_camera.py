"""A camera too grainy for any CHSI photo (a dim hall, the gain turned up), pointed at a student who also fails a check:
the shutter said only the checks (照片不符合要求：请闭上嘴巴…), offered no override (no photo can be made), and the
photographer who had her close her mouth met the grain only at the next press. Both are said at once."""

from __future__ import annotations

from pathlib import Path

import cv2

from tests.chsi.images import demo_frame, grainy
from tests.ui.conftest import shoot


def test_a_refusal_for_the_checks_also_says_the_picture_is_too_grainy(qtbot, make_window, tmp_path: Path) -> None:
    camera = tmp_path / "camera"
    camera.mkdir()
    cv2.imwrite(str(camera / "grainy.png"), grainy(demo_frame("01_good"), 28))  # 林晓雯 smiles: the mouth fails
    window = make_window(camera)
    window.identify("DEMO0001")
    shoot(qtbot, window)
    said = window.message.text()
    assert window.session.workflow.shot is None
    assert "请闭上嘴巴" in said and "噪点太多" in said and "补光" in said, said
