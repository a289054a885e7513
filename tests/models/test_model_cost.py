"""Each model's multiply-adds, which the live preview uses to share the models out over frames."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from training.model_cost import onnx_macs
from models import model_path
from station.compliance.learned import REGIONS, LearnedChecks


def _small_net(path: Path) -> None:
    """3->8 channel 3x3 conv (padded), a 3x3 depthwise conv with stride 2, global pool, 8->2 Gemm."""
    rng = np.random.default_rng(0)
    weights = [
        numpy_helper.from_array(rng.random((8, 3, 3, 3), np.float32), "w1"),
        numpy_helper.from_array(rng.random((8, 1, 3, 3), np.float32), "w2"),
        numpy_helper.from_array(rng.random((2, 8), np.float32), "w3"),
    ]
    nodes = [
        helper.make_node("Conv", ["crop", "w1"], ["a"], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["a", "w2"], ["b"], group=8, strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("GlobalAveragePool", ["b"], ["c"]),
        helper.make_node("Flatten", ["c"], ["d"]),
        helper.make_node("Gemm", ["d", "w3"], ["probs"], transB=1),
    ]
    graph = helper.make_graph(
        nodes, "small", [helper.make_tensor_value_info("crop", TensorProto.FLOAT, ["n", 3, 16, 32])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["n", 2])], weights)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def test_multiply_adds_count_every_convolution_and_product(tmp_path: Path) -> None:
    _small_net(tmp_path / "small.onnx")
    full = 16 * 32 * 8 * (3 * 3 * 3)  # every output pixel and channel sees 3 input channels x 3x3
    depthwise = 8 * 16 * 8 * (1 * 3 * 3)  # half the size each way, one input channel per output channel
    assert onnx_macs(tmp_path / "small.onnx", (32, 16)) == full + depthwise + 2 * 8


def test_every_shipped_sidecar_records_its_models_multiply_adds() -> None:
    checks = LearnedChecks.load()
    for name, model in checks.models.items():
        recorded = json.loads(model_path(name).with_suffix(".json").read_text(encoding="utf-8"))["macs"]
        assert recorded == onnx_macs(model_path(name), model.info.size), name


def test_live_turns_are_packed_by_multiply_adds() -> None:
    """Counted in input pixels, a pretrained trunk (several times a small network's work per pixel) looked cheap
    beside the small networks, so the turns were packed unevenly and a live round took fifteen frames where
    eleven do. First-fit by decreasing cost needs at most 11/9 of the fewest turns possible, plus 6/9."""
    checks = LearnedChecks.load()
    costs = {}  # multiply-adds per face: every crop of its region, mirrored too where the region is symmetric
    for name, model in checks.models.items():
        region = REGIONS[model.info.region]
        costs[name] = model.info.macs * region.crops * (2 if region.symmetric else 1)
    budget = max(costs.values())
    groups = checks.live_groups()
    assert sorted(sum(groups, ())) == sorted(costs)
    assert all(sum(costs[n] for n in group) <= budget for group in groups)
    fewest = math.ceil(sum(costs.values()) / budget)
    assert len(groups) <= 11 / 9 * fewest + 6 / 9
