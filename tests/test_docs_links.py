"""Every relative link in the project's markdown leads somewhere: the file or folder exists, and a `#anchor` into a
markdown file names one of its headings, as GitHub makes a heading's anchor (README.md was split into docs/ in
session 33, and a moved section must not leave a link behind that leads nowhere). No network: web links are not
followed."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]

FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# [text](target) and ![alt](target), the target optionally in <...> and followed by a "title"
LINK = re.compile(r"\]\(\s*(?:<([^>]*)>|([^)\s]*))(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(\S+)")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")


def documents() -> list[Path]:
    """README.md, ARCHITECTURE.md, docs/, the model cards, training's notes, the assets' READMEs."""
    found = [ROOT / "README.md", ROOT / "ARCHITECTURE.md"]
    found += sorted((ROOT / "docs").glob("*.md"))
    for folder in ("models", "training", "assets", "calibration", "packaging"):
        found += sorted(p for p in (ROOT / folder).rglob("*.md") if ".cache" not in p.parts)
    return [p for p in found if p.is_file()]


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, with their numbers."""
    out, fenced = [], False
    for number, line in enumerate(text.split("\n"), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            out.append((number, line))
    return out


def slug(heading: str) -> str:
    """GitHub's anchor for a heading (github-slugger): the heading's text as shown (code marks, emphasis and link
    targets gone), lowercased, every character but letters, digits, marks, '-', '_' and spaces dropped (CJK is
    kept), spaces to '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows its text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").replace("*", "")
    text = text.lower()
    text = "".join(c for c in text if c in "-_ " or unicodedata.category(c)[0] in "LNM")
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor GitHub gives the headings of a markdown file (a repeated one gets -1, -2, ...)."""
    seen: dict[str, int] = {}
    out: set[str] = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        out.update(HTML_ANCHOR.findall(line))
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.add(base if count == 0 else f"{base}-{count}")
    return out


def links(path: Path) -> list[tuple[int, str]]:
    """(line, target) of every link and image in a markdown file, outside code."""
    out = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        line = CODE_SPAN.sub("", line)
        for match in LINK.finditer(line):
            out.append((number, match.group(1) if match.group(1) is not None else match.group(2)))
        ref = REFERENCE.match(line)
        if ref:
            out.append((number, ref.group(1)))
    return out


def broken(path: Path, root: Path = ROOT) -> list[str]:
    """What is wrong with each relative link of one markdown file, as `file:line: target: why`."""
    wrong = []
    for number, target in links(path):
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
            continue  # a web or mail link: not followed here
        where, _, anchor = target.partition("#")
        goal = path if not where else (path.parent / unquote(where)).resolve()
        said = f"{path.relative_to(root)}:{number}: {target}"
        if not goal.exists():
            wrong.append(f"{said}: no such file or folder")
        elif anchor and goal.suffix == ".md" and unquote(anchor) not in anchors(goal):
            wrong.append(f"{said}: no heading '#{anchor}' in {goal.relative_to(root)}")
    return wrong


def test_the_documents_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in documents()}
    assert {"README.md", "ARCHITECTURE.md", "docs/cli.md", "docs/compliance.md"} <= names


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_somewhere(path: Path) -> None:
    wrong = broken(path)
    assert not wrong, "\n".join(wrong)


def test_slugs_as_github_makes_them() -> None:
    assert slug("## `check --json` and `crop --json`".lstrip("# ")) == "check---json-and-crop---json"
    assert slug("Where the open issues' goals stand (session 32)") == "where-the-open-issues-goals-stand-session-32"
    assert slug("Someone else in view (`face_count`, session 28)") == "someone-else-in-view-face_count-session-28"
    assert slug("毕业生图像采集工作站 · Graduation photo capture station") == "毕业生图像采集工作站--graduation-photo-capture-station"
    assert slug("`idcard`: the resident ID card as a way in") == "idcard-the-resident-id-card-as-a-way-in"


def test_a_broken_link_and_a_wrong_anchor_are_caught(tmp_path: Path) -> None:
    """The check itself: a file that is not there, and a heading that is not there, are both said."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "cli.md").write_text("# Command line\n\n## `lookup CODE --json`\n", encoding="utf-8")
    page = tmp_path / "README.md"
    page.write_text(
        "# Title\n\n[ok](docs/cli.md#lookup-code---json) [self](#title) `[code](nowhere.md)`\n"
        "[gone](docs/server.md) [wrong anchor](docs/cli.md#lookup) [web](https://example.org/x.md)\n"
        "```\n[fenced](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    assert broken(page, tmp_path) == [
        "README.md:4: docs/server.md: no such file or folder",
        "README.md:4: docs/cli.md#lookup: no heading '#lookup' in docs/cli.md",
    ]
