"""Does another engine make the face models cheaper? CPU milliseconds per forward, on this machine, of the shipped
int8 block-quantised SFace and YuNet (models/face_verify) run by OpenCV as the station does, against:

- `ort-fp32`: the same weights with every DequantizeLinear folded into fp32 constants once (so nothing is
  dequantised at run time, and onnxruntime fuses each BatchNormalization into its Conv), run by onnxruntime;
- `ort-int8`: that fp32 graph statically quantised by onnxruntime (int8 weights and activations, per-channel,
  calibrated on other dev faces): the VNNI int8 kernels, if the CPU has them;
- YuNet's folded fp32 copy through OpenCV, at the sizes the station searches (an LFW image, a 480x640 CHSI photo).

CPU time (time.thread_time) is printed beside wall time: on a machine shared by several people the wall time
mostly measures the others. Every engine runs on one thread. For each SFace engine the cosine of its embedding
with OpenCV's on the same aligned crop says whether the shipped thresholds would still hold (at least 0.999 needed).
Faces: aligned crops of the first dev-split LFW images (training/splits/lfw_identities.csv), the calibration set
of `ort-int8` disjoint from the measured one. Needs the `onnx` package (the dev or train extra).

  .venv/bin/python scripts/benchmark_verify_engines.py [--images 160]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark_verify import LFW, images_of  # noqa: E402
from station.identity.embedder import DETECTOR_FILE, FOLDER, RECOGNISER_FILE, FaceEmbedder  # noqa: E402
from station.image_io import read_image  # noqa: E402


def folded(path: Path) -> onnx.ModelProto:
    """The model with each DequantizeLinear of a constant (and the Reshape after it) computed once into an fp32
    constant; graph inputs that are really weights are dropped, so onnxruntime treats them as constants."""
    model = onnx.load(str(path))
    graph = model.graph
    values = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    computed: set[str] = set()
    kept = []
    for node in graph.node:
        if node.op_type == "DequantizeLinear" and all(name in values for name in node.input if name):
            q = values[node.input[0]].astype(np.float32)
            scale = values[node.input[1]].astype(np.float32)
            zero = values[node.input[2]].astype(np.float32) if len(node.input) > 2 and node.input[2] else 0 * scale
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            axis, block = attrs.get("axis", 1) % q.ndim, attrs.get("block_size", 0)
            if block:  # one scale per block of `block` values along `axis`
                scale, zero = (np.repeat(v, block, axis=axis).take(range(q.shape[axis]), axis=axis)
                               for v in (scale, zero))
            elif scale.ndim == 1 and scale.size > 1:
                shape = [1] * q.ndim
                shape[axis] = -1
                scale, zero = scale.reshape(shape), zero.reshape(shape)
            values[node.output[0]] = (q - zero) * scale
            computed.add(node.output[0])
        elif node.op_type == "Reshape" and node.input[0] in computed and node.input[1] in values:
            values[node.output[0]] = values[node.input[0]].reshape(values[node.input[1]])
            computed.add(node.output[0])
        else:
            kept.append(node)
    used = {name for node in kept for name in node.input}
    del graph.node[:]
    graph.node.extend(kept)
    inputs = [i for i in graph.input if i.name not in values and i.name in used]
    del graph.input[:]
    graph.input.extend(inputs)
    del graph.initializer[:]
    graph.initializer.extend(numpy_helper.from_array(v if v.dtype == np.int64 else v.astype(np.float32), k)
                             for k, v in values.items() if k in used)
    onnx.checker.check_model(model)
    return model


def blob(crop: np.ndarray) -> np.ndarray:
    """What cv2.FaceRecognizerSF feeds SFace: RGB, 112x112, unscaled (the graph itself subtracts and scales)."""
    return cv2.dnn.blobFromImage(crop, 1.0, (112, 112), (0, 0, 0), True, False)


def timed(run: Callable[[np.ndarray], object], inputs: list[np.ndarray]) -> tuple[float, float]:
    """Median wall and CPU ms of one call, after one warm-up call."""
    run(inputs[0])
    wall, cpu = [], []
    for x in inputs:
        w, c = time.perf_counter(), time.thread_time()
        run(x)
        cpu.append((time.thread_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def unit(rows: list[np.ndarray]) -> np.ndarray:
    matrix = np.stack([r.ravel() for r in rows]).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def session(model: onnx.ModelProto | str) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3
    source = model if isinstance(model, str) else model.SerializeToString()
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def int8_copy(fp32: onnx.ModelProto, calibration: list[np.ndarray], scratch: Path) -> str:
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._left = iter([{"data": blob(c)} for c in calibration])

        def get_next(self) -> dict | None:
            return next(self._left, None)

    onnx.save(fp32, str(scratch / "fp32.onnx"))
    quant_pre_process(str(scratch / "fp32.onnx"), str(scratch / "pre.onnx"))
    quantize_static(str(scratch / "pre.onnx"), str(scratch / "int8.onnx"), Reader(), quant_format=QuantFormat.QDQ,
                    per_channel=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    return str(scratch / "int8.onnx")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=160, help="dev images: the first quarter calibrates ort-int8")
    args = parser.parse_args()
    if not LFW.is_dir():
        print(f"{LFW} is not present", file=sys.stderr)
        return 2
    cv2.setNumThreads(1)
    embedder = FaceEmbedder()
    recogniser = cv2.FaceRecognizerSF.create(str(FOLDER / RECOGNISER_FILE), "")
    crops = []
    for path, _ in images_of("dev")[:args.images]:
        image = read_image(path)
        found = embedder.faces(image)
        if found:
            crops.append(recogniser.alignCrop(image, found[0].row))
    calibration, measured = crops[:len(crops) // 4], crops[len(crops) // 4:]
    print(f"{len(measured)} aligned dev faces measured ({len(calibration)} others calibrate ort-int8); one thread; "
          f"load average {os.getloadavg()[0]:.1f} at the start")

    reference = unit([recogniser.feature(c) for c in measured])
    wall, cpu = timed(recogniser.feature, measured)
    print(f"SFace opencv-int8bq (shipped): wall {wall:.1f} ms, CPU {cpu:.1f} ms per forward")
    fp32 = folded(FOLDER / RECOGNISER_FILE)
    with tempfile.TemporaryDirectory() as scratch:
        engines = {"ort-fp32": session(fp32), "ort-int8": session(int8_copy(fp32, calibration, Path(scratch)))}
        for name, engine in engines.items():
            def run(crop: np.ndarray, engine: ort.InferenceSession = engine) -> np.ndarray:
                return engine.run(None, {"data": blob(crop)})[0]

            cosine = (unit([run(c) for c in measured]) * reference).sum(axis=1)
            wall, cpu = timed(run, measured)
            print(f"SFace {name}: wall {wall:.1f} ms, CPU {cpu:.1f} ms per forward; cosine with the shipped "
                  f"embedding min {cosine.min():.4f}, median {np.median(cosine):.4f}")

        onnx.save(folded(FOLDER / DETECTOR_FILE), str(Path(scratch) / "yunet_fp32.onnx"))
        detectors = {"opencv-int8bq (shipped)": str(FOLDER / DETECTOR_FILE),
                     "opencv-fp32": str(Path(scratch) / "yunet_fp32.onnx")}
        sizes = {"250x250 (LFW)": (250, 250), "480x640 (CHSI photo)": (480, 640)}
        images = [read_image(path) for path, _ in images_of("dev")[:40]]
        for name, file in detectors.items():
            detector = cv2.FaceDetectorYN.create(file, "", (320, 320), 0.9, 0.3, 5000)
            for label, (width, height) in sizes.items():
                detector.setInputSize((width, height))
                scaled = [cv2.resize(image, (width, height)) for image in images]
                wall, cpu = timed(detector.detect, scaled)
                print(f"YuNet {name} at {label}: wall {wall:.1f} ms, CPU {cpu:.1f} ms per search")
    return 0


if __name__ == "__main__":
    sys.exit(main())
