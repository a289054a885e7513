"""`photo-station profiles [--select NAME] [--json]`: the output profiles (which photo file the station makes),
the selected one marked; `--select` chooses another for this station (station.chsi.profiles)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from station.adapters.cli.output import print_json
from station.chsi.profiles import OutputProfile, load_profiles, select_profile
from station.context import Station
from station.i18n import Text

LINE = Text("{mark} {name}：{label}（{width}×{height}，{low}–{high} 字节，{dpi} dpi）{source}",
            "{mark} {name}: {label} ({width}x{height}, {low}-{high} bytes, {dpi} dpi){source}")
SELECTED = Text("已选用输出规格 {name}：{label}", "Output profile {name} selected: {label}")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("profiles", parents=[common],
                              help="list the output profiles (photo size, file size, head geometry); --select one")
    p.add_argument("--select", metavar="NAME", default=None,
                   help="把 NAME 设为本工作站的输出规格 / make NAME this station's output profile")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象 / print one JSON object")
    p.set_defaults(func=_profiles)


def _profiles(args: argparse.Namespace) -> int:
    station = Station.from_args(args)
    if args.select is not None:
        chosen = select_profile(station.home, args.select)
        if not args.json:
            print(SELECTED.format(name=chosen.name, label=chosen.label).get(args.lang))
    profiles = load_profiles(station.home)
    if args.json:
        print_json({"selected": profiles.selected,
                    "profiles": [_record(p, args.lang) for p in profiles.by_name.values()]})
    elif args.select is None:
        for profile in profiles.by_name.values():
            s = profile.spec
            mark = "*" if profile.name == profiles.selected else " "
            print(LINE.format(mark=mark, name=profile.name, label=profile.label, width=s.width, height=s.height,
                              low=s.min_bytes, high=s.max_bytes, dpi=s.dpi, source=f"  [{profile.source}]")
                  .get(args.lang))
    return 0


def _record(profile: OutputProfile, lang: str | None) -> dict[str, object]:
    spec = asdict(profile.spec)
    for key, value in spec.items():
        if isinstance(value, dict):  # a Range
            spec[key] = [value["low"], value["high"]]
    return {"name": profile.name, "label": profile.label.get(lang), "file": str(profile.source), **spec}
