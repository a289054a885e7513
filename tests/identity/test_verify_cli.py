"""`photo-station verify` as a script calls it: real LFW photos, the real console script, JSON lines."""

from __future__ import annotations

from pathlib import Path

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
