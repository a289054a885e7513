"""A swap retaken with the same wrong face stays in doubt. On the walk, a third laptop photographed 王思远's face for
刘子涵, 吴俊杰 and 郑欣然 (each a swap the page listed), then retook each (closed eyes): every retake matched only its
own first photo, which, 已被重拍替换, asked nothing any more, and export-chsi handed 王思远's face over as four students."""

from __future__ import annotations

import io
import json

from PIL import Image

from station.adapters.server.chsi_export import export_chsi
from station.adapters.server.doubts import confirm, identity_doubts, open_doubts
from station.storage.captures import CaptureStore
from station.upload.uploader import Uploader


def _jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (480, 640), (shade, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def _checks(*checks: dict, reason: str = "") -> str:
    return json.dumps({"checks": list(checks), "reason": reason}, ensure_ascii=False)


SAME_AS_BEFORE = {"against": "previous", "level": "same", "score": 1.0}


def test_a_retake_of_a_doubted_photo_by_the_same_face_is_held_back_too(station, key, server, tmp_path):
    store = CaptureStore(station, key)
    store.save("20200001", _jpeg(10), b"o", operator="op")
    Uploader(station.home, key).drain()
    wang = server.context.store.registered()["20200001"].uid
    swap = {"against": "swap", "level": "different", "score": 1.0, "student_no": "20200001", "source": "capture",
            "uid": wang}
    store.save("20200002", _jpeg(20), b"o", operator="op", identity=_checks(swap, reason="测试"))
    store.save("20200002", _jpeg(30), b"o", operator="op", reason="闭眼", identity=_checks(SAME_AS_BEFORE))
    store.save("20200002", _jpeg(40), b"o", operator="op", reason="头发", identity=_checks(SAME_AS_BEFORE))
    # an old enrolment photo, confirmed by the registrar before the retake: the retake is that person again
    store.save("20200003", _jpeg(50), b"o", operator="op",
               identity=_checks({"against": "reference", "level": "uncertain", "score": 0.34}))
    Uploader(station.home, key).drain()
    meta = server.context.store
    meta.upsert_students([{"student_no": no, "name": name, "class_name": "计科2001", "id_number": f"1101011999{no}"}
                          for no, name in [("20200001", "王思远"), ("20200002", "刘子涵"), ("20200003", "吴俊杰")]])
    confirm(meta, meta.registered()["20200003"].uid, "王老师", "")
    store.save("20200003", _jpeg(60), b"o", operator="op", reason="闭眼", identity=_checks(SAME_AS_BEFORE))
    # a retake that is its own enrolment photo's person: the first photo was the wrong one, not this one
    store.save("20200001", _jpeg(70), b"o", operator="op", reason="闭眼", identity=_checks(
        {"against": "reference", "level": "same", "score": 0.9}, SAME_AS_BEFORE))
    Uploader(station.home, key).drain()

    current = meta.registered()
    said = {d.upload.uid: d.said for d in identity_doubts(meta)[0]}
    third = said[current["20200002"].uid]  # the second retake: still the swap the first photo was found to be
    assert third.startswith("与上一版照片为同一人（1.00），上一版存疑：这张脸与王思远（20200001）的照片为同一人（1.00）")
    assert set(open_doubts(meta)) == {current["20200002"].uid}
    report = export_chsi(server.context, tmp_path / "out")
    assert report.written == 2 and [no for no, _ in report.problems] == ["20200002"]
    assert "上一版存疑" in report.problems[0][1].zh
