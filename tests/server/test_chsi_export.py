"""The CHSI hand-over batch: only intact 480x640 JPEGs, named by ID number, problems named."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from station.storage.captures import CaptureStore
from station.errors import StationError
from station.adapters.server import cli
from station.adapters.server.chsi_export import export_chsi
from station.adapters.server.doubts import confirm
from station.adapters.server.pages import identity_page
from station.adapters.server.home import ENV_KEY_PASSPHRASE, ServerContext, init_server
from station.adapters.server.intake import blob_path
from station.upload.uploader import Uploader
from tests.upload.test_clock_skew import fast_clock
from tests.upload.test_upload_roundtrip import FAST


def _jpeg(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def test_export_names_by_id_number_and_reports_what_it_could_not_export(station, key, server, tmp_path):
    good = _jpeg((480, 640))
    store = CaptureStore(station, key)
    store.save("20200001", good, b"o", operator="op")
    store.save("20200002", _jpeg((640, 480)), b"o", operator="op")  # wrong size: never handed over
    store.save("20200003", good, b"o", operator="op")
    Uploader(station.home, key).drain()
    server.context.store.upsert_students([
        {"student_no": "20200001", "name": "甲", "class_name": "计科2001", "id_number": "110101199901010001"},
        {"student_no": "20200002", "name": "乙", "class_name": "计科2001", "id_number": "110101199901010002"},
        {"student_no": "20200003", "name": "丙", "class_name": "计科2001", "id_number": ""},
    ])
    report = export_chsi(server.context, tmp_path / "out")
    assert report.written == 2
    assert sorted(p.name for p in (tmp_path / "out").glob("*.jpg")) == ["110101199901010001.jpg", "20200003.jpg"]
    assert (tmp_path / "out" / "110101199901010001.jpg").read_bytes() == good
    problems = {no: text.en for no, text in report.problems}
    assert "640x480" in problems["20200002"] and "student number" in problems["20200003"]
    index = (tmp_path / "out" / "index.csv").read_text(encoding="utf-8-sig").splitlines()
    assert index[0].startswith("学号,姓名") and len(index) == 3
    assert all(row.split(",")[4].endswith("+08:00") for row in index[1:])  # 拍摄时间 in Beijing time, not UTC

    registered = server.context.store.registered()["20200001"]
    blob = blob_path(server.context, registered.uid, "chsi")
    stored = blob.read_bytes()
    blob.write_bytes(stored[:-1] + bytes([stored[-1] ^ 1]))  # damaged at rest (a last byte of 0 made "+ b'\0'" a no-op)
    again = export_chsi(server.context, tmp_path / "again")
    assert again.written == 1 and dict(again.problems)["20200001"].zh == (
        "服务器上的照片文件损坏（文件在收到后被改动过或已损坏），未导出。")  # was （stored blob digest differs）


def test_a_passphrase_protected_server_key_opens_only_with_it(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_KEY_PASSPHRASE, "registrar secret")
    init_server(tmp_path / "srv")
    assert b"ENCRYPTED" in (tmp_path / "srv" / "server_private_key.pem").read_bytes()
    assert ServerContext(tmp_path / "srv").public_key
    monkeypatch.setenv(ENV_KEY_PASSPHRASE, "wrong")
    with pytest.raises(StationError):
        ServerContext(tmp_path / "srv").private_key


def test_a_photo_whose_identity_is_in_doubt_is_held_back_until_the_registrar_says_so(station, key, server, tmp_path):
    import json

    doubted = json.dumps({"checks": [{"against": "reference", "level": "different", "score": 0.12}],
                          "reason": "学生说是本人"}, ensure_ascii=False)
    store = CaptureStore(station, key)
    store.save("20200001", _jpeg((480, 640)), b"o", operator="op")
    store.save("20200002", _jpeg((480, 640)), b"o", operator="op", identity=doubted)
    Uploader(station.home, key).drain()
    server.context.store.upsert_students([
        {"student_no": "20200001", "name": "甲", "class_name": "计科2001", "id_number": "110101199901010001"},
        {"student_no": "20200002", "name": "乙", "class_name": "计科2001", "id_number": "110101199901010002"},
    ])
    report = export_chsi(server.context, tmp_path / "out")
    assert report.written == 1 and not (tmp_path / "out" / "110101199901010002.jpg").exists()
    [(student_no, said)] = report.problems
    assert student_no == "20200002" and "与学籍照片不是同一人（0.12）" in said.zh and "身份核验" in said.zh
    assert "--include-doubted 20200002" in said.zh
    # it is them: exported with the command the problem names
    assert cli.main(["--home", str(server.context.home), "export-chsi", "--to", str(tmp_path / "checked"),
                     "--include-doubted", "20200002"]) == 0
    assert (tmp_path / "checked" / "110101199901010002.jpg").exists()
    index = (tmp_path / "checked" / "index.csv").read_text(encoding="utf-8-sig").splitlines()
    assert index[0].endswith(",身份核验") and index[2].endswith(",按 --include-doubted 导出（未在身份核验页面确认）："
                                                             "与学籍照片不是同一人（0.12）")


def _one_photo_on_the_server(station, key, server) -> None:
    """Student 20200001 (ID number 110101199901010001) photographed at the station and uploaded to the server."""
    CaptureStore(station, key).save("20200001", _jpeg((480, 640)), b"o", operator="op")
    Uploader(station.home, key).drain()
    server.context.store.upsert_students([
        {"student_no": "20200001", "name": "甲", "class_name": "计科2001", "id_number": "110101199901010001"}])


def test_an_export_into_a_folder_that_holds_files_is_refused_so_no_earlier_photo_is_handed_over(station, key, server,
                                                                                                tmp_path):
    """The registrar exports, then a photo is held back (a confirmation withdrawn, a swap found) and exports again
    into the same folder: its earlier JPEG would still lie there, unlisted, and go to CHSI with the batch."""
    _one_photo_on_the_server(station, key, server)
    batch = tmp_path / "学信网照片"
    batch.mkdir()  # a folder made for it, still empty, is taken
    assert export_chsi(server.context, batch).written == 1
    before = sorted((p.name, p.stat().st_mtime_ns) for p in batch.iterdir())
    code = cli.main(["--home", str(server.context.home), "--lang", "en", "export-chsi", "--to", str(batch),
                     "--name-by", "student_no"])
    assert code == 2 and sorted((p.name, p.stat().st_mtime_ns) for p in batch.iterdir()) == before
    with pytest.raises(StationError) as refused:
        export_chsi(server.context, batch)
    assert "110101199901010001.jpg" in refused.value.text.zh and "新的或空的目录" in refused.value.text.zh


def test_a_usb_stick_s_top_with_only_the_system_s_own_folders_is_taken_as_empty(station, key, server, tmp_path):
    """`--to E:\\` on a stick Windows had used was refused as not empty for its hidden System Volume Information (and
    a stick a Mac had used, for .Trashes): the system's own entries are no earlier export (s34 server review)."""
    _one_photo_on_the_server(station, key, server)
    stick = tmp_path / "E"
    for kept in ("System Volume Information", "$RECYCLE.BIN", ".Trashes"):
        (stick / kept).mkdir(parents=True)
    (stick / ".DS_Store").write_bytes(b"\0")
    assert export_chsi(server.context, stick).written == 1
    used = tmp_path / "F"  # another stick: the system's folder and an earlier export's photo
    (used / "System Volume Information").mkdir(parents=True)
    (used / "old.jpg").write_bytes(b"an earlier export's photo")
    with pytest.raises(StationError) as refused:
        export_chsi(server.context, used)
    assert "old.jpg" in refused.value.text.zh


