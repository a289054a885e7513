"""The registrar's pages rendered by headless Chromium over HTTPS: class page, missing list, queue health."""

from __future__ import annotations

import pytest
from PIL import Image

from tests.server.browser import DevTools, chromium, render
from tests.server.registrar_day import registrar_day

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
