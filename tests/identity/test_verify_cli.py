"""`photo-station verify` as a script calls it: real LFW photos, the real console script, JSON lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from station import ASSETS_DIR
from station.identity.pairs import read_pairs
from tests.cli import json_lines, run_cli
from tests.identity.faces import photos_of

# Two people of the dev side of training/splits/lfw_identities.csv, with several photos each.
PERSON_A = "Colin_Powell"
PERSON_B = "Ariel_Sharon"


def test_same_person_scores_higher_and_is_called_same(faces_dir: Path, tmp_path: Path) -> None:
    a1, a2 = photos_of(faces_dir, PERSON_A)[:2]
    b1 = photos_of(faces_dir, PERSON_B)[0]
    junk = tmp_path / "notes.jpg"
    junk.write_text("not a photo")
    pairs = tmp_path / "pairs.csv"
    # relative names are found beside the CSV; a missing file and a non-image each give an error line
    (tmp_path / "a1.jpg").write_bytes(a1.read_bytes())
    pairs.write_text(f"a,b\na1.jpg,{a2}\n{a1},{b1}\n{a1},{tmp_path / 'gone.jpg'}\n{junk},{a2}\n", encoding="utf-8")
    result = run_cli("verify", "--pairs", str(pairs), "--json")
    assert result.returncode == 0, result.stderr.decode()
    same, other, missing, unreadable = json_lines(result)
    assert same["a"] == "a1.jpg" and same["same"] is True and 0 < same["score"] <= 1
    assert other["same"] is False and other["score"] < same["score"]
    assert set(missing) == {"a", "b", "error"} and "b: missing" in missing["error"]
    assert unreadable["error"].startswith("a: unreadable")


def test_two_images_in_words_and_the_usage_errors(faces_dir: Path, tmp_path: Path) -> None:
    a1, a2 = photos_of(faces_dir, PERSON_A)[:2]
    result = run_cli("--lang", "en", "verify", str(a1), str(a2))
    assert result.returncode == 0
    assert "same person" in result.stdout.decode()
    assert run_cli("verify", str(a1)).returncode == 2
    bad = tmp_path / "pairs.csv"
    bad.write_text("left,right\nx.jpg,y.jpg\n", encoding="utf-8")
    refused = run_cli("verify", "--pairs", str(bad), "--json")
    assert refused.returncode == 2 and json_lines(refused)[0]["error"] == "unreadable_pairs"
    assert b"Traceback" not in refused.stderr


def test_a_blank_image_has_no_face(tmp_path: Path, faces_dir: Path) -> None:
    import cv2
    import numpy as np

    blank = tmp_path / "wall.png"
    cv2.imwrite(str(blank), np.full((300, 300, 3), 180, np.uint8))
    result = run_cli("verify", str(blank), str(photos_of(faces_dir, PERSON_A)[0]), "--json")
    assert result.returncode == 0
    assert json_lines(result)[0]["error"].startswith("a: no_face")


def test_a_pairs_file_saved_by_excel_without_a_header(tmp_path: Path) -> None:
    """No header, a BOM, Windows line ends, an empty row, Chinese folders with spaces, a third column."""
    from station import ASSETS_DIR

    folder = tmp_path / "学生 照片"
    folder.mkdir()
    live, enrolled = folder / "现场 1.jpg", folder / "学籍 1.jpg"
    live.write_bytes((ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg").read_bytes())
    enrolled.write_bytes((ASSETS_DIR / "demo_references" / "2021010101.jpg").read_bytes())
    pairs = tmp_path / "pairs.csv"
    pairs.write_bytes(f"\ufeff{live},{enrolled},1\r\n\r\n学生 照片/现场 1.jpg,学生 照片/gone.jpg,0\r\n".encode("utf-8"))
    result = run_cli("verify", "--pairs", str(pairs), "--json")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()
    same, missing = json_lines(result)
    assert same["a"] == str(live) and same["same"] is True
    assert missing["a"] == "学生 照片/现场 1.jpg" and missing["error"].startswith("b: missing")


@pytest.mark.parametrize("saved", [b"a\tb\nx 1.jpg\t\xd5\xd5.jpg\n", "a\tb\nx 1.jpg\t照.jpg\n".encode("utf-16"),
                                   b"x 1.jpg;\xe7\x85\xa7.jpg\n"])
def test_tab_and_semicolon_separated_pairs_files(tmp_path: Path, saved: bytes) -> None:
    """Tab-separated text in GBK or as Excel's "Unicode text" (UTF-16), and a comma-decimal locale's semicolons."""
    pairs = tmp_path / "pairs.csv"
    pairs.write_bytes(saved)
    assert [(a, b) for a, _, b, _ in read_pairs(pairs)] == [("x 1.jpg", "照.jpg")]


def test_a_pairs_file_the_csv_reader_refuses_is_unreadable_not_a_traceback(tmp_path: Path) -> None:
    """A cell longer than the csv module's limit (a file that is not a list of paths) ends the run with its reason."""
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\n" + "x" * 200_000 + ",y.jpg\n")
    result = run_cli("verify", "--pairs", str(pairs), "--json", "--lang", "en")
    assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr.decode()
    (line,) = json_lines(result)
    assert line["error"] == "unreadable_pairs" and "longer than 128 KB" in line["message"]