def test_a_held_back_photo_is_said_with_every_finding_and_a_confirmed_one_indexed_with_them(station, key, server,
                                                                                            tmp_path):
    """A face unlike the enrolment photo (an old photo, perhaps) and like another student's photo: the registrar who
    reads only the first finding would release a swap with --include-doubted."""
    import json

    store = CaptureStore(station, key)
    store.save("20200001", _jpeg((480, 640)), b"o", operator="op")
    Uploader(station.home, key).drain()
    first = server.context.store.registered()["20200001"].uid
    both = json.dumps({"checks": [
        {"against": "reference", "level": "different", "score": 0.12},
        {"against": "swap", "level": "different", "score": 0.99, "student_no": "20200001", "source": "capture",
         "uid": first},
        {"against": "swap", "level": "different", "score": 0.99, "student_no": "20200001", "source": "capture",
         "uid": first}]}, ensure_ascii=False)  # found twice in the same words: said once
    store.save("20200002", _jpeg((480, 640)), b"o", operator="op", identity=both)
    Uploader(station.home, key).drain()
    server.context.store.upsert_students([
        {"student_no": "20200001", "name": "甲", "class_name": "计科2001", "id_number": "110101199901010001"},
        {"student_no": "20200002", "name": "乙", "class_name": "计科2001", "id_number": "110101199901010002"}])
    report = export_chsi(server.context, tmp_path / "out")
    [(_, said)] = report.problems
    assert "与学籍照片不是同一人（0.12）；这张脸与甲（20200001）的照片为同一人（0.99））" in said.zh
    export_chsi(server.context, tmp_path / "named", include_doubted=frozenset({"20200002"}))
    index = (tmp_path / "named" / "index.csv").read_text(encoding="utf-8-sig").splitlines()
    assert index[2].endswith("：与学籍照片不是同一人（0.12）；这张脸与甲（20200001）的照片为同一人（0.99）")
    confirm(server.context.store, server.context.store.registered()["20200002"].uid, "王老师", "")
    checked = identity_page(server.context.store, lambda student_no: False).split("已核对：确是本人（1）")[1]
    assert checked.count("这张脸与甲（20200001）的照片为同一人（0.99）") == 1  # once, not once per finder


