"""The registrar's view: per class who is captured, who is missing (未拍摄名单), retakes,
each station's queue health, and the captures whose identity is in doubt (身份核验); the missing list as CSV or
XLSX. Plain server-rendered HTML; photos only as thumbnails through the registrar's own authenticated route."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

import cv2
from openpyxl import Workbook
from openpyxl.styles import Font

from station.documents.output_file import name_part
from station.image_io import decode_image
from station.localtime import BEIJING, BEIJING_TIME, local_time
from station.adapters.server.doubts import NAME_LIMIT, NOTE_LIMIT, Doubt, identity_doubts, together
from station.adapters.server.store import Confirmation, MetaStore, Upload, Withdrawal
from station.spreadsheet import add_row, csv_rows

MISSING_HEADER = ["班级", "学号", "姓名", "身份证号"]
THUMB_WIDTH = 120  # px: the registrar compares two faces, not checks the photo


@dataclass
class ClassState:
    name: str
    students: list[dict[str, str]] = field(default_factory=list)
    captured: list[tuple[dict[str, str], list[Upload]]] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)

    @property
    def retakes(self) -> list[tuple[dict[str, str], list[Upload]]]:
        return [(s, versions) for s, versions in self.captured if len(versions) > 1]


@dataclass(frozen=True)
class StationHealth:
    station_id: str
    name: str
    last_seen_at: str | None
    health: dict


@dataclass
class SchoolState:
    classes: dict[str, ClassState]
    stations: list[StationHealth]
    off_roster: list[Upload]  # uploads for student numbers the server's roster does not know
    audit_refused: dict[str, str]  # station id -> when its audit log last failed to continue the server's copy
    refused_rows: list[tuple[str, str, str, str, str]]  # roster rows the import refused (MetaStore.refused_rows)


def school_state(store: MetaStore) -> SchoolState:
    by_student: dict[str, list[Upload]] = {}
    for upload in store.uploads():
        by_student.setdefault(upload.student_no, []).append(upload)
    classes: dict[str, ClassState] = {}
    known = set()
    for student in store.students():
        known.add(student["student_no"])
        state = classes.setdefault(student["class_name"], ClassState(student["class_name"]))
        state.students.append(student)
        versions = by_student.get(student["student_no"])
        if versions:
            state.captured.append((student, versions))
        else:
            state.missing.append(student)
    stations = [StationHealth(sid, name, seen, json.loads(health) if health else {})
                for sid, name, seen, health in store.stations()]
    off_roster = [u for no, ups in by_student.items() if no not in known for u in ups]
    return SchoolState(classes, stations, off_roster, store.audit_refusals(), store.refused_rows())


def missing_rows(state: SchoolState, class_name: str | None) -> list[list[str]]:
    return [[c.name, s["student_no"], s["name"], s["id_number"]]
            for c in state.classes.values() if class_name in (None, c.name) for s in c.missing]


def missing_download(class_name: str | None, fmt: str) -> str:
    """The Content-Disposition of a missing-list download: 未拍摄名单_软件2101.xlsx, so twenty classes' lists are twenty
    names, not missing (1).xlsx ... (RFC 6266: `filename*` in UTF-8 per RFC 5987, `filename` in ASCII for old clients)."""
    stem = "未拍摄名单" + (f"_{name_part(class_name)}" if class_name else "")
    return f"attachment; filename=\"missing.{fmt}\"; filename*=UTF-8''{quote(f'{stem}.{fmt}', safe='')}"


def missing_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MISSING_HEADER)
    writer.writerows(csv_rows(rows))
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel on Windows read the Chinese


def missing_xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "未拍摄名单"
    sheet.append(MISSING_HEADER)
    for row in rows:
        add_row(sheet, row)
    # each column as wide as its longest entry: at Excel's default width (8.43) a 10-digit student number was cut to
    # 20210301 by the name beside it, and a class name likewise (s32 registrar walk)
    for column in sheet.columns:
        widest = max(_display_width(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(widest + 2, 60)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"  # the headings stay in sight down a school's list
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese character two, a digit or letter one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _when(upload: Upload) -> str:
    """When a photo was taken, on the server's clock (as retakes are ordered), in Beijing time."""
    return _beijing(upload.captured_on_server_clock.isoformat())


def _beijing(iso: object) -> str:
    """A stored time as a registrar reads it, in Beijing time whatever zone the server runs in; — for none. The page
    says so (_timed in a column's heading, _at in a sentence): a station beside it shows its own machine's time."""
    return local_time(str(iso), zone=BEIJING) if iso else "—"


