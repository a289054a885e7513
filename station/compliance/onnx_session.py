"""How the checks' own networks run: on the CPU, one thread each (the checks already run side by side on a laptop's
two cores, beside the preview: a network that took both would stall the picture)."""

from __future__ import annotations

import pathlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import onnxruntime


def one_thread_session(model: pathlib.Path | bytes) -> onnxruntime.InferenceSession:
    """An ONNX Runtime session for a model file (or a serialized model) on one CPU thread (onnxruntime loads only
    when a network is used)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    source = model if isinstance(model, bytes) else str(model)
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])
