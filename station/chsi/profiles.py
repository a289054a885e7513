"""Output profiles: which photo file the station makes, chosen by name in the settings, not in code.

The shipped profiles (station/chsi/profiles.toml) hold the CHSI one, `chsi`, the default. A school whose notice
asks for something else ("16K以下、640*480") writes profiles.toml in the station's data folder: its own
[profiles.NAME] tables (a key left out takes the CHSI value) and `selected = "NAME"`. `photo-station profiles`
lists them; `--select NAME` sets `selected`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from station.chsi.spec import SHIPPED_PROFILES, SPEC, ChsiSpec, spec_of
from station.errors import StationError, os_reason
from station.i18n import Text
from station.storage.atomic import write_atomic

STATION_PROFILES = "profiles.toml"  # in the data folder
BAD_FILE = Text("输出规格文件有误：{path}：{problem}", "the output profile file is invalid: {path}: {problem}")
NOT_SAVED = Text("输出规格没有改：{path} 不能写入（{reason}）。照片仍按原来的规格制作。",
                 "The output profile was not changed: {path} cannot be written ({reason}). Photos are still made by the "
                 "profile before.")
UNKNOWN = Text("没有名为“{name}”的输出规格；可用：{names}", "there is no output profile named \"{name}\"; there are: {names}")
SELECTED_LINE = re.compile(r"^selected\s*=.*$", re.MULTILINE)


@dataclass(frozen=True)
class OutputProfile:
    name: str
    label: Text
    spec: ChsiSpec
    source: Path  # the file it came from


@dataclass(frozen=True)
class Profiles:
    by_name: dict[str, OutputProfile]
    selected: str

    @property
    def current(self) -> OutputProfile:
        return self.by_name[self.selected]


def load_profiles(home: Path | None) -> Profiles:
    """The shipped profiles with the data folder's (a school's profile of the same name replaces the shipped
    one); the selected name must be one of them. A broken file raises StationError naming it."""
    by_name, selected = _read(SHIPPED_PROFILES, {})
    own = home / STATION_PROFILES if home is not None else None
    if own is not None and own.is_file():
        mine, chosen = _read(own, by_name)
        by_name, selected = {**by_name, **mine}, chosen or selected
    if selected not in by_name:
        raise StationError(BAD_FILE.format(path=own or SHIPPED_PROFILES,
                                           problem=UNKNOWN.format(name=selected, names="、".join(by_name))))
    return Profiles(by_name, selected)


def selected_spec(home: Path | None) -> ChsiSpec:
    """The spec the station's photos are made by."""
    return load_profiles(home).current.spec


def select_profile(home: Path, name: str) -> OutputProfile:
    """Make `name` the station's profile (written to the data folder's file, its comments kept)."""
    profiles = load_profiles(home)
    if name not in profiles.by_name:
        raise StationError(UNKNOWN.format(name=name, names="、".join(profiles.by_name)))
    path = home / STATION_PROFILES
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    line = f'selected = "{name}"'
    text = SELECTED_LINE.sub(line, text, count=1) if SELECTED_LINE.search(text) else f"{line}\n{text}"
    try:
        write_atomic(path, text.encode("utf-8"))  # a full disk is said by write_atomic itself
    except OSError as exc:  # a write-protected stick, a folder this user may not write to
        raise StationError(NOT_SAVED.format(path=path, reason=os_reason(exc))) from exc
    return profiles.by_name[name]


def _read(path: Path, base: dict[str, OutputProfile]) -> tuple[dict[str, OutputProfile], str | None]:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        selected = doc.get("selected")
        if selected is not None and not isinstance(selected, str):
            raise ValueError("selected must be a profile's name")
        tables = doc.get("profiles", {})
        profiles = {}
        for name, table in tables.items():
            if not isinstance(table, dict):
                raise ValueError(f"[profiles.{name}] must be a table")
            try:
                start = base[name].spec if name in base else SPEC if path != SHIPPED_PROFILES else None
                spec = spec_of(table, start)
            except ValueError as exc:
                raise ValueError(f"[profiles.{name}] {exc}") from exc
            zh = str(table.get("label_zh", name))
            profiles[name] = OutputProfile(name, Text(zh, str(table.get("label_en", zh))), spec, path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise StationError(BAD_FILE.format(path=path, problem=exc)) from exc
    return profiles, selected
