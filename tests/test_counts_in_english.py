"""A count in English with its noun in the singular for one ("1 photo", "1 row rejected"), not "1 photos" nor the
hedge "photo(s)"; Chinese has one form and its template is filled as before."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from station.i18n import Text

ROOT = Path(__file__).resolve().parent.parent


def test_one_and_many() -> None:
    text = Text("{n} 名学生，{pages} 页，{x:.1f}", "{n:student|students}, {pages:page|pages}, {x:.1f}")
    assert text.format(n=1, pages=2, x=3).en == "1 student, 2 pages, 3.0"
    assert text.format(n=0, pages=1, x=3).en == "0 students, 1 page, 3.0"
    assert text.format(n=1, pages=2, x=3).zh == "1 名学生，2 页，3.0"


def english_texts() -> list[tuple[str, str]]:
    """Every Text(zh, en) literal in station/ and ui/: (where, its English)."""
    found = []
    for path in [*ROOT.joinpath("station").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Text" and len(node.args) == 2
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.args[1].value))
    return found


def test_no_english_count_is_hedged_or_bare() -> None:
    """No "(s)" / "(es)" after a field, and a field counting photos, students, pages, classes… says its noun through
    the count field, so one of them reads in the singular."""
    nouns = "photos|students|pages|classes|versions|entries|rows|slots|faces|uploads|attempts"
    counts = r"\{(n|count|printed|rejected|" + nouns + r")\} (\w+ )?(" + nouns + r")\b"  # "{n} audit entries" too
    hedged = [(where, en) for where, en in english_texts() if re.search(r"\}\s*\w+\((e?s)\)", en)]
    bare = [(where, en) for where, en in english_texts() if re.search(counts, en)]
    assert not hedged and not bare, hedged + bare