def test_index_csv_says_when_a_photo_was_taken_as_the_registrar_page_does_whatever_the_laptop_clock(station, key,
                                                                                                   server, tmp_path):
    """A laptop set to Beijing time in the UTC zone (its 'UTC' 8 hours ahead): the page shows the capture on the
    server's clock, and index.csv said 8 hours later, a photo 'taken' at 23:37 of a capture day that ended at 17:00."""
    CaptureStore(station, key, clock=fast_clock).save("20200001", _jpeg((480, 640)), b"o", operator="op")
    Uploader(station.home, key, FAST, clock=fast_clock).drain()
    server.context.store.upsert_students([
        {"student_no": "20200001", "name": "甲", "class_name": "计科2001", "id_number": "110101199901010001"}])
    export_chsi(server.context, tmp_path / "out")
    row = (tmp_path / "out" / "index.csv").read_text(encoding="utf-8-sig").splitlines()[1].split(",")
    taken = datetime.fromisoformat(row[4])
    assert row[4].endswith("+08:00") and abs(taken - datetime.now(timezone.utc)) < timedelta(minutes=2)


def test_export_chsi_says_what_goes_to_chsi_and_how_many_students_need_a_look(station, key, server, tmp_path,
                                                                              capsys):
    """The registrar zips what the export wrote: the photos are the batch; index.csv is the school's own list."""
    store = CaptureStore(station, key)
    store.save("20200001", _jpeg((480, 640)), b"o", operator="op")
    store.save("20200002", _jpeg((640, 480)), b"o", operator="op")
    Uploader(station.home, key).drain()
    server.context.store.upsert_students([
        {"student_no": no, "name": "甲", "class_name": "计科2001", "id_number": f"11010119990101000{no[-1]}"}
        for no in ("20200001", "20200002")])
    assert cli.main(["--home", str(server.context.home), "export-chsi", "--to", str(tmp_path / "批次")]) == 0
    said = capsys.readouterr().out
    assert f"已导出 1 张照片到 {tmp_path / '批次'}。报送学信网的是其中的照片（*.jpg）；index.csv 是这一批的清单" in said
    assert "以下 1 名学生需要注意" in said and "20200002: 照片不是 480x640 的 JPEG" in said


def test_include_doubted_says_what_it_let_through_and_a_mistyped_number_that_let_nothing(station, key, server,
                                                                                          tmp_path, capsys):
    """`export-chsi --include-doubted 2021020101 202102101` (the second one mistyped): the command said nothing of
    either, the index.csv row of the photo let through read as an export of the usual kind, and the registrar
    believed the mistyped student's photo went to CHSI (s32 registrar walk)."""
    import json

    doubted = json.dumps({"checks": [{"against": "reference", "level": "different", "score": 0.12}],
                          "reason": "学生说是本人"}, ensure_ascii=False)
    store = CaptureStore(station, key)
    store.save("20200001", _jpeg((480, 640)), b"o", operator="op", identity=doubted)
    store.save("20200002", _jpeg((480, 640)), b"o", operator="op", identity=doubted)
    Uploader(station.home, key).drain()
    server.context.store.upsert_students([
        {"student_no": "20200001", "name": "甲", "class_name": "计科2001", "id_number": "110101199901010001"},
        {"student_no": "20200002", "name": "乙", "class_name": "计科2001", "id_number": "110101199901010002"}])
    assert cli.main(["--home", str(server.context.home), "export-chsi", "--to", str(tmp_path / "batch"),
                     "--include-doubted", "20200001", "2020002"]) == 0
    said = capsys.readouterr().out
    assert "已导出 1 张照片" in said
    assert "20200001: 身份待核对（与学籍照片不是同一人（0.12））：按 --include-doubted 导出" in said, said
    assert "2020002: --include-doubted 的这个学号没有待核对的照片" in said, said
    assert "20200002: 身份待核对（与学籍照片不是同一人（0.12））：未导出" in said, said
    index = (tmp_path / "batch" / "index.csv").read_text(encoding="utf-8-sig").splitlines()
    assert index[1].endswith(",按 --include-doubted 导出（未在身份核验页面确认）：与学籍照片不是同一人（0.12）"), index


