"""The layering rules of the design, enforced: station/ never imports Qt or ui/, the stages never import the
adapters, the window never reaches storage, and the layers import one way."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "5 kept" in result.stdout


def test_every_part_of_the_domain_is_held_to_the_no_adapters_contract() -> None:
    """A new stage or module in station/ is named in the contract, or it could import the adapters unseen."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if "never import the adapters" in c["name"])
    parts = {f"station.{p.stem}" for p in (ROOT / "station").iterdir()
             if (p.suffix == ".py" or (p / "__init__.py").is_file()) and p.stem not in ("__init__", "adapters")}
    assert parts == set(contract["source_modules"])
