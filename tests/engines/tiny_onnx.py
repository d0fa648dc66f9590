"""Tiny AnimeGAN-shaped ONNX generators built in code (random, seeded weights).

``onnx`` is imported when a generator is built, so a test that needs one skips
cleanly on a machine without it, and the modules that import this one still load.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


def _conv_weights(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # Close to identity so the output still looks like the input, plus a little mixing.
    weight = rng.normal(0, 0.05, (3, 3, 3, 3)).astype(np.float32)
    for c in range(3):
        weight[c, c, 1, 1] += 1.6
    bias = rng.normal(0, 0.02, 3).astype(np.float32)
    return weight, bias


def build_generator(
    path: Path,
    layout: str = "NHWC",
    fixed: tuple[int, int] | None = None,
    zero_one: bool = False,
    seed: int = 0,
) -> Path:
    """A 3×3 conv + tanh (or sigmoid for [0,1] models) with AnimeGAN's input/output signature."""
    onnx = pytest.importorskip("onnx")
    helper, numpy_helper, TensorProto = onnx.helper, onnx.numpy_helper, onnx.TensorProto
    h, w = fixed if fixed else ("height", "width")
    shape = [1, h, w, 3] if layout == "NHWC" else [1, 3, h, w]
    weight, bias = _conv_weights(seed)
    nodes = []
    conv_in = "input"
    if layout == "NHWC":
        nodes.append(helper.make_node("Transpose", ["input"], ["nchw"], perm=[0, 3, 1, 2]))
        conv_in = "nchw"
    nodes.append(helper.make_node("Conv", [conv_in, "W", "B"], ["conv"], pads=[1, 1, 1, 1]))
    nodes.append(helper.make_node("Sigmoid" if zero_one else "Tanh", ["conv"], ["act"]))
    if layout == "NHWC":
        nodes.append(helper.make_node("Transpose", ["act"], ["output"], perm=[0, 2, 3, 1]))
    else:
        nodes.append(helper.make_node("Identity", ["act"], ["output"]))
    graph = helper.make_graph(
        nodes,
        "tiny_animegan",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, shape)],
        initializer=[numpy_helper.from_array(weight, "W"), numpy_helper.from_array(bias, "B")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    if zero_one:
        onnx.helper.set_model_props(model, {"input_range": "0,1"})
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path
