"""The compliance policy: which rules are enforced, their two thresholds (look, block) and limits, from a TOML file."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from station.compliance.results import CHECK_IDS, FAIL, LOOK, PASS
from station.errors import StationError
from station.i18n import Text

DEFAULT_POLICY = Path(__file__).resolve().parent / "policy.toml"
BAD_POLICY = Text("检查规则文件有误：{path}：{problem}", "the compliance policy file is invalid: {path}: {problem}")


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
        """The default policy, or `path`; a broken or incomplete file raises StationError."""
        path = Path(path) if path else DEFAULT_POLICY
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise StationError(BAD_POLICY.format(path=path, problem=exc)) from exc
        unknown = sorted(set(doc) - set(CHECK_IDS))
        missing = [check for check in CHECK_IDS if check not in doc]
        if unknown or missing:
            problem = f"unknown checks {unknown}" if unknown else f"missing checks {missing}"
            raise StationError(BAD_POLICY.format(path=path, problem=problem))
        policy = cls({check: _check_policy(path, check, doc[check]) for check in CHECK_IDS}, path)
        if path.resolve() != DEFAULT_POLICY:
            defaults = cls.load()
            for check in CHECK_IDS:
                absent = sorted(set(defaults[check].params) - set(policy[check].params))
                if absent:
                    raise StationError(BAD_POLICY.format(path=path, problem=f"[{check}] missing {absent}"))
        return policy

    def __getitem__(self, check: str) -> CheckPolicy:
        return self.checks[check]


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
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise bad(f"{name} must be a number from 0 to 1")
    if look > block:
        raise bad("look must not be above block")
    params = {k: v for k, v in table.items() if k not in ("enforced", "block", "look")}
    for name, value in params.items():  # TOML allows inf and nan: a limit of inf checks nothing, nan fails everyone
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise bad(f"{name} must be a finite number")
        if value < 0:  # every limit is a size, an angle, a share or a colour distance: below 0 fails every face
            raise bad(f"{name} must not be negative")
    return CheckPolicy(enforced, float(block), float(look), {k: float(v) for k, v in params.items()})