def _timed(heading: str) -> str:
    """A column of times says their clock once, in its heading: 拍摄时间（北京时间）."""
    return f"{heading}（{BEIJING_TIME.zh}）"


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em}"
            "table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #999;padding:4px 8px}"
            "th{word-break:keep-all}"
            ".bad{color:#b00}.whole{white-space:nowrap}.said{color:#666;font-size:90%;margin-top:4px}</style></head>"
            f"<body><h1>{escape(title)}</h1>{body}</body></html>")


def _table(header: list[str], rows: list[list[str]]) -> str:
    """An empty one says so: a table of headings alone reads as something failed to load."""
    return _grouped_table(header, [([], [row], []) for row in rows]) if rows else "<p>没有。</p>"


Group = tuple[list[str], list[list[str]], list[str]]  # cells before, the group's own rows, cells after


def _grouped_table(header: list[str], groups: list[Group]) -> str:
    """A table whose groups of rows share their first and last cells, which span the group (one photo, and each
    photo it was compared with on a row of its own). A heading's lines are split by \n."""
    head = "".join("<th>" + "<br>".join(escape(line) for line in h.split("\n")) + "</th>" for h in header)
    body = ""
    for before, rows, after in groups:
        span = f' rowspan="{len(rows)}"' if len(rows) > 1 else ""
        for i, row in enumerate(rows):
            own = "".join(f"<td>{cell}</td>" for cell in row)
            body += ("<tr>" + "".join(f"<td{span}>{c}</td>" for c in before) + own
                     + "".join(f"<td{span}>{c}</td>" for c in after) + "</tr>") if i == 0 else f"<tr>{own}</tr>"
    return f"<table><tr>{head}</tr>{body}</table>"


def thumbnail(jpeg: bytes) -> bytes | None:
    """The CHSI photo THUMB_WIDTH wide (None: it does not decode)."""
    image = decode_image(jpeg)  # a station's upload, bounded in pixels as well as bytes
    if image is None:
        return None
    height = round(image.shape[0] * THUMB_WIDTH / image.shape[1])
    ok, data = cv2.imencode(".jpg", cv2.resize(image, (THUMB_WIDTH, height), interpolation=cv2.INTER_AREA),
                            [cv2.IMWRITE_JPEG_QUALITY, 85])
    return data.tobytes() if ok else None


def _thumb(uid: str) -> str:
    """A capture's thumbnail (CHSI photos are 3:4), fetched only as it scrolls into view: a cohort's doubts are
    hundreds of pictures, and each is decrypted and scaled by the server."""
    return (f'<img src="/photos/{quote(uid)}.jpg" width="{THUMB_WIDTH}" height="{THUMB_WIDTH * 4 // 3}" '
            'loading="lazy" alt="">' if uid else "—")


def _other(doubt: Doubt, has_reference: Callable[[str], bool]) -> str:
    """The photo the face was compared with: the other student's capture, else the reference photo (the student's
    own, or the other student's) when this server holds it."""
    if doubt.other_uid or not (doubt.other_reference and has_reference(doubt.other_reference)):
        picture = _thumb(doubt.other_uid)
    else:
        picture = (f'<img src="/references/{quote(doubt.other_reference)}.jpg" width="{THUMB_WIDTH}" loading="lazy" '
                   'alt="">')
    return picture if picture == "—" else f"{picture}<br>{escape(doubt.other_said)}"


IDENTITY_HELP = (
    "<p>每一项是一张需要人工核对的照片：“照片”是拍到的照片，“对照照片”是与它比对的照片（下方注明是谁的哪张照片；"
    "比对了几张就有几行）。"
    "请对比两张脸，并看摄影师填写的原因：</p><ul>"
    "<li><b>身份不确定、不是本人</b>：两张确是同一人（如学籍照片年代久远）时，填写核对人并点“确认是本人”；不是本人时，请通知该生到采集点重拍。</li>"
    "<li><b>疑似互换</b>：这张脸与另一名学生的照片是同一个人，照片可能记在了别人名下。请通知两名学生带学生证到采集点核对，"
    "拍错的一方重拍。</li></ul>"
    "<p>这里列出的当前照片，导出学信网照片（export-chsi）时暂不导出；确认是本人后移到“已核对”，照常导出（点错了可撤销，撤销记录保留在该行）。"
    "重拍后，新照片替换旧照片；已被替换的照片排在后面，仅供查阅。</p>")


