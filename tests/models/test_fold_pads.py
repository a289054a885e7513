"""Zero padding folded into the convolution after it: the same outputs, bit for bit, without the Pad."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from training.fold_pads import fold_file
from models import region_model_files


def _keras_padded_net(path: Path, mode: str = "constant") -> None:
    """Like torch's export of the pretrained trunk: a Pad whose pads come from constant nodes (bottom and right
    by one, as Keras pads before a stride-2 convolution) and whose constant_value is an empty input."""
    rng = np.random.default_rng(0)
    weights = [numpy_helper.from_array(rng.standard_normal((8, 3, 3, 3)).astype(np.float32), "w1"),
               numpy_helper.from_array(rng.standard_normal((8, 1, 3, 3)).astype(np.float32), "w2")]
    nodes = [
        helper.make_node("Constant", [], ["torch_order"], value=numpy_helper.from_array(np.array([0, 1, 0, 1, 0, 0, 0, 0]))),
        helper.make_node("Constant", [], ["shape"], value=numpy_helper.from_array(np.array([-1, 2]))),
        helper.make_node("Reshape", ["torch_order", "shape"], ["pairs"]),
        helper.make_node("Transpose", ["pairs"], ["by_side"], perm=[1, 0]),
        helper.make_node("Constant", [], ["flat"], value=numpy_helper.from_array(np.array([-1]))),
        helper.make_node("Reshape", ["by_side", "flat"], ["reversed"]),
        helper.make_node("Constant", [], ["order"], value=numpy_helper.from_array(np.array([3, 2, 1, 0, 7, 6, 5, 4]))),
        helper.make_node("Gather", ["reversed", "order"], ["pads"]),
        helper.make_node("Pad", ["crop", "pads", ""], ["padded"], mode=mode),
        helper.make_node("Conv", ["padded", "w1"], ["a"], strides=[2, 2], pads=[0, 0, 0, 0]),
        helper.make_node("Conv", ["a", "w2"], ["probs"], group=8, pads=[1, 1, 1, 1]),
    ]
    graph = helper.make_graph(
        nodes, "padded", [helper.make_tensor_value_info("crop", TensorProto.FLOAT, ["n", 3, 16, 32])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, None)], weights)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def _run(path: Path, x: np.ndarray) -> np.ndarray:
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"crop": x})[0]


def test_a_zero_pad_before_a_convolution_becomes_the_convolutions_own_padding(tmp_path: Path) -> None:
    path = tmp_path / "net.onnx"
    _keras_padded_net(path)
    x = np.random.default_rng(1).random((2, 3, 16, 32), np.float32)
    before = _run(path, x)
    assert fold_file(path) == 1
    model = onnx.load(str(path))
    assert [n.op_type for n in model.graph.node] == ["Conv", "Conv"]  # the pads' constant chain went too
    first = model.graph.node[0]
    assert next(a.ints for a in first.attribute if a.name == "pads") == [0, 0, 1, 1]  # top, left, bottom, right
    assert np.array_equal(_run(path, x), before)
    assert fold_file(path) == 0  # nothing left to fold


def test_a_pad_that_is_not_zeros_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "net.onnx"
    _keras_padded_net(path, mode="reflect")
    written = path.read_bytes()
    assert fold_file(path) == 0
    assert path.read_bytes() == written


@pytest.mark.parametrize("path", region_model_files(), ids=lambda p: p.stem)
def test_no_shipped_model_pads_before_a_convolution(path: Path) -> None:
    """export_onnx folds them; a Pad kept costs the pretrained trunk a third of its time."""
    model = onnx.load(str(path))
    readers = {name: node.op_type for node in model.graph.node for name in node.input}
    kept = [n.name for n in model.graph.node if n.op_type == "Pad" and readers.get(n.output[0]) == "Conv"]
    assert not kept, f"{path.name}: run python -m training.fold_pads (exported before export_onnx folded)"
