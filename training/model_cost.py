"""Multiply-adds of one crop through an exported ONNX model, recorded in its sidecar as `macs`.

The station's live preview spreads the models over frames by cost (station.compliance.learned.live_groups).
Input pixels alone misjudge it: a pretrained MobileNetV2 does several times the work per pixel of the small
from-scratch networks. Counting convolutions and matrix products from the graph's inferred shapes is exact
for these models, needs no timing (so the turns do not depend on the machine's load) and costs nothing at
run time. Run `python -m training.model_cost` to fill in every shipped sidecar; export_onnx does it for new ones.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from models import region_model_files


def onnx_macs(path: Path, size: tuple[int, int]) -> int:
    """Multiply-adds of Conv, Gemm and MatMul nodes for one crop of `size` (width, height). Shapes come from
    running the graph once, since static inference loses them after the trunk's computed padding."""
    import onnx
    import onnxruntime as ort

    model = onnx.load(str(path))
    nodes = [n for n in model.graph.node if n.op_type in ("Conv", "Gemm", "MatMul")]
    wanted = sorted({name for n in nodes for name in (n.input[0], n.output[0])} - {o.name for o in model.graph.output})
    model.graph.output.extend(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None) for name in wanted)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    feed = {session.get_inputs()[0].name: np.zeros((1, 3, size[1], size[0]), np.float32)}
    names = [o.name for o in session.get_outputs()]
    shapes = {name: value.shape for name, value in zip(names, session.run(names, feed))}
    shapes.update({init.name: tuple(init.dims) for init in model.graph.initializer})
    total = 0
    for node in nodes:
        out = shapes[node.output[0]]
        if node.op_type == "Conv":  # each output: in-channels-per-group x kernel
            total += math.prod(out) * math.prod(shapes[node.input[1]][1:])
        else:
            total += math.prod(out) * shapes[node.input[0]][-1]
    return int(total)


def record(path: Path) -> int:
    """Writes the model's multiply-adds into its sidecar and returns them."""
    sidecar = path.with_suffix(".json")
    doc = json.loads(sidecar.read_text(encoding="utf-8"))
    size = doc["size"]
    doc["macs"] = onnx_macs(path, (size, size) if isinstance(size, int) else (size[0], size[1]))
    sidecar.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return doc["macs"]


def main() -> None:
    for path in region_model_files():
        print(f"{path.name}: {record(path) / 1e6:.1f} M multiply-adds per crop")


if __name__ == "__main__":
    main()