# a listed current photo is held back from export-chsi until checked (chsi_export.IN_DOUBT): not "将报送"
STATUS = {False: "当前照片（核对后才导出）", True: "已被重拍替换"}  # by _replaced_by_retake


def _replaced_by_retake(upload: Upload, current: dict[str, Upload]) -> bool:
    now = current.get(upload.student_no)
    return now is None or now.uid != upload.uid


def _confirm_form(uid: str) -> str:
    """确认是本人, with who looked (the sign-in is one shared account, so the page asks) and an optional note."""
    return (f'<form method="post" action="/identity/{quote(uid)}/confirm">'
            f'<input name="confirmed_by" required maxlength="{NAME_LIMIT}" size="10" placeholder="核对人" '
            'autocomplete="name"><br>'
            f'<input name="note" maxlength="{NOTE_LIMIT}" size="10" placeholder="备注（选填）"><br>'
            '<button type="submit">确认是本人</button></form>')


def _said_by(confirmation: Confirmation) -> str:
    """核对人，when（Beijing time）, and the note on a line of its own."""
    note = f"<br>{escape(confirmation.note)}" if confirmation.note else ""
    return f"{escape(confirmation.confirmed_by)}，{_at(confirmation.confirmed_at)}{note}"


NAME_PARTS = re.compile(r"([·•・．.\s]+)")  # between a name's parts (阿卜杜热合曼·买买提明), where a line may break
WHOLE_PART = 6  # characters: a part up to this long is never broken (马子涵 is not 马子/涵); a longer one may be


def _name(name: str) -> str:
    """A student's name in a narrow column: each short part kept whole, with the mark after it (a line never starts
    with ·), a line break allowed between parts. Kept whole as one, a long name (阿卜杜热合曼·买买提明·…) made
    身份核验's table wider than the window, and the photos to compare went off its right edge (s32 registrar walk,
    1366 px wide)."""
    pieces = NAME_PARTS.split(name)
    out = []
    for part, mark in zip(pieces[::2], pieces[1::2] + [""]):
        if len(part) > WHOLE_PART:  # may break inside, but not before its mark
            out.append(escape(part[:-1]) + f'<span class="whole">{escape(part[-1] + mark)}</span>')
        elif part or mark:
            out.append(f'<span class="whole">{escape(part + mark)}</span>')
    return "<wbr>".join(out)


def _at(iso: str) -> str:
    """A time within a sentence, in Beijing time and saying so: the time never broken across lines, its clock on the
    next if need be (kept on one line, 已人工核对's 12-07 17:00 北京时间 made 身份核验's 已核对 table wider than
    a 1000 px window's page)."""
    return f'<span class="whole">{escape(_beijing(iso))}</span> <span class="whole">{BEIJING_TIME.zh}</span>'



def _confirmed(confirmation: Confirmation) -> str:
    """已人工核对, with 撤销, which asks who withdraws it as the confirmation asks who checked."""
    return (f"已人工核对：{_said_by(confirmation)}"
            f'<form method="post" action="/identity/{quote(confirmation.uid)}/undo">'
            f'<input name="withdrawn_by" required maxlength="{NAME_LIMIT}" size="10" placeholder="撤销人" '
            'autocomplete="name"><br><button type="submit">撤销</button></form>')


def _withdrawn(withdrawals: list[Withdrawal]) -> str:
    """A photo confirmed once and withdrawn keeps saying so, under its status: the next registrar sees it."""
    return "".join(f'<div class="said">曾确认：{_said_by(w.confirmation)}<br>已撤销：{escape(w.withdrawn_by)}，'
                   f"{_at(w.withdrawn_at)}</div>" for w in withdrawals)


def _by_photo(doubts: list[Doubt]) -> list[list[Doubt]]:
    """The doubts of each photo together, in the order the photos first come, each finding once (a station and the
    server may find the same swap in the same words): one photo is one thing to check, with one form."""
    by_uid: dict[str, dict[str, Doubt]] = {}
    for d in doubts:
        by_uid.setdefault(d.upload.uid, {}).setdefault(d.said, d)
    return [list(found.values()) for found in by_uid.values()]


