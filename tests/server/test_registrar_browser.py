"""The registrar's pages rendered by headless Chromium over HTTPS: class page, missing list, queue health."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from station.adapters.server.store import Confirmation
from station.context import Station
from station.storage.captures import CaptureStore
from station.upload.uploader import Uploader
from tests.server.browser import DevTools, chromium, render
from tests.server.registrar_day import _jpeg, registrar_day
from tests.upload.kit import add_students, station_key

pytestmark = pytest.mark.skipif(chromium() is None, reason="chromium is not installed (scripts/test.sh installs it)")


@pytest.fixture
def day(tmp_path, home):
    day = registrar_day(tmp_path, home)
    yield day
    day.server.stop()


def test_the_overview_shows_each_class_and_the_station_s_queue_and_last_contact(day, tmp_path):
    shot = tmp_path / "overview.png"
    dom = render(day.url("/"), day.cert_file, shot)
    classes = dom.split("各班采集情况")[1].split("</table>")[0]
    assert "软件2101</a></td><td>5</td><td>2</td><td><span class=\"bad\">3</span></td><td>1</td>" in classes
    station = dom.split("<td>S01</td>")[1].split("</tr>")[0].split("</td><td>")
    assert station[0] == "<td>一号机位" and "—" not in station[1]  # last contact
    assert station[2:5] == ["0", "0", "0"]  # waiting, sending, failed: a 0 is not in red
    assert "身份核验</a>：1 张照片待核对" in dom  # 刘一鸣's uncertain verdict: the overview says to look
    # what asks for action, above a cohort's many class rows
    assert dom.index("全校应拍 7 人：已拍摄 3 人") < dom.index("身份核验</a>") < dom.index("各班采集情况")
    with Image.open(shot) as image:
        assert image.size == (1100, 800) and len(image.convert("L").getcolors(256)) > 10  # text, not a blank page


def test_the_class_page_lists_who_is_missing_and_the_retake(day):
    dom = render(day.url("/classes/软件2101"), day.cert_file)
    missing = dom.split("未拍摄名单（3）")[1].split("重拍（")[0]
    assert [name in missing for name in ("陈浩然", "赵雨桐", "周子涵", "林晓雯")] == [True, True, True, False]
    assert "闭眼" in dom.split("重拍（1）")[1]


CLICK = """(() => {{ const form = document.querySelector('form[action$="/{action}"]');
  {fill} form.querySelector('button').click(); }})()"""


def test_the_registrar_confirms_a_doubted_photo_in_the_browser_and_undoes_it(day):
    """The forms as Chromium posts them (its own Origin, the sign-in it holds): 确认是本人, then 撤销."""
    browser = DevTools(day.cert_file)
    try:
        browser.open(day.url("/identity"))
        assert browser.run("document.querySelectorAll('img[loading=lazy]').length") > 0
        browser.run(CLICK.format(action="confirm", fill="form.confirmed_by.value = '张老师'; form.note.value = '看过学生证';"))
        browser.wait_for("Page.loadEventFired")
        checked = browser.dom().split("已核对：确是本人（1）")[1]
        assert "刘一鸣" in checked and "已人工核对：张老师" in checked and "看过学生证" in checked
        browser.open(day.url("/"))
        assert "没有待核对的照片" in browser.dom()
        browser.open(day.url("/identity"))
        browser.run(CLICK.format(action="undo", fill="form.withdrawn_by.value = '李老师';"))
        browser.wait_for("Page.loadEventFired")
        assert "已核对：确是本人（0）" in browser.dom() and "已撤销：李老师" in browser.dom()
    finally:
        browser.close()
    assert day.server.context.store.confirmations() == {}


LONG_NAME = "阿卜杜热合曼·买买提明·艾力克斯坦丁诺维奇·热依拉木·古丽娜扎尔"


def test_a_long_name_on_the_identity_page_wraps_and_the_photos_stay_in_the_window(day):
    """A minority student's long name (parts joined by ·) was kept on one line: 身份核验's table grew to 1517 px and
    the photo to compare it with, and the photographer's reason, went off a 1366 px window (s32 registrar walk)."""
    store = day.server.context.store
    store.upsert_students([{"student_no": "20210201", "name": LONG_NAME, "class_name": "软件2102", "id_number": ""}])
    browser = DevTools(day.cert_file, (1366, 768))
    try:
        browser.open(day.url("/identity"))
        assert browser.run("document.documentElement.scrollWidth") <= browser.run("innerWidth")
        assert browser.run("document.body.innerText").count(LONG_NAME) == 1  # the name whole, only broken in lines
        assert browser.run("Math.round(document.querySelector('td span.whole').getBoundingClientRect().width)") < 120
        reason = browser.run("""(() => { const cells = document.querySelector('table').rows[1].cells;
          return cells[cells.length - 1].getBoundingClientRect().right; })()""")
        assert reason <= browser.run("innerWidth")  # the photographer's reason, the last column, in the window
    finally:
        browser.close()


