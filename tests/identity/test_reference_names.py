"""Reference photos named as schools and zip tools name them: 学号_姓名.jpg, and Chinese names in a zip made on
Windows (GBK, without the UTF-8 flag)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from station.identity.embedder import FaceEmbedder
from station.identity.references import (checked_entries, import_reference_photos, match_student, photo_column,
                                         source_entries)
from station.roster.importer import import_roster
from station.storage.station_key import unlock_station_key
from tests.identity.faces import photos_of
from tests.roster_kit import linked_station_with_roster

PASSPHRASE = "correct horse battery staple"
ROSTER = "学号,姓名,班级\n2021001,林晓雯,计科2101\n2021002,陈浩然,计科2101\n2021003,王芳,计科2101\n".encode()


class _WindowsName(zipfile.ZipInfo):
    """An entry named in GBK without the UTF-8 flag, as Windows' 压缩文件夹 and Chinese zip tools write it."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits


@pytest.fixture
def station(tmp_path: Path):
    station = linked_station_with_roster(tmp_path / "home", tmp_path, ROSTER)
    yield station
    station.close()


@pytest.fixture(scope="module")
def embedder() -> FaceEmbedder:
    return FaceEmbedder()


def test_a_number_beside_the_student_s_own_name_finds_the_student(faces_dir: Path, tmp_path: Path, station,
                                                                   embedder: FaceEmbedder) -> None:
    folder = tmp_path / "photos"
    (folder / "计科2101").mkdir(parents=True)
    photo = photos_of(faces_dir, "Colin_Powell")[0].read_bytes()
    (folder / "计科2101" / "2021001_林晓雯.jpg").write_bytes(photo)
    (folder / "计科2101" / "陈浩然 2021002.jpg").write_bytes(photos_of(faces_dir, "Ariel_Sharon")[0].read_bytes())
    (folder / "计科2101" / "2021003_李强.jpg").write_bytes(photo)  # 王芳's number, another name: misnamed

    report = import_reference_photos(station, folder, unlock_station_key(station.home, PASSPHRASE).key, embedder)

    assert report.imported == 2
    assert [(r.file, r.code) for r in report.rejected] == [("计科2101/2021003_李强.jpg", "no_student")]


def test_chinese_names_in_a_zip_made_on_windows_are_read_as_written(faces_dir: Path, tmp_path: Path, station,
                                                                    embedder: FaceEmbedder) -> None:
    archive = tmp_path / "参考照片.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(_WindowsName("照片/林晓雯.jpg"), photos_of(faces_dir, "Colin_Powell")[0].read_bytes())
        out.writestr(_WindowsName("照片/无名氏.jpg"), photos_of(faces_dir, "Ariel_Sharon")[0].read_bytes())
    roster = tmp_path / "照片名单.csv"
    roster.write_bytes("学号,照片\n2021001,林晓雯.jpg\n".encode("gbk"))

    report = import_reference_photos(station, archive, unlock_station_key(station.home, PASSPHRASE).key, embedder,
                                     roster=roster)

    assert report.imported == 1
    assert [(r.file, r.code) for r in report.rejected] == [("照片/无名氏.jpg", "no_student")]


def test_a_scanner_s_tiff_and_a_phone_s_webp_are_reference_photos_too(faces_dir: Path, tmp_path: Path, station,
                                                                      embedder: FaceEmbedder) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.open(photos_of(faces_dir, "Colin_Powell")[0]).save(folder / "2021001.tif")
    Image.open(photos_of(faces_dir, "Ariel_Sharon")[0]).save(folder / "2021002.webp")

    report = import_reference_photos(station, folder, unlock_station_key(station.home, PASSPHRASE).key, embedder)

    assert (report.imported, report.rejected) == (2, [])


def test_a_mac_s_metadata_files_are_no_photos_and_a_damaged_first_photo_keeps_no_good_one_out(
        faces_dir: Path, tmp_path: Path, station, embedder: FaceEmbedder) -> None:
    folder = tmp_path / "photos"
    (folder / "sub").mkdir(parents=True)
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        "
    (folder / "2021001.jpg").write_bytes(photos_of(faces_dir, "Colin_Powell")[0].read_bytes())
    (folder / "._2021001.jpg").write_bytes(apple_double)  # beside each file a Mac copied onto a USB stick
    (folder / "2021002.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut short")  # copied half-way
    (folder / "sub" / "2021002.jpg").write_bytes(photos_of(faces_dir, "Ariel_Sharon")[0].read_bytes())
    archive = tmp_path / "mac.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("__MACOSX/photos/._2021003.jpg", apple_double)  # sorts before photos/
        out.writestr("photos/2021003.jpg", photos_of(faces_dir, "Alan_Greenspan")[0].read_bytes())
    key = unlock_station_key(station.home, PASSPHRASE).key

    from_folder = import_reference_photos(station, folder, key, embedder)
    from_zip = import_reference_photos(station, archive, key, embedder)

    assert from_folder.imported == 2 and [(r.file, r.code) for r in from_folder.rejected] == [("2021002.jpg",
                                                                                              "unreadable")]
    assert (from_zip.imported, from_zip.rejected) == (1, [])


