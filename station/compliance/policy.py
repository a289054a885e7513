"""The compliance policy: which rules are enforced, their two thresholds (look, block) and limits, from a TOML file."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from station.compliance.results import CHECK_IDS, FAIL, LOOK, PASS
from station.errors import StationError, os_reason
from station.i18n import Text
from station.paths import is_file

DEFAULT_POLICY = Path(__file__).resolve().parent / "policy.toml"
STATION_POLICY = "policy.toml"  # a school's own rules, in the station's data folder, over the shipped ones
BAD_POLICY = Text("检查规则文件有误：{path}：{problem}", "the compliance policy file is invalid: {path}: {problem}")
UNREADABLE_POLICY = Text("无法读取检查规则文件 {path}：{reason}", "cannot read the compliance policy file {path}: {reason}")


@dataclass(frozen=True)
class CheckPolicy:
    """From `look` on, the photographer is asked to look; from `block` on, the shutter needs a reason."""

    enforced: bool = True
    block: float = 0.5
    look: float = 0.5
    params: dict[str, float] = field(default_factory=dict)

    def __getitem__(self, name: str) -> float:
        return self.params[name]

    def level(self, score: float) -> str:
        """PASS, LOOK or FAIL for a score; a rule not enforced always passes, and `block = 1.0` never blocks (a
        look-only rule: a model's probability can round to exactly 1)."""
        if not self.enforced or score < self.look:
            return PASS
        return FAIL if score >= self.block and self.block < 1.0 else LOOK


@dataclass(frozen=True)
class Policy:
    checks: dict[str, CheckPolicy]
    path: Path

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Policy":
        """The shipped policy, or a school's file over it: the school's file gives only what it changes (`[glasses]
        enforced = false`), every check and key it leaves out keeps the shipped value. So a file written before a
        new check or a retrained model's thresholds keeps working and never carries stale thresholds it did not
        mean to set. A broken file, an unknown check or an unknown key (a typo would change nothing) raises
        StationError."""
        shipped = _read(DEFAULT_POLICY)
        missing = [check for check in CHECK_IDS if check not in shipped]
        if missing:
            raise StationError(BAD_POLICY.format(path=DEFAULT_POLICY, problem=f"missing checks {missing}"))
        path = Path(path) if path else DEFAULT_POLICY
        school = _read(path) if path.resolve() != DEFAULT_POLICY else {}
        unknown = sorted(set(school) - set(CHECK_IDS))
        if unknown:
            raise StationError(BAD_POLICY.format(path=path, problem=f"unknown checks {unknown}"))
        checks = {}
        for check in CHECK_IDS:
            given = school.get(check, {})
            if not isinstance(given, dict):
                raise StationError(BAD_POLICY.format(path=path, problem=f"[{check}] must be a table"))
            typos = sorted(set(given) - set(shipped[check]) - {"enforced", "block", "look", "threshold"})
            if typos:
                raise StationError(BAD_POLICY.format(path=path, problem=f"[{check}] unknown keys {typos}"))
            table = {**shipped[check], **given}
            if "block" in given and "look" not in given and "look" in table and _number(given["block"]):
                table["look"] = min(table["look"], given["block"])  # a stricter block keeps the question band below it
            checks[check] = _check_policy(path, check, table)
        return cls(checks, path)

    @classmethod
    def for_station(cls, home: Path) -> "Policy":
        """The rules a station's window, `check` and `capture` apply: the school's file in the station's data folder
        (`policy.toml`, only what the school changes) over the shipped policy, or the shipped policy alone."""
        school = home / STATION_POLICY
        return cls.load(school if is_file(school) else None)

    def __getitem__(self, check: str) -> CheckPolicy:
        return self.checks[check]


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _read(path: Path) -> dict[str, object]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:  # missing or a folder is not "invalid", and the OS's English words are for the log
        raise StationError(UNREADABLE_POLICY.format(path=path, reason=os_reason(exc))) from exc
    try:
        return tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StationError(BAD_POLICY.format(path=path, problem=exc)) from exc


def _check_policy(path: Path, check: str, table: object) -> CheckPolicy:
    def bad(problem: str) -> StationError:
        return StationError(BAD_POLICY.format(path=path, problem=f"[{check}] {problem}"))

    if not isinstance(table, dict):
        raise bad("must be a table")
    if "threshold" in table:  # a policy file written before the question band
        raise bad("'threshold' is now 'block' (and 'look' below it asks the photographer to look)")
    enforced = table.get("enforced", True)
    block = table.get("block", 0.5)
    look = table.get("look", block)
    if not isinstance(enforced, bool):
        raise bad("enforced must be true or false")
    for name, value in (("block", block), ("look", look)):
        if not _number(value) or not 0 <= value <= 1:
            raise bad(f"{name} must be a number from 0 to 1")
    if look > block:
        raise bad("look must not be above block")
    params = {k: v for k, v in table.items() if k not in ("enforced", "block", "look")}
    for name, value in params.items():  # TOML allows inf and nan: a limit of inf checks nothing, nan fails everyone
        if not _number(value) or not math.isfinite(value):
            raise bad(f"{name} must be a finite number")
        if value < 0:  # every limit is a size, an angle, a share or a colour distance: below 0 fails every face
            raise bad(f"{name} must not be negative")
    return CheckPolicy(enforced, float(block), float(look), {k: float(v) for k, v in params.items()})
