"""Several ONNX models that read the same crop, joined into one graph where their common layers run once.

The face's models are ensembles: five face_attributes runs and the makeup head all read the 112 px face crop, and
the makeup head carries a frozen copy of face_attributes' trunk; the two brow MobileNetV2s were fine-tuned with the
first half of their ImageNet trunk frozen, so that half is the same in both. Run one by one, a still computes those
layers again for each model. Joined, a node whose operator, attributes and inputs (weights compared by value) equal
one already in the graph is dropped and its consumers read the first one's output: the shared layers run once, every
output is computed by the very same kernels on the very same values as before, and each model's outputs keep their
names as "<model>:<output>".

onnx is not a run-time dependency (nor in the frozen folder), so the files are read with protobuf, which the station
has for mediapipe, through the few fields of onnx.proto this needs (field numbers from onnx.proto3); every other field
is kept as protobuf keeps unknown fields. A model this cannot join safely (another opset or input, a control-flow
operator with a subgraph, sparse weights) is reported as None and the caller runs the models one by one.
"""

from __future__ import annotations

import hashlib
import pathlib
from collections.abc import Sequence
from functools import cache

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_PACKAGE = "station_onnx_subset"
# message -> (field name, number, type, repeated); TYPE_BYTES for a nested message kept whole (attributes, opsets)
_FIELDS = {
    "Model": (("ir_version", 1, "int64", False), ("opset_import", 8, "bytes", True), ("graph", 7, "Graph", False)),
    "Graph": (("node", 1, "Node", True), ("name", 2, "string", False), ("initializer", 5, "Tensor", True),
              ("input", 11, "ValueInfo", True), ("output", 12, "ValueInfo", True), ("value_info", 13, "bytes", True),
              ("sparse_initializer", 15, "bytes", True)),
    "Node": (("input", 1, "string", True), ("output", 2, "string", True), ("name", 3, "string", False),
             ("op_type", 4, "string", False), ("attribute", 5, "bytes", True), ("domain", 7, "string", False)),
    "Tensor": (("name", 8, "string", False),),
    "ValueInfo": (("name", 1, "string", False),),
}
_SCALARS = {"int64": descriptor_pb2.FieldDescriptorProto.TYPE_INT64,
            "bytes": descriptor_pb2.FieldDescriptorProto.TYPE_BYTES,
            "string": descriptor_pb2.FieldDescriptorProto.TYPE_STRING}
# Operators whose attributes hold subgraphs that may read outer names: their inputs cannot be renamed from outside.
_SUBGRAPH_OPS = {"If", "Loop", "Scan", "SequenceMap"}


@cache
def _messages() -> dict[str, type]:
    """The message classes of the onnx.proto subset above."""
    file = descriptor_pb2.FileDescriptorProto(name=f"{_PACKAGE}.proto", package=_PACKAGE, syntax="proto2")
    for message, fields in _FIELDS.items():
        proto = file.message_type.add(name=message)
        for name, number, kind, repeated in fields:
            field = proto.field.add(name=name, number=number)
            field.label = (descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED if repeated
                           else descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
            if kind in _SCALARS:
                field.type = _SCALARS[kind]
            else:
                field.type = descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE
                field.type_name = f".{_PACKAGE}.{kind}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
            for name in _FIELDS}


def output_name(model: str, output: str) -> str:
    """The joined graph's name for `model`'s output `output`."""
    return f"{model}:{output}"


def merge(models: Sequence[tuple[str, pathlib.Path]]) -> bytes | None:
    """One serialized ONNX model computing every output of these (name, file) models from their one shared input, or
    None when they cannot be joined (the caller then runs them one by one)."""
    classes = _messages()
    loaded = [(name, classes["Model"].FromString(path.read_bytes())) for name, path in models]
    first = loaded[0][1]
    header = (first.ir_version, list(first.opset_import),
              [i.SerializeToString(deterministic=True) for i in first.graph.input])
    for _, model in loaded:
        if (model.ir_version, list(model.opset_import),
                [i.SerializeToString(deterministic=True) for i in model.graph.input]) != header:
            return None
        inputs_are_weights = {i.name for i in model.graph.input} & {t.name for t in model.graph.initializer}
        if (model.graph.sparse_initializer or inputs_are_weights
                or any(n.op_type in _SUBGRAPH_OPS for n in model.graph.node)):
            return None
    graph = classes["Graph"](name="joined")
    graph.input.extend(first.graph.input)
    seen: dict[tuple, list[str]] = {}  # a node's identity -> the outputs of its first copy
    weights: set[str] = set()
    for name, model in loaded:
        renamed = {value.name: value.name for value in model.graph.input}
        for tensor in model.graph.initializer:
            unnamed = classes["Tensor"]()
            unnamed.CopyFrom(tensor)
            unnamed.name = ""
            key = "w" + hashlib.sha256(unnamed.SerializeToString(deterministic=True)).hexdigest()
            renamed[tensor.name] = key
            if key not in weights:
                weights.add(key)
                unnamed.name = key
                graph.initializer.append(unnamed)
        for node in model.graph.node:
            inputs = [renamed[i] if i else "" for i in node.input]
            # the optional outputs it makes too: a copy without one cannot stand in for a node that uses it
            identity = (node.domain, node.op_type, tuple(inputs), tuple(sorted(node.attribute)),
                        tuple(bool(o) for o in node.output))
            if identity not in seen:
                outputs = [f"{name}/{o}" if o else "" for o in node.output]
                seen[identity] = outputs
                graph.node.add(input=inputs, output=outputs, name=f"n{len(graph.node)}", op_type=node.op_type,
                               domain=node.domain, attribute=node.attribute)
            renamed.update(zip(node.output, seen[identity]))
        for value in model.graph.output:  # each model's outputs under their own names, even when two coincide
            out = graph.output.add()
            out.CopyFrom(value)
            out.name = output_name(name, value.name)
            graph.node.add(input=[renamed[value.name]], output=[out.name], name=f"n{len(graph.node)}",
                           op_type="Identity")
    joined = classes["Model"]()
    joined.CopyFrom(first)
    joined.graph.CopyFrom(graph)
    return joined.SerializeToString()