def _damaged(photo: bytes, method: int) -> bytes:
    """A zip of one photo whose packed data is overwritten half-way (a stick pulled out while it was written)."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", method) as out:
        out.writestr("2021002.jpg", photo)
    data = bytearray(packed.getvalue())
    data[60:100] = b"\x13" * 40
    return bytes(data)


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_LZMA, zipfile.ZIP_BZIP2])
def test_a_damaged_entry_in_a_zip_is_one_unreadable_photo_not_the_end(tmp_path: Path, method: int) -> None:
    photo = Image.new("RGB", (64, 64), (200, 150, 120))
    encoded = io.BytesIO()
    photo.save(encoded, "JPEG")
    archive = tmp_path / "photos.zip"
    archive.write_bytes(_damaged(encoded.getvalue(), method))
    with zipfile.ZipFile(archive, "a") as out:
        out.writestr("2021003.jpg", encoded.getvalue())

    assert list(source_entries(archive)) == [("2021002.jpg", b""), ("2021003.jpg", encoded.getvalue())]


def test_folders_in_a_zip_written_with_backslashes_are_folders(tmp_path: Path) -> None:
    """Windows PowerShell's Compress-Archive separates folders with "\\": the file's own name is the last part."""
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("计科2101\\2021001_林晓雯.jpg", b"photo")
        out.writestr(_WindowsName("照片\\李誠 2021002.jpg"), b"photo")  # 誠 in GBK ends in the byte of "\\"

    assert [name for name, _ in source_entries(archive)] == ["照片/李誠 2021002.jpg", "计科2101/2021001_林晓雯.jpg"]


def test_a_name_windows_gave_a_second_suffix_or_typed_in_full_width_digits_finds_its_student(station) -> None:
    """Windows hides .jpg: a photo renamed to the name it shows is 2021001.jpg.jpg; a Chinese input method types
    ２０２１００２. A number beside another name still matches nobody."""
    names = ("2021001.jpg.jpg", "２０２１００２.JPG", "2021003_王芳.png.jpg", "2021003_李强.jpg.jpg")
    assert [match_student(station.db, name) for name in names] == [["2021001"], ["2021002"], ["2021003"], []]


def test_a_photo_column_naming_files_with_full_width_brackets_or_spaces_finds_them(tmp_path: Path, station) -> None:
    """The roster's cells are read NFKC-normalised (（一班） as (一班)); the files' own names must be compared alike."""
    roster = tmp_path / "照片名单.csv"
    roster.write_bytes("学号,照片\n2021001,林晓雯（一班）.jpg\n2021002,陈浩然　照片.JPG\n2021003,ＷＦ.jpg\n".encode("gbk"))
    names = photo_column(roster)
    found = [match_student(station.db, name, names) for name in ("照片/林晓雯（一班）.jpg", "陈浩然　照片.jpg", "ＷＦ.jpg")]
    assert found == [["2021001"], ["2021002"], ["2021003"]]


def test_a_photo_column_out_of_step_with_its_numbers_gives_the_photo_to_nobody(tmp_path: Path, station) -> None:
    """The 照片 column sorted apart from the 学号 column, or a cell copied down: a file the column gives to 陈浩然 whose
    own name is 林晓雯's number or name, or that two rows name, went to the last row naming it. It names several
    students now (refused), as a wrong reference photo passes a swap as the same person. Two students of one name
    each keep the file their row names in their own folder."""
    roster = tmp_path / "照片名单.csv"
    roster.write_text("学号,照片\n2021002,2021001.jpg\n2021003,林晓雯.jpg\n2021001,copied.jpg\n2021002,copied.jpg\n",
                      encoding="utf-8")
    names = photo_column(roster)
    found = [match_student(station.db, name, names) for name in ("2021001.jpg", "林晓雯.jpg", "copied.jpg")]
    assert found == [["2021001", "2021002"], ["2021001", "2021003"], ["2021001", "2021002"]]
    alike = tmp_path / "同名.csv"
    alike.write_text("学号,姓名,班级\n2021004,林晓雯,计科2102\n", encoding="utf-8")
    import_roster(station.db, alike)
    roster.write_text("学号,照片\n2021001,计科2101\\林晓雯.jpg\n2021004,计科2102\\林晓雯.jpg\n", encoding="utf-8")
    names = photo_column(roster)
    found = [match_student(station.db, name, names) for name in ("计科2101/林晓雯.jpg", "计科2102/林晓雯.jpg")]
    assert found == [["2021001"], ["2021004"]]


def test_an_iphone_s_heic_photo_is_refused_saying_what_to_do_not_passed_over(tmp_path: Path, station,
                                                                             embedder: FaceEmbedder) -> None:
    """A folder of phone photos with one HEIC: that student was left without a reference photo and no word."""
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "2021001.HEIC").write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))
    Image.new("RGB", (64, 64)).save(folder / "2021002.jpg")

    outcomes = list(checked_entries(station.db, source_entries(folder), embedder))

    assert [(o.file, o.student_no, o.code) for o in outcomes] == [("2021001.HEIC", "2021001", "unreadable"),
                                                                  ("2021002.jpg", "2021002", "no_face")]
    assert "export the photo as JPEG" in outcomes[0].reason.en
