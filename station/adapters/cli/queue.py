"""`photo-station queue [--json]`: the upload queue at a glance; --retry, --send and --reconcile act on it.

Exit 1 while uploads that gave up remain (a script can see that someone must look), else 0.
"""

from __future__ import annotations

import argparse
import sys

from station.adapters.cli.output import print_json
from station.adapters.cli.passphrase import cli_station_key
from station.context import Station
from station.i18n import Text
from station.localtime import local_time
from station.storage import outbox
from station.storage.outbox import QueueHealth
from station.upload.uploader import Uploader

SUMMARY = Text("上传队列：待上传 {waiting} · 上传中 {sending} · 已上传 {done} · 失败 {failed}",
               "Upload queue: waiting {waiting} · sending {sending} · uploaded {done} · failed {failed}")
LAST_SUCCESS = Text("上次成功上传：{when}", "Last successful upload: {when}")
NEVER = Text("还没有", "none yet")
SERVER = {True: Text("服务器：可以连接（上次联系 {when}）", "Server: reachable (last contact {when})"), False: Text("服务器：无法连接（照片已安全保存在本机）",
                                                                   "Server: not reachable (the photos are safe here)"),
          None: Text("服务器：尚未联系", "Server: not contacted yet")}
LAST_ERROR = Text("最近的问题：{error}", "Last problem: {error}")
FAILED_HEADING = Text("上传失败、不会自动重试的照片（photo-station queue --retry 重新排队）：",
                      "Uploads that gave up and will not retry by themselves (photo-station queue --retry queues "
                      "them again):")
FAILED_ROW = Text("  {class_name} {student_no} {name} 第 {version} 版 · 尝试 {attempts} 次 · {reason}",
                  "  {class_name} {student_no} {name} version {version} · {attempts:attempt|attempts} · {reason}")
NOTHING_TO_SEND = Text("没有等待上传的照片。", "No photos are waiting to be uploaded.")
RETRIED = Text("已重新排队 {count} 张上传失败的照片。", "{count:failed upload|failed uploads} queued again.")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("queue", parents=[common], help="show the upload queue; retry failed uploads; send now")
    p.add_argument("--retry", action="store_true",
                   help="把所有上传失败的照片放回队列 / put every failed upload back in the queue")
    p.add_argument("--send", action="store_true",
                   help="立即上传到时该传的照片，然后显示队列 / upload what is due now, then show the queue")
    p.add_argument("--reconcile", action="store_true",
                   help="询问服务器已有哪些照片，把它缺少的重新排入队列 / ask the server what it holds and re-queue "
                        "what it lacks")
    p.add_argument("--json", action="store_true", help="以一个 JSON 对象输出队列 / print the queue as one JSON object")
    p.set_defaults(func=_queue)


def _queue(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    retried = outbox.retry_failed(station.db) if args.retry else None
    before = outbox.queue_health(station.db)
    send = args.send and bool(before.waiting + before.sending)  # nothing to send: no passphrase to ask for
    if send or args.reconcile:
        uploader = Uploader(station.home, cli_station_key(station))
        if args.reconcile:
            uploader.reconcile()
        if send:
            uploader.drain()
            if not args.reconcile:  # it also sends the server this station's queue and the audit log: a station
                uploader.reconcile()  # that only ever sent from here showed "—" in the registrar's overview
        if uploader.audit_problem is not None:
            print(uploader.audit_problem.get(station.lang), file=sys.stderr)
    health = outbox.queue_health(station.db)
    if args.json:
        print_json(_as_json(health, station.lang))
    else:
        if retried is not None:
            print(RETRIED.format(count=retried).get(station.lang))
        if args.send and not send:
            print(NOTHING_TO_SEND.get(station.lang))
        print(_as_text(health, station.lang))
    return 1 if health.failed else 0


def _as_json(health: QueueHealth, lang: str) -> dict[str, object]:
    return {**health.to_json(), "last_error": health.last_error.get(lang) if health.last_error else "",
            "failed_jobs": [{"job": f.job_id, "student_no": f.student_no, "version": f.version,
                             "attempts": f.attempts, "reason": f.reason.get(lang)} for f in health.failed]}


def _server_line(health: QueueHealth, lang: str) -> str:
    """Reachability as of the last contact, with its time: the state is only as fresh as that contact."""
    when = local_time(health.last_contact_at) if health.last_contact_at else NEVER.get(lang)
    return SERVER[health.server_reachable].format(when=when).get(lang)


def _as_text(health: QueueHealth, lang: str) -> str:
    last = local_time(health.last_success_at) if health.last_success_at else NEVER.get(lang)
    lines = [SUMMARY.format(waiting=health.waiting, sending=health.sending, done=health.done,
                            failed=len(health.failed)).get(lang),
             LAST_SUCCESS.format(when=last).get(lang), _server_line(health, lang)]
    if health.last_error and (health.waiting or health.server_reachable is False):
        lines.append(LAST_ERROR.format(error=health.last_error.get(lang)).get(lang))
    if health.failed:
        lines.append(FAILED_HEADING.get(lang))
        lines += [FAILED_ROW.format(class_name=f.class_name, student_no=f.student_no, name=f.name, version=f.version,
                                    attempts=f.attempts, reason=f.reason.get(lang)).get(lang) for f in health.failed]
    return "\n".join(lines)
