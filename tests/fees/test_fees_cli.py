"""`photo-station fees`: payments per student and per class, a refund, the settings, and the report read back
from the real .xlsx with openpyxl."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from station.context import Station
from station.localtime import clock_of
from tests.cli import SCRIPT
from tests.roster_kit import station_with_roster
from ui.launcher import main

ROSTER = "学号,姓名,班级\n2024001,张三,计科2401\n2024002,李四,计科2401\n2024003,王五,计科2401\n2024101,赵六,软工2401\n"


@pytest.fixture
def roster_home(home: Path, tmp_path: Path) -> Path:
    station_with_roster(home, tmp_path, ROSTER.encode("utf-8")).close()
    return home


def fees(home: Path, capsys, *args: str) -> tuple[int, dict]:
    code = main(["fees", *args, "--json", "--home", str(home)])
    return code, json.loads(capsys.readouterr().out)


def test_pay_refund_and_report(roster_home: Path, tmp_path: Path, capsys) -> None:
    home = roster_home
    code, paid = fees(home, capsys, "pay", "2024002", "--method", "wechat", "--operator", "收费员")
    assert code == 0 and paid["entries"][0]["amount_fen"] == 2000 and paid["entries"][0]["name"] == "李四"
    code, whole = fees(home, capsys, "pay", "--class", "计科2401", "--method", "cash", "--amount", "20")
    assert code == 0 and [e["student_no"] for e in whole["entries"]] == ["2024001", "2024003"]
    assert whole["already_paid"] == ["2024002"] and whole["total_fen"] == 4000
    code, free = fees(home, capsys, "pay", "2024101", "--method", "free", "--reason", "学校减免")
    assert code == 0 and free["entries"][0]["amount_fen"] == 0
    code, back = fees(home, capsys, "refund", "2024001", "--reason", "重复缴费")
    assert code == 0 and back["entries"][0]["amount_fen"] == -2000 and back["entries"][0]["method"] == "cash"
    code, again = fees(home, capsys, "pay", "2024001", "--method", "alipay", "--amount", "20.50")
    assert code == 0 and again["entries"][0]["amount_fen"] == 2050

    report = tmp_path / "收费.xlsx"
    assert main(["fees", "report", "--out", str(report), "--home", str(home)]) == 0
    assert "4 人，合计 60.50 元" in capsys.readouterr().out
    book = openpyxl.load_workbook(report)
    totals = list(book["汇总"].iter_rows(values_only=True))
    assert totals[0] == ("班级", "方式", "人数", "金额（元）")
    assert totals[1:] == [("计科2401", "现金", 1, 20.0), ("计科2401", "微信", 1, 20.0), ("计科2401", "支付宝", 1, 20.5),
                          ("计科2401", "合计", 3, 60.5), ("软工2401", "免费", 1, 0.0), ("软工2401", "合计", 1, 0.0),
                          ("合计", "合计", 4, 60.5)]
    rows = list(book["明细"].iter_rows(values_only=True))
    assert len(rows) == 1 + 6  # one row per ledger entry, the refund among them
    refund_row = next(r for r in rows if r[5] == "退费")
    assert refund_row[3:8] == ("2024001", "张三", "退费", "现金", -20.0) and refund_row[8] == "重复缴费"
    assert rows[1][9] == "收费员"
    assert rows[0][1] == f"时间（{clock_of(datetime.now().astimezone()).zh}）"  # the clock its times are read on

    one_class = tmp_path / "软工.xlsx"
    assert main(["fees", "report", "--class", "软工2401", "--day", "today", "--out", str(one_class),
                 "--home", str(home)]) == 0
    assert len(list(openpyxl.load_workbook(one_class)["明细"].iter_rows())) == 2


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="time zones are switched with tzset (POSIX)")
def test_the_report_s_times_say_beijing_time_on_a_laptop_in_china(roster_home: Path, tmp_path: Path, capsys,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """As the registrar's pages say theirs: read beside them, a laptop's fee report is not 8 hours off unsaid."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert fees(roster_home, capsys, "pay", "2024002", "--method", "cash")[0] == 0
        assert main(["fees", "report", "--out", str(tmp_path / "r.xlsx"), "--home", str(roster_home)]) == 0
        assert next(openpyxl.load_workbook(tmp_path / "r.xlsx")["明细"].iter_rows(values_only=True))[1] == "时间（北京时间）"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_bad_input_is_said_never_a_traceback(roster_home: Path, tmp_path: Path, capsys) -> None:
    home = roster_home
    for args in (["pay", "2024001", "--class", "计科2401", "--method", "cash"], ["pay", "--method", "cash"],
                 ["pay", "2024001", "--method", "cash", "--amount", "abc"], ["pay", "2024001", "--method", "free"],
                 ["pay", "9999", "--method", "cash"], ["refund", "2024001", "--reason", "无"],
                 ["settings", "--price", "-1"]):
        code, said = fees(home, capsys, *args)
        assert code == 2 and said["ok"] is False and said["error"] == "failed" and said["message"], args
    assert main(["fees", "report", "--day", "昨天", "--out", str(tmp_path / "r.xlsx"), "--home", str(home)]) == 2
    assert main(["fees", "report", "--out", str(tmp_path / "r.csv"), "--home", str(home)]) == 2
    assert "日期无效" in capsys.readouterr().err


def test_settings_through_the_console_script(roster_home: Path) -> None:
    run = subprocess.run([str(SCRIPT), "fees", "settings", "--price", "30", "--pay-before-shutter", "on", "--json",
                          "--home", str(roster_home)], capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr.decode()
    assert json.loads(run.stdout) == {"ok": True, "price_fen": 3000, "price_yuan": "30.00", "pay_before_shutter": True}
    station = Station.open(roster_home)
    from station.audit.trail import entries
    assert [e.action for e in entries(station.db)] == ["settings"]
    station.close()


def test_the_english_lines_say_the_reason_in_english_brackets(roster_home: Path, capsys) -> None:
    """`fees refund --lang en` said "cash -20.00 yuan（重复缴费）": the Chinese brackets around the reason."""
    assert main(["fees", "pay", "2024101", "--method", "free", "--reason", "waived", "--lang", "en",
                 "--home", str(roster_home)]) == 0
    assert main(["fees", "refund", "2024101", "--reason", "wrong method", "--lang", "en",
                 "--home", str(roster_home)]) == 0
    free, refunded = capsys.readouterr().out.splitlines()
    assert free.endswith("free 0.00 yuan (waived)") and refunded.endswith("yuan (wrong method)"), (free, refunded)
    assert main(["fees", "pay", "2024003", "--method", "free", "--reason", "学校减免", "--home", str(roster_home)]) == 0
    assert capsys.readouterr().out.strip().endswith("0.00 元（学校减免）")  # the Chinese as it was
