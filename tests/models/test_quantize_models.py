"""Int8 quantization of the region models (training/quantize_models.py): its body quantized, its head left float, the
result still joined by onnx_merge, and the rule's speed part as written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from station.compliance.onnx_merge import merge, output_name
from training.quantize_models import candidate, passes_speed, quantize


def _net(path: Path) -> None:
    """A small convolutional body (Conv, Relu, Conv, Relu) and a float head (ReduceMean, Gemm, Sigmoid)."""
    rng = np.random.default_rng(0)
    weights = [numpy_helper.from_array(rng.standard_normal((8, 3, 3, 3)).astype(np.float32) * 0.3, "w1"),
               numpy_helper.from_array(rng.standard_normal(8).astype(np.float32) * 0.1, "b1"),
               numpy_helper.from_array(rng.standard_normal((8, 8, 3, 3)).astype(np.float32) * 0.2, "w2"),
               numpy_helper.from_array(rng.standard_normal((8, 3)).astype(np.float32), "fc"),
               numpy_helper.from_array(np.zeros(3, np.float32), "fc_b")]
    nodes = [helper.make_node("Conv", ["crop", "w1", "b1"], ["a"], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["a"], ["ra"]),
             helper.make_node("Conv", ["ra", "w2"], ["b"], pads=[1, 1, 1, 1], strides=[2, 2]),
             helper.make_node("Relu", ["b"], ["rb"]),
             helper.make_node("ReduceMean", ["rb"], ["pooled"], axes=[2, 3], keepdims=0),
             helper.make_node("Gemm", ["pooled", "fc", "fc_b"], ["logits"]),
             helper.make_node("Sigmoid", ["logits"], ["probs"])]
    graph = helper.make_graph(nodes, "net", [helper.make_tensor_value_info("crop", TensorProto.FLOAT, ["n", 3, 16, 16])],
                              [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["n", 3])], weights)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def _run(model: Path | bytes, x: np.ndarray, output: str = "probs") -> np.ndarray:
    source = model if isinstance(model, bytes) else str(model)
    return ort.InferenceSession(source, providers=["CPUExecutionProvider"]).run([output], {"crop": x})[0]


@pytest.fixture(scope="module")
def quantized(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("quant")
    source, target = folder / "net.onnx", folder / "net_int8.onnx"
    _net(source)
    rng = np.random.default_rng(1)
    quantize(source, target, [rng.random((2, 3, 16, 16), np.float32) for _ in range(8)])
    return source, target


def test_the_body_is_int8_and_the_head_stays_float(quantized: tuple[Path, Path]) -> None:
    _, target = quantized
    graph = onnx.load(str(target)).graph
    ops = [n.op_type for n in graph.node]
    assert ops.count("QuantizeLinear") >= 2 and ops.count("DequantizeLinear") >= 4
    made_by = {o: n for n in graph.node for o in n.output}
    for op in ("Gemm", "Sigmoid", "ReduceMean"):
        node = next(n for n in graph.node if n.op_type == op)
        assert made_by[node.input[0]].op_type != "DequantizeLinear" or op == "ReduceMean"
        assert not any(c.op_type == "QuantizeLinear" for c in graph.node if node.output[0] in c.input)


def test_its_scores_are_close_to_the_float_models_and_not_rounded(quantized: tuple[Path, Path]) -> None:
    source, target = quantized
    x = np.random.default_rng(2).random((4, 3, 16, 16), np.float32)
    before, after = _run(source, x), _run(target, x)
    assert np.abs(after - before).max() < 0.05
    assert not np.array_equal(after, before)
    assert not np.allclose(after * 255, np.round(after * 255), atol=1e-4)  # a float Sigmoid, not 1/255 steps


def test_two_quantized_copies_still_join_and_share_their_layers(quantized: tuple[Path, Path]) -> None:
    _, target = quantized
    joined = merge([("a", target), ("b", target)])
    assert joined is not None
    x = np.random.default_rng(3).random((2, 3, 16, 16), np.float32)
    alone = _run(target, x)
    assert np.array_equal(_run(joined, x, output_name("a", "probs")), alone)
    assert np.array_equal(_run(joined, x, output_name("b", "probs")), alone)
    nodes = len(onnx.load(str(target)).graph.node)
    assert len(onnx.load_from_string(joined).graph.node) == nodes + 2  # one copy of each layer and two outputs


def test_the_speed_rule_is_the_median_fall_of_three_alternating_pairs_at_least() -> None:
    assert passes_speed([80.0, 82.0, 78.0], [71.0, 73.0, 75.0])  # falls 11.3, 11.0, 3.8 %: median 11.0
    assert not passes_speed([80.0, 82.0, 78.0], [73.0, 73.0, 75.0])  # median 8.8 %
    with pytest.raises(ValueError):
        passes_speed([80.0, 80.0], [60.0, 60.0])


def test_the_candidates_are_the_ones_named_in_the_rule() -> None:
    mnv2 = candidate("mnv2")
    assert {"brows_mnv2", "brows_mnv2_2", "earrings_mnv2_2", "hat_paste", "jaw_mnv2"} == set(mnv2)
    assert set(candidate("mnv2_face")) == {*mnv2, "makeup", *(f"face_attributes{s}" for s in ("", "_2", "_3", "_4",
                                                                                               "_5"))}
    assert {"ear_box", "eye_state", "brow_band_3", "earrings_2"} <= set(candidate("all"))
