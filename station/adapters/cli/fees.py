"""`photo-station fees pay | refund | report | settings`: the capture day's fees from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from station.adapters.cli import path_argument
from station.adapters.cli.output import print_json
from station.audit.trail import Action, AuditTrail, default_operator
from station.context import Station
from station.errors import StationError
from station.fees.amounts import parse_yuan, yuan
from station.fees.ledger import LedgerEntry, Method, pay, pay_class, refund
from station.fees.report import write_fee_report
from station.fees.settings import change_settings, load_settings
from station.i18n import Text
from station.roster.store import get_student

WHO = Text("请给出一个学号或 --class 班级（只能二选一）", "Give one student number or --class CLASS (not both)")
BAD_DAY = Text("日期无效：{day}（应为 YYYY-MM-DD 或 today）", "Not a date: {day} (YYYY-MM-DD or today)")
RECORDED = Text("{kind}：{name}（{no}，{class_name}）{method} {amount} 元{reason}",
                "{kind}: {name} ({no}, {class_name}) {method} {amount} yuan{reason}")
REASON = Text("（{reason}）", " ({reason})")  # after the amount: a refund's or a free set's
KIND = {"payment": Text("已缴费", "Paid"), "refund": Text("已退费", "Refunded")}
SKIPPED = Text("已缴费，跳过：{nos}", "Paid already, skipped: {nos}")
CLASS_TOTAL = Text("{class_name} 班集体缴费：{n} 人，共 {amount} 元", "Class {class_name} paid together: {n:student|students}, "
                   "{amount} yuan in all")
REPORT = Text("已写出缴费报表 {path}：{n} 人，合计 {amount} 元（已扣除退费）",
              "Fee report written to {path}: {n:student|students}, {amount} yuan in all (refunds deducted)")
SETTINGS = Text("每套价格 {price} 元；拍照前须缴费：{before}", "Price per set: {price} yuan; payment before the shutter: {before}")
ON_OFF = {True: Text("是", "on"), False: Text("否", "off")}


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("fees", parents=[common], help="fees: record payments, refunds, the report, the price")
    actions = parser.add_subparsers(dest="fees_action", metavar="ACTION", required=True)
    paying = actions.add_parser("pay", parents=[common],
                                help="为一名学生或整个班级登记缴费 / record a payment for a student or a whole class")
    paying.add_argument("student_no", metavar="STUDENT_NO", nargs="?", help="缴费学生的学号 / the student who pays")
    paying.add_argument("--class", dest="class_name",
                        help="这个班级所有尚未缴费的学生，一次登记 / every student of this class not yet paid, at once")
    paying.add_argument("--method", required=True, choices=[m.value for m in Method],
                        help="付款方式：cash 现金，wechat 微信，alipay 支付宝，free 免费 / how it is paid: cash, "
                             "WeChat, Alipay or free")
    paying.add_argument("--amount",
                        help="每名学生的金额，单位元（默认：每套的价格；免费：0） / yuan per student (default: the "
                             "price per set; free: 0)")
    paying.add_argument("--reason", default="",
                        help="为什么免费（--method free 时必填） / why a set is free (required with --method free)")
    _operator_and_json(paying)
    paying.set_defaults(func=_pay)
    refunding = actions.add_parser("refund", parents=[common],
                                   help="退还一名学生的缴费（另记一笔） / take a student's payment back (a new entry)")
    refunding.add_argument("student_no", metavar="STUDENT_NO",
                           help="退款学生的学号 / the student whose payment is taken back")
    refunding.add_argument("--reason", required=True, help="退款原因 / why it is taken back")
    _operator_and_json(refunding)
    refunding.set_defaults(func=_refund)
    reporting = actions.add_parser("report", parents=[common],
                                   help="按班级和付款方式的合计，以及每一笔缴费 / totals per class and method, and every "
                                        "payment")
    reporting.add_argument("--day", help="YYYY-MM-DD 或 today（默认：所有日期） / YYYY-MM-DD or today (default: every day)")
    reporting.add_argument("--class", dest="class_name",
                           help="一个班级（默认：所有班级） / one class (default: every class)")
    reporting.add_argument("--out", required=True, type=path_argument, help="要写出的 FILE.xlsx / FILE.xlsx")
    reporting.add_argument("--operator", default=None,
                           help="报表的制作人（记入操作记录） / who writes the report (recorded in the audit trail)")
    reporting.set_defaults(func=_report)
    setting = actions.add_parser("settings", parents=[common],
                                 help="查看或修改价格和缴费规则 / show or change the price and the payment rule")
    setting.add_argument("--price", help="每套的价格，单位元 / yuan per set")
    setting.add_argument("--pay-before-shutter", choices=["on", "off"],
                         help="on：先缴费后拍摄（未缴费的学生不能拍照）；off：何时缴费都可以 / on: pay before the "
                              "shutter (a student not yet paid is not photographed); off: pay whenever")
    _operator_and_json(setting)
    setting.set_defaults(func=_settings)


def _operator_and_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--operator", default=None,
                        help="登记人（默认：本工作站上一位摄影师） / who records it (default: the station's last "
                             "photographer)")
    parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")


def _trail(station: Station, args: argparse.Namespace) -> AuditTrail:
    return AuditTrail(station, (args.operator or "").strip() or default_operator(station))


def _answer(args: argparse.Namespace, work) -> int:
    """Run `work`; with --json a refusal is also a JSON line, {"ok": false, "error", "message"} (the "error" every
    command's --json refusal has, docs/cli.md), and the message is said on stderr either way."""
    try:
        return work()
    except StationError as exc:
        if not getattr(args, "json", False):
            raise
        print_json({"ok": False, "error": exc.code, "message": exc.text.get(args.lang)})
        print(exc.text.get(args.lang), file=sys.stderr)
        return exc.exit_code


def _pay(args: argparse.Namespace) -> int:
    station = Station.from_args(args)

    def work() -> int:
        if bool(args.student_no) == bool(args.class_name):
            raise StationError(WHO)
        method = Method(args.method)
        amount = parse_yuan(args.amount) if args.amount is not None else None
        trail = _trail(station, args)
        if args.student_no:
            written, skipped = [pay(trail, args.student_no, method, amount, args.reason)], []
        else:
            done = pay_class(trail, args.class_name, method, amount, args.reason)
            written, skipped = done.entries, done.already_paid
        _print(station, args, written, skipped)
        return 0

    return _answer(args, work)


def _refund(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    return _answer(args, lambda: _print(station, args, [refund(_trail(station, args), args.student_no, args.reason)], []))


def _print(station: Station, args: argparse.Namespace, written: list[LedgerEntry], skipped: list[str]) -> int:
    names = {e.student_no: get_student(station.db, e.student_no).name for e in written}
    if args.json:
        print_json({"ok": True, "entries": [_entry_json(e, names[e.student_no]) for e in written],
                    "already_paid": skipped, "total_fen": sum(e.amount_fen for e in written)})
        return 0
    for e in written:
        reason = REASON.format(reason=e.reason) if e.reason else Text("", "")
        print(RECORDED.format(kind=KIND[e.kind], name=names[e.student_no], no=e.student_no, class_name=e.class_name,
                              method=e.method.label, amount=yuan(e.amount_fen), reason=reason).get(args.lang))
    if len(written) > 1:
        print(CLASS_TOTAL.format(class_name=written[0].class_name, n=len(written),
                                 amount=yuan(sum(e.amount_fen for e in written))).get(args.lang))
    if skipped:
        print(SKIPPED.format(nos=", ".join(skipped)).get(args.lang))
    return 0


def _entry_json(e: LedgerEntry, name: str) -> dict:
    return {"id": e.id, "at": e.at, "student_no": e.student_no, "name": name, "class": e.class_name, "kind": e.kind,
            "method": e.method.value, "amount_fen": e.amount_fen, "amount_yuan": yuan(e.amount_fen),
            "reason": e.reason, "operator": e.operator, "batch": e.batch, "refunds": e.refunds}


def _report(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    day = _day(args.day)
    sums = write_fee_report(station.db, args.out, day, args.class_name, args.lang)
    _trail(station, args).record(Action.EXPORT, what="fee_report", path=str(args.out), day=day or "",
                                 class_name=args.class_name or "")
    print(REPORT.format(path=args.out, n=sums[-1].students, amount=yuan(sums[-1].amount_fen)).get(args.lang))
    return 0


def _day(text: str | None) -> str | None:
    if text is None:
        return None
    if text.strip().lower() == "today":
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise StationError(BAD_DAY.format(day=text[:40])) from None


def _settings(args: argparse.Namespace) -> int:
    station = Station.from_args(args)

    def work() -> int:
        price = parse_yuan(args.price) if args.price is not None else None
        before = None if args.pay_before_shutter is None else args.pay_before_shutter == "on"
        settings = change_settings(_trail(station, args), price, before) if (price, before) != (None, None) \
            else load_settings(station.db)
        if args.json:
            print_json({"ok": True, **settings.as_json()})
        else:
            print(SETTINGS.format(price=yuan(settings.price_fen), before=ON_OFF[settings.pay_before_shutter])
                  .get(args.lang))
        return 0

    return _answer(args, work)
