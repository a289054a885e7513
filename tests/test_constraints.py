"""constraints.txt pins what a fresh install gets (scripts/setup.sh installs with `-c constraints.txt`): the versions the
suite last passed with, so a dependency's new release cannot break a new user's first run. A dependency added to
pyproject.toml without a pin, or a pin outside pyproject.toml's range, would install something never tested."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def pins() -> dict[str, Version]:
    pinned: dict[str, Version] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line}"
            pinned[canonicalize_name(name)] = Version(version)
    return pinned


def requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    named = project["dependencies"] + [entry for extra in project["optional-dependencies"].values() for entry in extra]
    return [Requirement(entry) for entry in named]


def test_every_dependency_is_pinned_within_its_range() -> None:
    pinned = pins()
    for requirement in requirements():
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is in pyproject.toml but not pinned in constraints.txt"
        assert requirement.specifier.contains(pinned[name], prereleases=True), \
            f"constraints.txt pins {requirement.name} {pinned[name]}, outside pyproject.toml's {requirement.specifier}"
        for extra in requirement.extras:  # psycopg[binary,pool] installs psycopg-binary and psycopg-pool
            assert canonicalize_name(f"{requirement.name}-{extra}") in pinned, \
                f"{requirement.name}[{extra}] is not pinned"


def test_this_environment_is_the_pinned_one() -> None:
    """The suite runs on the versions constraints.txt names, as a fresh install has them (a local version label such
    as torch's +cpu aside)."""
    pinned = pins()
    differ = []
    for distribution in metadata.distributions():
        name = canonicalize_name(distribution.metadata["Name"])
        if name in pinned and Version(distribution.version).public != str(pinned[name]):
            differ.append(f"{name} {distribution.version} (pinned {pinned[name]})")
    assert not differ, "installed versions differ from constraints.txt: " + ", ".join(differ)
