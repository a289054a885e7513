"""The shipped ONNX models, one folder per family (numbered siblings are the same recipe with other seeds),
and `manifest.json`: which files ship and how each check blends their outputs. Packaged with the app as
package data; the code that trains them is in training/, apart from the runtime."""

from __future__ import annotations

import json
import re
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
MANIFEST = "manifest.json"


def family(name: str) -> str:
    """A model's family (its folder): its name without the seed number, e.g. face_attributes_3 -> face_attributes."""
    return re.sub(r"_\d+$", "", name)


def model_path(name: str, models_dir: Path = MODELS_DIR) -> Path:
    """Where model `name`'s ONNX file is, its sidecar JSON and card beside it."""
    return models_dir / family(name) / f"{name}.onnx"


def read_manifest(models_dir: Path = MODELS_DIR) -> dict:
    return json.loads((models_dir / MANIFEST).read_text(encoding="utf-8"))


def write_manifest(doc: dict, models_dir: Path = MODELS_DIR) -> None:
    """Writes the manifest with its list of shipped files made from the blend and the fixed (non-blend) files.
    The checks under "chosen_apart" (their look chosen by their own benchmark, not by training/evaluate.py) are
    always part of the blend, so a run of evaluate.py that rewrites "checks" keeps them."""
    doc = {**doc, "checks": {**doc["checks"], **doc.get("chosen_apart", {})}}
    shipped = sorted({key.split("/")[0] for weights in doc["checks"].values() for key in weights})
    files = {fam: sorted(n for n in shipped if family(n) == fam) for fam in sorted({family(n) for n in shipped})}
    doc = {**doc, "ships": {**files, **doc.get("fixed", {})}}
    (models_dir / MANIFEST).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def region_model_files(models_dir: Path = MODELS_DIR) -> list[Path]:
    """Every region model on disk (the fixed files excepted: face verification and the lens network, no sidecar)."""
    fixed = set(read_manifest(models_dir).get("fixed", {}))
    return sorted(p for p in models_dir.glob("*/*.onnx") if p.parent.name not in fixed)