def test_an_export_with_nothing_to_export_says_why_in_both_languages(station, key, server, tmp_path, capsys):
    """export-chsi on a server that had received nothing printed 已导出 0 张照片 and wrote an index.csv of headings
    alone, without a word of why (s32 registrar review): a wrong --home, photos not sent yet, or all held back."""
    def export(lang: str, to: str) -> str:
        assert cli.main(["--home", str(server.context.home), "--lang", lang, "export-chsi",
                         "--to", str(tmp_path / to)]) == 0
        return capsys.readouterr().out

    said = export("zh", "empty")  # a new server: no roster, no photo
    assert "没有导出任何照片" in said and "只有一份空的 index.csv" in said and "已导出 0 张" not in said, said
    assert "服务器还没有名单，也还没有收到任何照片：请检查 --home" in said, said
    assert "The server holds no roster and no photo" in export("en", "empty_en")
    server.context.store.upsert_students([
        {"student_no": no, "name": "甲", "class_name": "计科2001", "id_number": ""} for no in ("20200001", "20200002")])
    said = export("zh", "roster_only")
    assert "服务器还没有收到任何照片：工作站上传（photo-station queue --send）" in said, said
    assert "No photo was exported" in (en := export("en", "roster_only_en")) and "received no photo yet" in en, en
    import json

    doubted = json.dumps({"checks": [{"against": "reference", "level": "different", "score": 0.12}],
                          "reason": "学生说是本人"}, ensure_ascii=False)
    store = CaptureStore(station, key)
    store.save("20200001", _jpeg((480, 640)), b"o", operator="op", identity=doubted)
    store.save("20200003", _jpeg((480, 640)), b"o", operator="op")  # a number the server's roster lacks
    Uploader(station.home, key).drain()
    said = export("zh", "held")
    assert "服务器收到的 2 张照片都没有导出：" in said, said
    assert "1 张身份待核对：在登记页面“身份核验”核对" in said and "1 张的学号不在服务器名单中" in said, said
    assert "另有原因" not in said
    en = export("en", "held_en")
    assert "None of the 2 photos the server holds was exported:" in en and "1 in doubt of identity" in en, en
    assert (tmp_path / "held" / "index.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "学号,姓名,班级,文件名,拍摄时间,身份核验"]


def test_two_numbers_that_differ_only_in_case_are_not_written_over_each_other(station, key, server, tmp_path):
    """SY200001.jpg and sy200001.jpg are one file on Windows, on a Mac and on the FAT or exFAT stick the batch is
    handed over on: the second student's photo replaced the first's there, while index.csv listed both, each with
    its own file name (two rosters imported on the server, one typed in capitals and one not)."""
    from tests.upload.kit import add_students

    add_students(station, "研2001", ["SY200001", "sy200001"])
    first, second = _jpeg((480, 640)), Image.new("RGB", (480, 640), (200, 40, 40))
    out = io.BytesIO()
    second.save(out, "JPEG")
    store = CaptureStore(station, key)
    store.save("SY200001", first, b"o", operator="op")
    store.save("sy200001", out.getvalue(), b"o", operator="op")
    Uploader(station.home, key).drain()
    server.context.store.upsert_students([
        {"student_no": no, "name": name, "class_name": "研2001", "id_number": ""}
        for no, name in (("SY200001", "甲"), ("sy200001", "乙"))])
    report = export_chsi(server.context, tmp_path / "out", name_by="student_no")
    assert report.written == 1 and [p.name for p in (tmp_path / "out").glob("*.jpg")] == ["SY200001.jpg"]
    assert (tmp_path / "out" / "SY200001.jpg").read_bytes() == first
    assert dict(report.problems)["sy200001"].en == "File name sy200001 is already used by another student; not exported."
    assert len((tmp_path / "out" / "index.csv").read_text(encoding="utf-8-sig").splitlines()) == 2
