"""身份核验 lists each photo once per section, with one 确认是本人 form, and each photo it was compared with on a row
of its own beside it: the walk's 赵雨桐, unlike her enrolment photo and found to be 林晓雯's face by her station and by
the server, showed as three rows with three forms, and the sections counted four where the overview said 2 photos."""

from __future__ import annotations

import io
import json
import re

from PIL import Image

from station.adapters.server.doubts import open_doubts
from station.adapters.server.pages import identity_page
from station.adapters.server.store import UploadFace
from station.storage.captures import CaptureStore
from station.upload.uploader import Uploader


def _jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (480, 640), (shade, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_with_several_findings_is_one_entry_with_one_form(station, key, server):
    store = CaptureStore(station, key)
    store.save("20200001", _jpeg(40), b"o", operator="op")
    Uploader(station.home, key).drain()
    lin = server.context.store.registered()["20200001"].uid
    swap = {"against": "swap", "level": "different", "score": 0.99, "student_no": "20200001", "source": "capture",
            "uid": lin}
    store.save("20200002", _jpeg(80), b"o", operator="op", identity=json.dumps({"checks": [
        {"against": "reference", "level": "different", "score": 0.12}, swap], "reason": "学籍照片是高中时拍的"},
        ensure_ascii=False))
    store.save("20200003", _jpeg(120), b"o", operator="op")
    store.save("20200004", _jpeg(160), b"o", operator="op", identity=json.dumps({"checks": [  # 林晓雯's enrolment photo
        {**swap, "source": "reference", "uid": "", "score": 0.79}], "reason": "学生出示学生证"}, ensure_ascii=False))
    Uploader(station.home, key).drain()
    meta = server.context.store
    zhao, zhou, sun = (meta.registered()[no].uid for no in ("20200002", "20200003", "20200004"))
    meta.upsert_students([{"student_no": no, "name": name, "class_name": "计科2001", "id_number": ""}
                          for no, name in [("20200001", "林晓雯"), ("20200002", "赵雨桐"), ("20200003", "周佳怡"),
                                           ("20200004", "孙佳怡")]])
    # what the server's own swap check keeps: the same swap as the station's, another photo's, and the server's own
    # word on a photo its station doubted in other words (孙佳怡: the station matched a reference photo, the server a
    # capture)
    meta.insert_face(UploadFace(zhao, "20200002", "", lin, "20200001", 0.99))
    meta.insert_face(UploadFace(zhou, "20200003", "", lin, "20200001", 0.98))
    meta.insert_face(UploadFace(sun, "20200004", "", lin, "20200001", 0.97))

    page = identity_page(meta, lambda student_no: False)
    assert "每一项是一张需要人工核对的照片" in page and "比对了几张就有几行" in page  # the help says how it reads
    stations, server_found = page.split("服务器比对")
    assert "身份不确定或不是本人（2）" in stations and stations.count(f"/identity/{zhao}/confirm") == 1
    before, after = stations.split(f"/photos/{zhao}.jpg")
    row = before.rsplit("<tr>", 1)[1] + after.split("</tr>")[0]
    columns = stations.split("</tr>")[0].count("<th>")
    assert row.count('rowspan="2"') == columns - 2  # the photo's cells span its two comparisons (and theirs only)
    assert row.count("<td") == columns  # one row, each cell once
    assert "与学籍照片不是同一人（0.12）" in stations and "这张脸与林晓雯（20200001）的照片为同一人（0.99）" in stations
    assert stations.count("学籍照片是高中时拍的") == 1
    assert stations.count(f"/identity/{sun}/confirm") == 1  # both findings under her station's, the server's so said
    assert "这张脸与林晓雯（20200001）的学籍照片为同一人（0.79）" in stations
    assert "服务器发现：这张脸与林晓雯（20200001）的照片为同一人（0.97）" in stations
    suspects = server_found.split("已核对")[0]  # the photos no station doubted: 周佳怡's
    assert "疑似与其他学生互换（1）" in suspects and f"/identity/{zhou}/confirm" in suspects
    assert zhao not in suspects and sun not in suspects
    assert "另有 2 张照片服务器也发现疑似互换" in suspects  # found by the server too, listed above: not 'none' here
    listed = len(set(re.findall(r"/identity/(\w+)/confirm", page)))
    assert listed == len(open_doubts(meta)) == 3 == page.count("确认是本人</button>")  # as the overview counts them