def identity_page(store: MetaStore, has_reference: Callable[[str], bool]) -> str:
    """Every capture a station found uncertain or another person's, and every swap the server suspects, each with
    the photo and (where this server holds it) the photo it was compared with; the current ones with a form to
    confirm it is the student, those confirmed in a section of their own. `has_reference(student_no)`: does this
    server hold that student's reference photo."""
    stations, server = identity_doubts(store)
    names = {s["student_no"]: s["name"] for s in store.students()}
    current, confirmed, withdrawn = store.registered(), store.confirmations(), store.withdrawals()

    def status(upload: Upload) -> str:
        history = _withdrawn(withdrawn.get(upload.uid, []))
        if _replaced_by_retake(upload, current):
            return STATUS[True] + history
        if upload.uid in confirmed:
            return _confirmed(confirmed[upload.uid]) + history
        return STATUS[False] + history + _confirm_form(upload.uid)

    by_server = set(server)

    def said(d: Doubt, found: list[Doubt]) -> str:
        """What was found; beside a station's findings of the same photo, the server's say it is theirs."""
        mixed = d in by_server and any(other not in by_server for other in found)
        return f'<span class="bad">{"服务器发现：" if mixed else ""}{escape(d.said)}</span>'

    def group(found: list[Doubt]) -> Group:
        u = found[0].upload
        return ([f"{escape(u.student_no)}<br>{_name(names.get(u.student_no, ''))}",
                 f'<span class="whole">{escape(_when(u))}</span><br>{escape(u.station_id)}', status(u), _thumb(u.uid)],
                [[said(d, found), _other(d, has_reference)] for d in found],
                [escape(together([d.reason for d in found if d.reason]) or "—")])

    # two things to a cell (学号 over 姓名, the station under the time): in nine columns, each at its narrowest, a
    # swap's row with 10-digit numbers took 1037 px, and a 1000 px window cut off the photographer's reason (s32)
    header = ["学号\n姓名", _timed("拍摄时间") + "\n工作站", "状态", "照片", "比对结果", "对照照片", "摄影师填写的原因"]

    def section(title: str, doubts: list[Doubt]) -> str:  # an empty one says so, not a table of headings alone
        photos = sorted(_by_photo(doubts), key=lambda found: _replaced_by_retake(found[0].upload, current))
        return (f"<h2>{title}（{len(photos)}）</h2>"  # what is still to do first
                + (_grouped_table(header, [group(found) for found in photos]) if photos else "<p>没有。</p>"))

    def checked(d: Doubt) -> bool:
        return d.upload.uid in confirmed and not _replaced_by_retake(d.upload, current)

    # a photo is one entry with one form: one its station doubted comes there with what the server found of it too
    by_stations = [d for d in stations if not checked(d)]
    listed = {d.upload.uid for d in by_stations}
    # the server's swaps on photos a station doubted too are above: said here, or its section read 没有 (s32 walk)
    above = len({d.upload.uid for d in server if not checked(d) and d.upload.uid in listed})
    body = (IDENTITY_HELP + section("工作站比对：身份不确定或不是本人",
                                    by_stations + [d for d in server if not checked(d) and d.upload.uid in listed])
            + section("服务器比对：疑似与其他学生互换",
                      [d for d in server if not checked(d) and d.upload.uid not in listed])
            + (f"<p>另有 {above} 张照片服务器也发现疑似互换：工作站对它们已有疑问，已列在上方（标“服务器发现”）。</p>"
               if above else "")
            + section("已核对：确是本人", [d for d in stations + server if checked(d)])
            + '<p><a href="/">返回汇总</a></p>')
    return _page("身份核验", body)


def refused_page(why: str) -> str:
    """A registrar's form the server would not take (an HTML page with the way back, not JSON)."""
    return _page("未能保存", f'<p class="bad">{escape(why)}</p><p><a href="/identity">返回身份核验</a></p>')


def _alarm(count: object) -> str:
    """A count that asks for action, in red only when there is something to do (a red 0 reads as a problem)."""
    return f'<span class="bad">{count}</span>' if isinstance(count, int) and count > 0 else escape(str(count))


NAMED_AT_MOST = 20  # off-roster numbers (学号（工作站）) or refused roster rows named on the overview; more are counted

# what a new server's overview says instead of an empty table: the step that fills it
NO_ROSTER = ('<p class="bad">还没有导入名单：在服务器上运行 <code>photo-station-server import-roster 名单.xlsx</code>'
             "（与工作站导入的是同一份名单）。导入前收到的照片列为名单外，不会导出。</p>")
NO_STATIONS = ("<p>还没有添加工作站：为每台工作站在服务器上运行 <code>photo-station-server add-station 工作站编号 "
               "--url https://本机地址:端口</code>，再在那台工作站上运行它打印的命令。</p>")