def _swap_day(day, home):
    """Two more students with 10-digit numbers: 欧阳娜娜's capture is not her enrolment photo's face, and is
    王小明's, photographed before her (a swap, as the station found it); 王小明's own photo is not in doubt."""
    station = Station.open(home)
    try:
        add_students(station, "计算机2101", ["2021010101", "2021020101"])
        day.server.context.store.upsert_students([
            {"student_no": "2021010101", "name": "王小明", "class_name": "计算机2101", "id_number": ""},
            {"student_no": "2021020101", "name": "欧阳娜娜", "class_name": "计算机2101", "id_number": ""}])
        key = station_key(home)
        store = CaptureStore(station, key)
        store.save("2021010101", _jpeg(50), b"o", operator="王老师")
        Uploader(home, key).drain()
        wang = day.server.context.store.registered()["2021010101"].uid
        store.save("2021020101", _jpeg(60), b"o", operator="王老师", identity=json.dumps({"checks": [
            {"against": "reference", "level": "different", "score": 0.12},
            {"against": "swap", "level": "different", "score": 0.99, "student_no": "2021010101", "source": "capture",
             "uid": wang}], "reason": "学生说学籍照片是高中时拍的，已核对学生证"}, ensure_ascii=False))
        Uploader(home, key).drain()
    finally:
        station.close()


def test_the_identity_page_fits_a_1000_px_window_with_a_swap_and_10_digit_numbers(day, home):
    """Nine columns, each at its narrowest, took 1037 px for a swap's row with 10-digit numbers: a browser 1000 px
    wide (beside another window, or a 1366 px laptop at 125 %) scrolled sideways and cut off the photographer's
    reason (s32 registrar walk). Every cell is in the window, none overflows into the next."""
    _swap_day(day, home)
    browser = DevTools(day.cert_file, (1000, 900))
    store = day.server.context.store

    def fits() -> None:
        assert browser.run("document.documentElement.scrollWidth") <= browser.run("innerWidth") == 1000
        page = browser.run("Math.round(document.body.getBoundingClientRect().right)")  # inside the page's margin
        cells = json.loads(browser.run("""JSON.stringify([...document.querySelectorAll('td, th')].map(c => {
          const box = c.getBoundingClientRect();
          return [c.innerText.slice(0, 20), Math.round(box.right), c.scrollWidth - c.clientWidth]; }))"""))
        assert any("学生说学籍照片" in text for text, _, _ in cells)
        assert [c for c in cells if c[1] > page or c[2] > 0] == []  # in the page, and nothing spills out of its cell

    try:
        browser.open(day.url("/identity"))
        text = browser.run("document.body.innerText")
        assert "这张脸与王小明（2021010101）的照片为同一人（0.99）" in text and "2021020101" in text
        fits()
        # confirmed, with a note: 已人工核对：核对人，time 北京时间, and the 撤销 form
        store.confirm_identity(Confirmation(store.registered()["2021020101"].uid, "张老师",
                                            "2026-12-07T09:00:00+00:00", "看过学生证和录取通知书"))
        browser.open(day.url("/identity"))
        assert "已核对：确是本人（1）" in browser.run("document.body.innerText")
        fits()
    finally:
        browser.close()
