"""Reference photos from a folder or a zip: matched by file name, checked, sealed, embedded, found again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import cv2
import pytest

from station.audit.trail import entries as audit_entries
from station.context import Station
from station.image_io import read_image
from station.errors import StationError
from station.identity.embedder import FaceEmbedder
from station.identity.reference_store import reference_embedding, reference_embeddings, reference_photo
from station.identity.references import import_reference_photos
from station.identity.verify import compare, similarity
from station.roster.idnumber import check_digit
from station.storage.station_key import unlock_station_key
from tests.cli import SCRIPT
from tests.identity.faces import photos_of, shrunk, side_by_side
from tests.roster_kit import linked_station_with_roster
from tests.storage.test_atomic_windows import WindowsHandles

PASSPHRASE = "correct horse battery staple"
ID_B = "11010519491231002" + check_digit("11010519491231002")
ROSTER = ("学号,姓名,班级,身份证号\n"
          "2021001,林晓雯,计科2101,\n"
          f"2021002,陈浩然,计科2101,{ID_B}\n"
          "2021003,王芳,计科2101,\n"
          "2021004,李强,计科2101,\n").encode("utf-8")
PEOPLE = {"2021001": "Colin_Powell", "2021002": "Ariel_Sharon", "2021003": "Alan_Greenspan"}


@pytest.fixture(scope="module")
def embedder() -> FaceEmbedder:
    return FaceEmbedder()


@pytest.fixture
def station(tmp_path: Path):
    station = linked_station_with_roster(tmp_path / "home", tmp_path, ROSTER)
    yield station
    station.close()


def _folder(faces_dir: Path, folder: Path) -> Path:
    folder.mkdir()
    first = {no: photos_of(faces_dir, person)[0] for no, person in PEOPLE.items()}
    (folder / "2021001.jpg").write_bytes(first["2021001"].read_bytes())
    (folder / f"{ID_B.lower()}.JPG").write_bytes(first["2021002"].read_bytes())  # by ID number, x/X either way
    cv2.imwrite(str(folder / "2021003.png"), side_by_side(first["2021003"], first["2021001"]))
    cv2.imwrite(str(folder / "2021004.jpg"), shrunk(first["2021003"], 60))  # a thumbnail: the face is tiny
    (folder / "sub").mkdir()
    (folder / "sub" / "2021001.jpeg").write_bytes(photos_of(faces_dir, "Colin_Powell")[1].read_bytes())
    (folder / "9999999.jpg").write_bytes(first["2021001"].read_bytes())
    return folder


def test_folder_import_checks_each_photo_and_seals_what_it_keeps(faces_dir: Path, tmp_path: Path, station,
                                                                   embedder: FaceEmbedder) -> None:
    source = _folder(faces_dir, tmp_path / "photos")
    key = unlock_station_key(station.home, PASSPHRASE).key
    report = import_reference_photos(station, source, key, embedder)
    codes = {r.file: r.code for r in report.rejected}
    assert report.imported == 2
    assert codes == {"2021003.png": "several_faces", "2021004.jpg": codes["2021004.jpg"], "9999999.jpg": "no_student",
                     "sub/2021001.jpeg": "duplicate"}
    assert codes["2021004.jpg"] in {"too_small", "no_face"}
    assert all(r.reason.zh and r.reason.en for r in report.rejected)

    original = (source / "2021001.jpg").read_bytes()
    stored = list((station.home / "references").rglob("*.pse"))
    assert len(stored) == 2 and all(original[:64] not in p.read_bytes() for p in stored)
    assert reference_photo(station, "2021001", key) == original
    assert reference_photo(station, "2021003", key) is None

    stored_faces = dict(reference_embeddings(station.db, key))
    assert sorted(stored_faces) == ["2021001", "2021002"]
    later = embedder.embed(read_image(photos_of(faces_dir, "Colin_Powell")[2])).vector
    assert max(stored_faces, key=lambda no: similarity(later, stored_faces[no])) == "2021001"

    again = import_reference_photos(station, source, key, embedder)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)
    trail = [e for e in audit_entries(station.db) if e.action == "references"]  # biometric data taken in: kept
    assert [e.detail for e in trail] == [
        {"source": str(source), "imported": 2, "updated": 0, "unchanged": 0, "rejected": 4, "stopped": False},
        {"source": str(source), "imported": 0, "updated": 0, "unchanged": 2, "rejected": 4, "stopped": False}]


def test_cli_imports_a_zip_and_says_why_it_refuses(faces_dir: Path, tmp_path: Path, station) -> None:
    archive = tmp_path / "photos.zip"
    first, other = photos_of(faces_dir, "Alan_Greenspan")[0], photos_of(faces_dir, "Colin_Powell")[0]
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(other, "class/2021001.jpg")
        zf.writestr("2021003.png", cv2.imencode(".png", side_by_side(first, other))[1].tobytes())
        zf.writestr("2021002_notes.txt", "not a photo")
    env = {**os.environ, "PHOTO_STATION_PASSPHRASE": PASSPHRASE}
    home = str(station.home)
    station.close()
    result = subprocess.run([str(SCRIPT), "roster", "photos", str(archive), "--json", "--home", home],
                            capture_output=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["imported"] == 1 and len(report["rejected"]) == 1
    several = report["rejected"][0]
    assert several["file"] == "2021003.png" and several["student_no"] == "2021003" and "人脸" in several["reason"]

    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 this is no zip")
    refused = subprocess.run([str(SCRIPT), "roster", "photos", str(broken), "--json", "--home", home],
                             capture_output=True, timeout=120, env=env)
    assert refused.returncode == 2 and json.loads(refused.stdout)["error"] == "unreadable_photos"
    assert b"Traceback" not in refused.stderr


def test_a_roster_photo_column_names_the_files(faces_dir: Path, tmp_path: Path, station,
                                               embedder: FaceEmbedder) -> None:
    source = tmp_path / "photos"
    source.mkdir()
    (source / "Wang Fang.JPG").write_bytes(photos_of(faces_dir, "Alan_Greenspan")[0].read_bytes())
    listing = tmp_path / "photo_roster.csv"
    listing.write_text("学号,姓名,照片\n2021003,王芳,photos\\wang fang.jpg\n", encoding="utf-8")
    key = unlock_station_key(station.home, PASSPHRASE).key
    report = import_reference_photos(station, source, key, embedder, roster=listing)
    assert (report.imported, report.rejected) == (1, [])
    assert [no for no, _ in reference_embeddings(station.db, key)] == ["2021003"]
    no_column = tmp_path / "plain.csv"
    no_column.write_text("学号,姓名\n2021003,王芳\n", encoding="utf-8")
    with pytest.raises(StationError):
        import_reference_photos(station, source, key, embedder, roster=no_column)


def test_a_zip_or_folder_without_photos_is_refused_not_reported_as_nothing_to_do(tmp_path: Path, station) -> None:
    """A zip of scanned PDFs, or a folder of Word files: exit 2 and why, not "0 added, 0 refused" and exit 0."""
    junk = tmp_path / "照片.zip"
    with zipfile.ZipFile(junk, "w") as zf:
        zf.writestr("2021001.pdf", "%PDF-1.4 not a photo")
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "2021001.docx").write_bytes(b"PK\3\4")
    env = {**os.environ, "PHOTO_STATION_PASSPHRASE": PASSPHRASE}
    home = str(station.home)
    station.close()
    for source in (junk, documents):
        result = subprocess.run([str(SCRIPT), "roster", "photos", str(source), "--json", "--home", home],
                                capture_output=True, timeout=120, env=env)
        assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr.decode()
        assert json.loads(result.stdout) == {"error": "unreadable_photos",
                                             "message": f"{source} 中没有照片（.jpg、.jpeg、.jfif、.png、.bmp、.webp、.tif、.tiff、.gif）"}


def test_a_photo_gone_since_listing_or_named_in_foreign_bytes_is_one_refusal_not_the_end(tmp_path: Path, station,
                                                                                          embedder: FaceEmbedder) -> None:
    """A stick pulled or a file removed while the folder is imported raised out of the whole import (the same for a
    file that may not be read); a name in bytes that are not UTF-8 (a stick written on another system) reached
    SQLite as lone surrogates and raised there. Each is now its own refusal and the other photos go in."""
    from station import ASSETS_DIR
    from station.identity.references import import_entries, source_entries

    folder = tmp_path / "photos"
    folder.mkdir()
    for number in ("2021001", "2021002"):
        (folder / f"{number}.jpg").write_bytes((ASSETS_DIR / "demo_references" / "2021010101.jpg").read_bytes())
    foreign = os.fsdecode(b"caf\xe9.jpg")
    try:
        (folder / foreign).write_bytes(b"")
    except (OSError, UnicodeEncodeError):  # a file system that takes only UTF-8 names
        foreign = None
    entries = source_entries(folder)
    (folder / "2021002.jpg").unlink()
    report = import_entries(station, entries, unlock_station_key(station.home, PASSPHRASE).key, embedder)
    assert report.imported == 1
    codes = {r.file: r.code for r in report.rejected}
    assert codes.pop("2021002.jpg") == "unreadable"
    assert codes == ({} if foreign is None else {"caf\ufffd.jpg": "no_student"})


def test_an_id_card_chip_sized_photo_is_a_reference_and_matches_its_full_size_scan(tmp_path: Path, station,
                                                                                   embedder: FaceEmbedder) -> None:
    """The resident ID card's chip photo is 102x126: its face, about 50 px wide, was refused as too small (80 px
    were asked), though on the ID-like proxy (scripts/benchmark_verify_idlike.py) such references verify almost as
    well as a 358x441 scan. One of 陈浩然's enrolment photo still tells him from another student at the camera; a
    thumbnail whose face is half as wide is still refused."""
    from station import ASSETS_DIR
    from station.identity.references import import_entries

    scan = cv2.imread(str(ASSETS_DIR / "demo_references" / "2021010102.jpg"))

    def jpeg(width: int, height: int) -> bytes:
        small = cv2.resize(scan, (width, height), interpolation=cv2.INTER_AREA)
        return cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 75])[1].tobytes()

    key = unlock_station_key(station.home, PASSPHRASE).key
    report = import_entries(station, [("2021001.jpg", jpeg(102, 126)), ("2021002.jpg", jpeg(51, 63))], key, embedder)
    assert report.imported == 1
    assert [(r.file, r.code) for r in report.rejected] in ([("2021002.jpg", "too_small")], [("2021002.jpg", "no_face")])
    chip = reference_embedding(station.db, "2021001", key)
    frames = ASSETS_DIR / "demo" / "students"  # 陈浩然 photographed another day; 王思远
    assert compare(chip, embedder.embed(read_image(frames / "DEMO0002_2_good.jpg")).vector).same
    assert compare(chip, embedder.embed(read_image(frames / "DEMO0003_2_good.jpg")).vector).level == "different"


def _her_photo_imported(tmp_path: Path, embedder: FaceEmbedder) -> tuple[Station, bytes, Path]:
    """A station with the demo roster and 林晓雯's enrolment photo imported, its key, and a second folder holding
    another photo for her and 陈浩然's (later in the folder than hers)."""
    from station.adapters.demo import DEMO_DIR, DEMO_REFERENCES

    station = linked_station_with_roster(tmp_path / "home", tmp_path, (DEMO_DIR / "roster.csv").read_bytes())
    key = unlock_station_key(station.home, PASSPHRASE).key
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    shutil.copy(DEMO_REFERENCES / "2021010101.jpg", first)
    shutil.copy(DEMO_REFERENCES / "2021010103.jpg", second / "2021010101.jpg")  # another photo for her
    shutil.copy(DEMO_REFERENCES / "2021010102.jpg", second)
    assert import_reference_photos(station, first, key, embedder).imported == 1
    return station, key, second