def test_a_pairs_file_kept_as_an_excel_workbook_is_asked_for_as_csv(tmp_path: Path) -> None:
    """Not 'unknown text encoding': what to do about it, whatever the workbook is named."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    book.active.append(["x.jpg", "y.jpg"])
    for name in ("pairs.xlsx", "pairs.csv"):
        book.save(tmp_path / name)
        result = run_cli("verify", "--pairs", str(tmp_path / name), "--json", "--lang", "en")
        assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr.decode()
        (line,) = json_lines(result)
        assert line["error"] == "unreadable_pairs" and "Excel workbook: save it as CSV" in line["message"]


def test_a_pairs_file_with_a_mac_s_line_ends_is_read(tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR: the csv module refused the whole file."""
    pairs = tmp_path / "pairs.csv"
    pairs.write_bytes("a,b\rx 1.jpg,照.jpg\ry.jpg,z.jpg\r".encode("utf-8"))
    assert [(a, b) for a, _, b, _ in read_pairs(pairs)] == [("x 1.jpg", "照.jpg"), ("y.jpg", "z.jpg")]


@pytest.mark.parametrize("cut_short", [b"\xff\xfea\x00,\x00b\x00\n", b"\xff\xfe\x00\xd8a\x00"])
def test_a_utf16_pairs_file_cut_short_is_unreadable_not_a_traceback(tmp_path: Path, cut_short: bytes) -> None:
    """Excel's "Unicode text" copied only in part (an odd number of bytes, or half a character pair) ended the
    run in a UnicodeDecodeError traceback, with no JSON line."""
    pairs = tmp_path / "pairs.txt"
    pairs.write_bytes(cut_short)
    result = run_cli("verify", "--pairs", str(pairs), "--json", "--lang", "en")
    assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr.decode()
    (line,) = json_lines(result)
    assert line["error"] == "unreadable_pairs" and "cut short" in line["message"]


def test_an_image_given_as_the_pairs_file_is_said_to_be_no_text(tmp_path: Path) -> None:
    """The roster's advice came with it: 'save it as .xlsx', which verify then refuses as a workbook."""
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x81\xfe")
    result = run_cli("verify", "--pairs", str(photo), "--json", "--lang", "en")
    assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr.decode()
    (line,) = json_lines(result)
    assert line["error"] == "unreadable_pairs" and "not text in UTF-8, GBK or UTF-16" in line["message"], line
    assert ".xlsx" not in line["message"]


def test_a_pairs_file_s_home_folder_and_windows_folders_are_found(tmp_path: Path, monkeypatch) -> None:
    """`~/photos/x.jpg` (what a shell would have expanded) and `photos\\x.jpg` (a list written on Windows, read on
    Linux or a Mac) were missing images; each row still prints the paths as written."""
    me, lists = tmp_path / "me", tmp_path / "lists"
    for folder in (me / "photos", lists / "photos"):
        folder.mkdir(parents=True)
        (folder / "x.jpg").write_bytes(b"")
    monkeypatch.setenv("HOME", str(me))
    monkeypatch.setenv("USERPROFILE", str(me))
    pairs = lists / "pairs.csv"
    pairs.write_text("a,b\n~/photos/x.jpg,photos\\x.jpg\n", encoding="utf-8")
    assert read_pairs(pairs) == [("~/photos/x.jpg", me / "photos" / "x.jpg",
                                  "photos\\x.jpg", lists / "photos" / "x.jpg")]


def test_a_windows_variable_typed_in_powershell_names_the_photos(tmp_path: Path, monkeypatch) -> None:
    """`verify %USERPROFILE%\\Pictures\\a.jpg ...` typed in PowerShell (Windows' default terminal) reaches the station
    as typed, %USERPROFILE% and all: both images were 'not found' (s34 Windows review). A variable that is set stands
    for its value, in the two images as in a pairs file's cells; each still printed as written."""
    photos = tmp_path / "我的 照片"
    photos.mkdir()
    (photos / "a.jpg").write_bytes((ASSETS_DIR / "demo" / "students" / "DEMO0003_2_good.jpg").read_bytes())
    monkeypatch.setenv("PHOTO_TEST_PICTURES", str(photos))
    monkeypatch.chdir(tmp_path)
    result = run_cli("verify", "%PHOTO_TEST_PICTURES%/a.jpg", "%PHOTO_TEST_PICTURES%/a.jpg", "--json")
    assert json_lines(result) == [{"a": "%PHOTO_TEST_PICTURES%/a.jpg", "b": "%PHOTO_TEST_PICTURES%/a.jpg",
                                   "score": 1.0, "same": True}], result.stderr.decode()
    (tmp_path / "pairs.csv").write_text("a,b\n%PHOTO_TEST_PICTURES%/a.jpg,%NOT_SET_ANYWHERE%/a.jpg\n",
                                        encoding="utf-8")
    assert read_pairs(tmp_path / "pairs.csv") == [("%PHOTO_TEST_PICTURES%/a.jpg", photos / "a.jpg",
                                                   "%NOT_SET_ANYWHERE%/a.jpg", Path("%NOT_SET_ANYWHERE%/a.jpg"))]
