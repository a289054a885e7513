"""Models that read one crop, joined into one graph: each model's outputs exactly as its own run gives them, the
layers they share computed once, and models that cannot be joined safely left apart."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from models import MODELS_DIR, model_path
from station.compliance.learned import joint_session
from station.compliance.onnx_merge import merge, output_name


def _net(path, head: float, opset: int = 17) -> None:
    """A tiny net on a 1x3x8x8 'crop': a shared convolution (same weights in every file), then its own scale."""
    conv = numpy_helper.from_array(np.arange(54, dtype=np.float32).reshape(2, 3, 3, 3) / 50, "conv_w")
    scale = numpy_helper.from_array(np.array(head, np.float32), "head")
    graph = helper.make_graph(
        [helper.make_node("Conv", ["crop", "conv_w"], ["features"], pads=[1, 1, 1, 1]),
         helper.make_node("Relu", ["features"], ["active"]),
         helper.make_node("Mul", ["active", "head"], ["probs"])],
        "net", [helper.make_tensor_value_info("crop", TensorProto.FLOAT, ["N", 3, 8, 8])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["N", 2, 8, 8])], [conv, scale])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)]), path)


def _run(model: bytes | str, crop: np.ndarray) -> dict[str, np.ndarray]:
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    return dict(zip((o.name for o in session.get_outputs()), session.run(None, {"crop": crop})))


def test_shared_layers_run_once_with_the_same_outputs(tmp_path) -> None:
    _net(tmp_path / "a.onnx", 1.0)
    _net(tmp_path / "b.onnx", 0.5)
    joined = merge([("a", tmp_path / "a.onnx"), ("b", tmp_path / "b.onnx")])
    assert joined is not None
    ops = [node.op_type for node in onnx.load_from_string(joined).graph.node]
    assert ops.count("Conv") == 1 and ops.count("Relu") == 1 and ops.count("Mul") == 2  # the trunk once, two heads
    crop = np.random.default_rng(0).random((2, 3, 8, 8), dtype=np.float32)
    outputs = _run(joined, crop)
    for name in "ab":
        assert np.array_equal(outputs[output_name(name, "probs")], _run(str(tmp_path / f"{name}.onnx"), crop)["probs"])


def test_another_opset_is_not_joined(tmp_path) -> None:
    _net(tmp_path / "a.onnx", 1.0)
    _net(tmp_path / "b.onnx", 0.5, opset=13)
    assert merge([("a", tmp_path / "a.onnx"), ("b", tmp_path / "b.onnx")]) is None


def test_shipped_face_models_share_the_makeup_trunk() -> None:
    """makeup carries a frozen copy of face_attributes' trunk: joined, its convolutions are not computed again."""
    names = ("face_attributes", "makeup")
    joined = merge([(name, model_path(name, MODELS_DIR)) for name in names])
    assert joined is not None
    convs = [sum(n.op_type == "Conv" for n in onnx.load(str(model_path(name, MODELS_DIR))).graph.node)
             for name in names]
    assert sum(n.op_type == "Conv" for n in onnx.load_from_string(joined).graph.node) < sum(convs)


def test_models_that_cannot_be_joined_run_one_by_one(tmp_path) -> None:
    """A join that fails costs speed, never the checks: the models keep their own sessions."""
    _net(tmp_path / "a.onnx", 1.0)
    (tmp_path / "b.onnx").write_bytes(b"not a model")
    assert joint_session((("a", tmp_path / "a.onnx"), ("b", tmp_path / "b.onnx"))) is None


def _pooling(path, indices: bool) -> None:
    """A max-pool that leaves out (b: makes) its optional second output, the indices."""
    outputs = [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["N", 3, 4, 4])]
    if indices:
        outputs.append(helper.make_tensor_value_info("indices", TensorProto.INT64, ["N", 3, 4, 4]))
    graph = helper.make_graph(
        [helper.make_node("MaxPool", ["crop"], ["pooled", "indices" if indices else ""], kernel_shape=[2, 2],
                          strides=[2, 2])],
        "pool", [helper.make_tensor_value_info("crop", TensorProto.FLOAT, ["N", 3, 8, 8])], outputs)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)


def test_a_node_without_an_optional_output_does_not_stand_in_for_one_with_it(tmp_path) -> None:
    """The same operator on the same input, the first leaving out an output the second reads: not one node (the
    second would read an empty name, a missing value)."""
    _pooling(tmp_path / "a.onnx", indices=False)
    _pooling(tmp_path / "b.onnx", indices=True)
    joined = merge([("a", tmp_path / "a.onnx"), ("b", tmp_path / "b.onnx")])
    assert joined is not None
    crop = np.random.default_rng(1).random((1, 3, 8, 8), dtype=np.float32)
    outputs, own = _run(joined, crop), _run(str(tmp_path / "b.onnx"), crop)
    assert np.array_equal(outputs[output_name("b", "indices")], own["indices"])
    assert np.array_equal(outputs[output_name("a", "pooled")], own["pooled"])