def test_a_replaced_photo_held_open_for_a_moment_is_still_removed_and_the_import_goes_on(
        tmp_path: Path, embedder: FaceEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to delete a file another handle holds open (the window reading the student's enrolment photo
    to show it, an antivirus): a new photo for 林晓雯 was registered, then the old one's deletion raised
    PermissionError and the rest of the folder (陈浩然) was never imported. The deletion waits as a replace does."""
    station, key, second = _her_photo_imported(tmp_path, embedder)
    try:
        old = next((station.home / "references").rglob("*.reference.pse"))
        windows = WindowsHandles(monkeypatch)
        windows.hold(old, 0.15)
        report = import_reference_photos(station, second, key, embedder)
        assert (report.updated, report.imported) == (1, 1) and windows.refused >= 1
        assert not old.exists() and len(list((station.home / "references").rglob("*.reference.pse"))) == 2
    finally:
        station.close()


def test_a_replaced_photo_that_stays_held_is_left_and_the_import_goes_on(
        tmp_path: Path, embedder: FaceEmbedder, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The replaced photo's file still held after the waits (an antivirus scanning longer, a backup tool): its
    PermissionError ended the import with 林晓雯's new photo registered and 陈浩然's, later in the folder, never taken
    in. The old file is nobody's photo any more (the register names the new one): it is left, and the log says so."""
    station, key, second = _her_photo_imported(tmp_path, embedder)
    try:
        old = next((station.home / "references").rglob("*.reference.pse"))
        windows = WindowsHandles(monkeypatch)
        windows.hold(old, None)
        monkeypatch.setattr("station.storage.atomic.REPLACE_WAITS", (0.01,))
        report = import_reference_photos(station, second, key, embedder)
        assert (report.updated, report.imported) == (1, 1) and windows.refused >= 1
        assert reference_photo(station, "2021010102", key) is not None and str(old) in caplog.text
    finally:
        station.close()