def _downloads(query: str) -> str:
    """The missing list's downloads, XLSX first and said to be Excel's: Excel opens a CSV's 18-digit ID numbers as
    numbers (1.10101E+17, the last three digits turned to 0), which is the list the registrar calls students with."""
    return (f'<a href="/missing.xlsx{query}">XLSX</a>（Excel、WPS 用这个）· <a href="/missing.csv{query}">CSV</a>'
            "（供其他程序读取：Excel 打开它时，身份证号会变成 1.10101E+17 这样的数字，末三位变成 0）")


def overview_page(state: SchoolState, doubts: int, folder: str) -> str:
    """`doubts`: how many registered photos the identity page lists that the registrar has not confirmed yet, said on
    the overview so the registrar knows to look. What asks for action comes first, above a cohort's many class rows.
    `folder`: the server folder this page shows, named at the foot: a server started on another folder (a second
    `init`) shows no station and no photo, and the registrar can tell why."""
    class_rows = [[f'<a href="/classes/{quote(c.name, safe="")}">{escape(c.name)}</a>', str(len(c.students)),
                   str(len(c.captured)), _alarm(len(c.missing)), str(len(c.retakes))]
                  for c in state.classes.values()]
    station_rows = [[escape(s.station_id), escape(s.name), escape(_beijing(s.last_seen_at)),
                     escape(str(s.health.get("waiting", "—"))), escape(str(s.health.get("sending", "—"))),
                     _alarm(s.health.get("failed", "—")), escape(_beijing(s.health.get("last_success_at")))]
                    for s in state.stations]
    classes = state.classes.values()
    body = (f"<p>全校应拍 {sum(len(c.students) for c in classes)} 人：已拍摄 {sum(len(c.captured) for c in classes)} 人，"
            f"未拍摄 {_alarm(sum(len(c.missing) for c in classes))} 人。</p>" if classes else NO_ROSTER)
    if doubts:
        body += (f'<p class="bad"><a href="/identity">身份核验</a>：{doubts} 张照片待核对'
                 '（身份不确定、不是本人或疑似与其他学生互换）</p>')
    else:
        body += '<p><a href="/identity">身份核验</a>：没有待核对的照片（身份不确定、不是本人、疑似互换）</p>'
    for station_id, when in sorted(state.audit_refused.items()):
        body += (f'<p class="bad">工作站 {escape(station_id)} 的审计日志接不上服务器保存的副本（最近一次 {_at(when)}）：'
                 "这个编号可能用在了两台电脑上（每台电脑要有自己的编号：用 add-station 添加一个新编号，在第二台电脑上"
                 "运行它打印的命令），或那台电脑上的日志被改写过。</p>")
    if state.off_roster:  # which numbers, from which station: a typo on the roster, or a student it lacks
        by_number: dict[str, set[str]] = {}
        for upload in state.off_roster:
            by_number.setdefault(upload.student_no, set()).add(upload.station_id)
        named = [f"{escape(no)}（{escape('、'.join(sorted(ids)))}）" for no, ids in sorted(by_number.items())]
        more = f" 等 {len(named)} 个学号" if len(named) > NAMED_AT_MOST else ""
        body += (f'<p class="bad">名单外的学号有 {len(state.off_roster)} 张照片（请导入完整名单）：'
                 f'{"、".join(named[:NAMED_AT_MOST])}{more}。</p>')
    if state.refused_rows:  # on no list of the server's: they cannot be photographed until the row is corrected
        named = [f"{escape(' '.join(filter(None, (no, name))))}（{escape(file)} {escape(place)}：{escape(reason)}）"
                 for no, name, file, place, reason in state.refused_rows]
        more = f" 等 {len(named)} 行" if len(named) > NAMED_AT_MOST else ""
        body += (f'<p class="bad">导入名单时被拒绝的行有 {len(named)} 行，这些学生不在名单中、无法拍摄，改正后重新导入名单：'
                 f'{"；".join(named[:NAMED_AT_MOST])}{more}。</p>')
    body += (f'<p><a href="/missing">未拍摄名单</a>。导出：{_downloads("")}</p>'
             + "<h2>工作站上传队列</h2>"
             + (_table(["工作站", "名称", _timed("最近联系"), "等待上传", "上传中", "失败", _timed("最近成功")], station_rows)
                if station_rows else NO_STATIONS)
             + ("<h2>各班采集情况</h2>" + _table(["班级", "应拍人数", "已拍摄", "未拍摄", "重拍"], class_rows)
                if class_rows else "")
             + f'<p class="said">服务器目录：{escape(folder)}</p>')
    return _page("毕业生图像采集 — 汇总", body)


