"""A new output head on a shipped model's frozen trunk: pooled features, a logistic regression, an ONNX file.

Training a network of its own costs hours on the shared 2-core machine; the shipped trunks already describe their
crops. So a new check can take a trunk as it is, pool some of its stages' activations over the crop, fit an
L2 logistic regression on them (Newton steps, the strength chosen by val AUC) and ship a copy of the trunk's graph
that ends in that head, output "probs" (N, 1) like every region model. Used by train_makeup and
train_coloured_lenses.
"""

from __future__ import annotations

import onnx
import numpy as np
from onnx import helper, numpy_helper

from training.training import roc_auc

STRENGTHS = (0.01, 0.1, 1.0, 10.0, 100.0)


def feature_graph(trunk: onnx.ModelProto, stages: tuple[str, ...], pools: tuple[str, ...] = ("ReduceMean",)
                  ) -> onnx.ModelProto:
    """The trunk without its heads, with one output "features": each of `stages` (activation names in its graph)
    pooled over height and width by each of `pools` (ReduceMean, ReduceMax), side by side, pool by pool."""
    graph = trunk.graph
    for node in [n for n in graph.node if n.op_type in ("Gemm", "Sigmoid")]:  # the trunk's own heads go
        graph.node.remove(node)
    for init in [i for i in graph.initializer if i.name.startswith("net.head.")]:
        graph.initializer.remove(init)
    pooled = []
    for pool in pools:
        for name in stages:
            pooled.append(f"{pool}_{len(pooled)}")
            graph.node.append(helper.make_node(pool, [name], [pooled[-1]], axes=[2, 3], keepdims=0))
    graph.node.append(helper.make_node("Concat", pooled, ["features"], axis=1))
    del graph.output[:]
    graph.output.append(helper.make_tensor_value_info("features", onnx.TensorProto.FLOAT, ["n", None]))
    return trunk


def with_head(features: onnx.ModelProto, weights: np.ndarray, bias: float) -> onnx.ModelProto:
    """The feature graph ending in the logistic head: output "probs" (N, 1), as every shipped model."""
    graph = features.graph
    graph.initializer.extend([numpy_helper.from_array(weights.astype(np.float32)[:, None], "head_weight"),
                              numpy_helper.from_array(np.array([bias], np.float32), "head_bias")])
    graph.node.extend([helper.make_node("Gemm", ["features", "head_weight", "head_bias"], ["logit"]),
                       helper.make_node("Sigmoid", ["logit"], ["probs"])])
    del graph.output[:]
    graph.output.append(helper.make_tensor_value_info("probs", onnx.TensorProto.FLOAT, ["n", 1]))
    onnx.checker.check_model(features)
    return features


def logistic(x: np.ndarray, y: np.ndarray, strength: float, steps: int = 30) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; the last weight is the (unregularised) bias."""
    x = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], strength)
    penalty[-1] = 0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


def fit_head(x_train: np.ndarray, y_train: np.ndarray, x_val: np.ndarray, y_val: np.ndarray
             ) -> tuple[np.ndarray, float, float, float]:
    """(weights, bias, strength, val AUC): standardised on train, the strength with the best val AUC, the
    standardisation folded into the weights so the head takes the raw features."""
    mean, std = x_train.mean(axis=0), x_train.std(axis=0) + 1e-6
    fits = {s: logistic((x_train - mean) / std, y_train, s) for s in STRENGTHS}
    aucs = {s: roc_auc(y_val, (x_val - mean) / std @ w[:-1] + w[-1]) for s, w in fits.items()}
    print("val AUC per regularisation strength:", {s: round(a, 4) for s, a in aucs.items()}, flush=True)
    best = max(aucs, key=aucs.get)
    w = fits[best]
    return w[:-1] / std, float(w[-1] - (w[:-1] * mean / std).sum()), best, aucs[best]
