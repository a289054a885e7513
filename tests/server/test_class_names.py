"""Names as schools write them on the registrar's pages: a class with a slash, a hash or HTML-like text has its
page; a name Excel would run as a formula stays text in the exports."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from openpyxl import load_workbook

from tests.upload.kit import registrar_signed_in

CLASSES = ["2021级/软件1班", "软件#2 & <b>实验</b>班", "计科2101?"]
ONE_A_CLASS = [{"student_no": f"2021010{n}", "name": f"学生{n}", "class_name": name, "id_number": ""}
               for n, name in enumerate(CLASSES, start=1)]


@contextmanager
def registrar(tmp_path: Path, students: list[dict]) -> Iterator[httpx.Client]:
    """A real server on 127.0.0.1 holding `students`, and the registrar signed in to it."""
    with registrar_signed_in(tmp_path, students) as (web, _):
        yield web


def test_every_class_link_on_the_overview_opens_that_class(tmp_path: Path) -> None:
    with registrar(tmp_path, ONE_A_CLASS) as web:
        overview = web.get("/").text
        links = re.findall(r'href="(/classes/[^"]+)"', overview)
        assert len(links) == len(CLASSES)
        for link in links:
            page = web.get(link)
            assert page.status_code == 200, (link, page.status_code)
            missing = re.search(r'href="(/missing\.csv\?[^"]+)"', page.text).group(1)
            sheet = web.get(missing.replace("&amp;", "&"))
            assert sheet.status_code == 200 and len(sheet.text.strip().splitlines()) == 2, sheet.text
        assert "<b>实验</b>" not in overview and "&lt;b&gt;实验&lt;/b&gt;" in overview
        wrong = web.get("/classes/不存在的班")  # a page in Chinese with the way back, not {"detail":"Not Found"}
        assert wrong.status_code == 404 and "找不到这个页面" in wrong.text and 'href="/"' in wrong.text
        assert web.get("/api/v1/nothing").json() == {"detail": "Not Found"}  # the stations' API stays JSON
        assert web.get("/missing.csv?class_name=不存在的班").status_code == 404


def test_a_class_address_typed_with_a_trailing_slash_opens_the_class(tmp_path: Path) -> None:
    """/classes/计算机2101/ gave the 404 page, which says the class may have left the roster (s32 registrar
    review): a registrar who typed the address believed it."""
    students = [{"student_no": "2021010101", "name": "林晓雯", "class_name": name, "id_number": ""}
                for name in ("计算机2101", "2021级/软件1班")]
    students[1]["student_no"] = "2021010102"
    with registrar(tmp_path, students) as web:
        for typed, title in [("/classes/计算机2101/", "计算机2101 班采集情况"), ("/classes/计算机2101//", "计算机2101 班采集情况"),
                             ("/classes/2021级%2F软件1班/", "2021级/软件1班 采集情况")]:
            page = web.get(typed, follow_redirects=True)
            assert page.status_code == 200 and title in page.text, (typed, page.status_code)
            assert not str(page.url).endswith("/")  # the class's own address, as its links are
        assert web.get("/classes/不存在的班/").status_code == 404


def test_a_name_that_looks_like_a_formula_stays_text_in_the_missing_list_exports(tmp_path: Path) -> None:
    import io

    from openpyxl import load_workbook

    with registrar(tmp_path, [{"student_no": "20210101", "name": "=HYPERLINK(\"http://x.cn\",\"点我\")",
                               "class_name": "软件2101", "id_number": ""}]) as web:
        listed = web.get("/missing.csv").content.decode("utf-8-sig")
        sheet = load_workbook(io.BytesIO(web.get("/missing.xlsx").content)).active
    assert "\"'=HYPERLINK(" in listed and ",\"=HYPERLINK(" not in listed
    name = sheet["C2"]
    assert name.value == "=HYPERLINK(\"http://x.cn\",\"点我\")" and name.data_type == "s"


def test_a_missing_list_download_is_named_after_its_class_in_chinese(tmp_path: Path) -> None:
    from urllib.parse import unquote

    with registrar(tmp_path, ONE_A_CLASS) as web:
        named = {}
        for path, params in [("/missing.xlsx", {"class_name": "2021级/软件1班"}),
                             ("/missing.csv", {"class_name": "计科2101?"}), ("/missing.csv", {})]:
            download = web.get(path, params=params)
            assert download.headers["cache-control"] == "no-store"  # ID numbers: never left in a browser cache
            header = download.headers["content-disposition"]
            ascii_name = re.search(r'filename="([^"]+)"', header).group(1)
            named[unquote(re.search(r"filename\*=UTF-8''(\S+)", header).group(1))] = ascii_name
        assert web.get("/").headers["cache-control"] == "no-store"
    # RFC 5987 for browsers (a "/" or "?" no file name may hold made "_"), plain ASCII for the rest
    assert named == {"未拍摄名单_2021级_软件1班.xlsx": "missing.xlsx", "未拍摄名单_计科2101_.csv": "missing.csv",
                     "未拍摄名单.csv": "missing.csv"}


def test_a_class_page_s_title_says_班_once(tmp_path: Path) -> None:
    """软件1班 named its page 2021级/软件1班 班采集情况; a name without 班 keeps it: 计科2101? 班采集情况."""
    with registrar(tmp_path, ONE_A_CLASS) as web:
        titles = [re.search(r"<h1>(.*?)</h1>", web.get(link).text).group(1)
                  for link in re.findall(r'href="(/classes/[^"]+)"', web.get("/").text)]
        assert sorted(titles) == sorted(["2021级/软件1班 采集情况", "软件#2 &amp; &lt;b&gt;实验&lt;/b&gt;班 采集情况",
                                         "计科2101? 班采集情况"])


def test_an_empty_part_of_a_class_page_says_没有_not_a_table_of_headings(tmp_path: Path) -> None:
    with registrar(tmp_path, ONE_A_CLASS[:1]) as web:
        page = web.get(re.findall(r'href="(/classes/[^"]+)"', web.get("/").text)[0]).text
        for part in ("已拍摄（0）", "重拍（0）", "人工放行（0）"):
            assert "<p>没有。</p>" in page.split(part)[1].split("<h2>")[0], part
        assert "<th>" not in page.split("未拍摄名单（1）")[0]


def test_the_missing_list_s_downloads_say_which_one_excel_opens_whole(tmp_path: Path) -> None:
    """Excel reads a CSV's 18-digit ID numbers as numbers: 110101200302111026 became 1.10101E+17, kept as
    110101200302111000, in the list the registrar calls students back with. The XLSX keeps them as text."""
    student = {"student_no": "20210001", "name": "林晓雯", "class_name": "软件2101", "id_number": "110101200302111026"}
    with registrar(tmp_path, [student]) as web:
        for path in ("/", "/missing", "/classes/软件2101"):
            page = web.get(path).text
            assert page.index("/missing.xlsx") < page.index("/missing.csv"), path
            assert "XLSX</a>（Excel、WPS 用这个）" in page and "身份证号会变成 1.10101E+17 这样的数字" in page, path
        sheet = load_workbook(io.BytesIO(web.get("/missing.xlsx").content)).active
        assert sheet["D2"].value == "110101200302111026" and sheet["D2"].data_type == "s"


def test_the_missing_list_workbook_shows_every_number_and_name_whole(tmp_path: Path) -> None:
    """missing.xlsx had Excel's default column width (8.43): a 10-digit student number showed as 20210301 (cut by the
    name beside it) and a long class name likewise, so a registrar could call back the wrong student (s32 walk)."""
    students = [{"student_no": "2021030103", "name": "阿卜杜热合曼·买买提明", "id_number": "110105200304041311",
                 "class_name": "计算机科学与技术（中外合作办学）2101"},
                {"student_no": "2021030105", "name": "赵思远", "class_name": "电子/通信2103", "id_number": ""}]
    with registrar(tmp_path, students) as web:
        book = load_workbook(io.BytesIO(web.get("/missing.xlsx").content))
    sheet = book.active
    assert {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        "2021030103": "阿卜杜热合曼·买买提明", "2021030105": "赵思远"}
    for column in sheet.columns:
        letter = column[0].column_letter
        needed = max(sum(2 if ord(c) > 0x2E80 else 1 for c in str(cell.value or "")) for cell in column)
        assert sheet.column_dimensions[letter].width >= needed, (letter, sheet.column_dimensions[letter].width, needed)
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