def not_found_page() -> str:
    return _page("找不到这个页面", "<p>链接可能有误，或这个班级已不在名单中（名单重新导入后班级名称可能变了）。</p>"
                 '<p><a href="/">返回汇总</a></p>')


def form_address_page(back: str) -> str:
    """A form's address opened as a page (typed, from the history, or Enter in the address bar of a refused form's
    page): it saves nothing, and says so, with the way back (`back`: the page the form is on)."""
    where = "身份核验" if back == "/identity" else "汇总"
    return _page("这个地址不能直接打开", "<p>这是提交表单（如“确认是本人”“撤销”）用的地址，直接打开它不会保存任何内容。"
                 f'请回到页面上重新操作。</p><p><a href="{escape(back)}">返回{where}</a></p>')


def sign_in_page() -> str:
    """What a browser shows when the sign-in box was cancelled or refused."""
    return _page("需要登录", "<p>请用教务处的用户名 <code>registrar</code> 和密码登录（刷新本页，浏览器会再次询问）。</p>"
                 "<p>忘记密码：在服务器上运行 <code>photo-station-server new-password</code> 设置新密码。</p>")


def missing_page(state: SchoolState) -> str:
    """Everyone not yet photographed, class by class: the list the registrar calls students back with."""
    rows = [[escape(c), escape(no), escape(name)] for c, no, name, _ in missing_rows(state, None)]
    body = (f"<p>共 {len(rows)} 人未拍摄。导出：{_downloads('')}</p>"
            + _table(["班级", "学号", "姓名"], rows) + '<p><a href="/">返回汇总</a></p>')
    return _page("未拍摄名单", body)


HELD_BACK = '<a class="bad" href="/identity">身份待核对，暂不导出</a>'


CHECKED = "可导出（已人工核对）"  # a photo in doubt the registrar confirmed on 身份核验: not one nobody doubted


def _exported(uid: str, held_back: Collection[str], confirmed: Collection[str]) -> str:
    return HELD_BACK if uid in held_back else CHECKED if uid in confirmed else "可导出"


def class_page(state: ClassState, held_back: Collection[str], confirmed: Collection[str] = ()) -> str:
    """`held_back`: the uids of registered photos 身份核验 lists unconfirmed (export-chsi leaves them out): a class
    whose every student is 已拍摄 is not yet a class whose every photo goes to CHSI. `confirmed`: the uids confirmed
    there (确认是本人), said so: a bare 可导出 read the same as a photo never in doubt (s32 registrar review)."""
    captured = [[escape(s["student_no"]), escape(s["name"]), escape(_when(v[-1])), escape(v[-1].station_id),
                 str(len(v)), _exported(v[-1].uid, held_back, confirmed)] for s, v in state.captured]
    missing = [[escape(s["student_no"]), escape(s["name"])] for s in state.missing]
    retakes = [[escape(s["student_no"]), escape(s["name"]),
                "<br>".join(escape(f"{_when(u)} {u.station_id} {u.operator} {u.reason}") for u in v)]
               for s, v in state.retakes]
    overrides = [[escape(s["student_no"]), escape(s["name"]),
                  "<br>".join(escape(f"{_when(u)} {u.station_id} {u.operator} {u.override_reason}")
                              for u in v if u.override_reason)]
                 for s, v in state.captured if any(u.override_reason for u in v)]
    link = quote(state.name, safe="")
    body = (f"<h2>已拍摄（{len(captured)}）</h2>"
            + _table(["学号", "姓名", _timed("拍摄时间"), "工作站", "版本数", "学信网照片"], captured)
            + f"<h2>未拍摄名单（{len(missing)}）</h2>" + _table(["学号", "姓名"], missing)
            + f"<p>导出：{_downloads(f'?class_name={link}')}</p>"
            + f"<h2>重拍（{len(retakes)}）</h2>" + _table(["学号", "姓名", f"历次拍摄（{BEIJING_TIME.zh} 工作站 操作员 原因）"], retakes)
            + f"<h2>人工放行（{len(overrides)}）</h2><p>检查未通过、摄影师确认后保存的照片：请抽查。</p>"
            + _table(["学号", "姓名", f"{BEIJING_TIME.zh} 工作站 操作员 放行原因"], overrides)
            + '<p><a href="/">返回汇总</a></p>')
    # 软件2101 班采集情况, but 软件1班 采集情况: schools write the 班 into the name as often as not
    return _page(f"{state.name} {'' if state.name.endswith('班') else '班'}采集情况", body)
