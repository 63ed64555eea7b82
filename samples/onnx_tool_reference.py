#!/usr/bin/python3
"""Independent reference totals for opaudit's `onnx-tool` convention.

onnx-tool (ThanatosShinji/onnx-tool) is not packaged for Debian and the build
machine has no PyPI, so its own profiler cannot be run here. This script
re-implements onnx-tool's published per-operator cost rules (onnx_tool/node.py,
current constants: ADD/MUL/CMP 1, DIV 4, EXP 32, POW 32, LOG 43, SIN/COS 39,
SQRT 24, TANH 38 x ratio 2, BatchNormalization 31/elem, Softmax 36, Erf 0,
Conv/Gemm bias +1 per output; see docs/conventions-research.md section 2) on
top of ONNX's own Python shape inference, without using any opaudit code or
opaudit's convention file. Its output, samples/models/onnx_tool_reference.json,
is what tests/ConventionOnnxToolTest.cpp compares against.

Run: /usr/bin/python3 samples/onnx_tool_reference.py > samples/models/onnx_tool_reference.json
"""
import json
import math
import os
import sys

import onnx
from onnx import shape_inference

ADD = MUL = CMP = 1
DIV = 4
EXP = 32
POW = 32
LOG = 43
SIN = COS = 39
SQRT = 24
TANH = EXP + 2 * ADD + DIV

# Pointwise cost per output element (ratio 1 for unary and binary nodes).
PER_OUT = {
    "Add": ADD, "Sub": ADD, "Mul": MUL, "Max": ADD, "Mod": ADD, "Ceil": ADD,
    "Min": CMP, "Neg": CMP, "Abs": CMP, "Sign": CMP,
    "Div": DIV, "Reciprocal": DIV,
    "Relu": CMP, "LeakyRelu": 2, "PRelu": 2, "Clip": 2, "HardSigmoid": 4, "HardSwish": 5,
    "Sigmoid": EXP, "Tanh": TANH * 2, "Exp": EXP, "Log": LOG, "Sqrt": SQRT,
    "Sin": SIN, "Cos": COS, "Pow": POW,
    "Softmax": EXP + DIV, "LogSoftmax": EXP + DIV + ADD + LOG,
    "Softplus": EXP + ADD + LOG, "Elu": CMP + EXP + ADD + MUL, "Gelu": EXP + 2 * MUL,
    "Erf": 0,
    "BatchNormalization": ADD + SQRT + DIV + ADD + MUL,
    "InstanceNormalization": (ADD + MUL + ADD + DIV) * 2,
    "Less": 1, "LessOrEqual": 1, "Equal": 1, "Greater": 1, "GreaterOrEqual": 1,
    "Not": 1, "And": 1, "Or": 1, "Xor": 1, "Round": 1, "NonZero": 1, "Floor": 1,
    "QuantizeLinear": 2, "DequantizeLinear": 2,
}
ZERO = {
    "Concat", "Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze", "Slice", "Gather",
    "Expand", "Tile", "Pad", "Split", "Cast", "Shape", "Identity", "Dropout", "Where",
    "Constant", "ConstantOfShape", "Range", "ScatterND",
}


def dims_of(vi):
    t = vi.type.tensor_type
    if not t.HasField("shape"):
        return None
    out = []
    for d in t.shape.dim:
        if not d.HasField("dim_value"):
            return None
        out.append(d.dim_value)
    return out


def count(path):
    model = onnx.load(path, load_external_data=False)
    model = shape_inference.infer_shapes(model)
    g = model.graph
    shapes = {}
    for vi in list(g.input) + list(g.value_info) + list(g.output):
        d = dims_of(vi)
        if d is not None:
            shapes[vi.name] = d
    for init in g.initializer:
        shapes[init.name] = list(init.dims)

    def n(name):
        if name not in shapes:
            raise SystemExit(f"{path}: no shape for '{name}'")
        return math.prod(shapes[name])

    def attr(node, name, default=None):
        for a in node.attribute:
            if a.name == name:
                return onnx.helper.get_attribute_value(a)
        return default

    total = 0
    by_op = {}
    skipped = set()
    for node in g.node:
        op = node.op_type
        ins = [i for i in node.input]
        out = n(node.output[0]) if op not in ZERO else 0
        if op == "Conv":
            w = shapes[ins[1]]
            c = out * math.prod(w[1:]) + (out if len(ins) > 2 and ins[2] else 0)
        elif op == "Gemm":
            b = shapes[ins[1]]
            k = b[1] if attr(node, "transB", 0) else b[0]
            c = out * k + (out if len(ins) > 2 and ins[2] else 0)
        elif op == "MatMul":
            b = shapes[ins[1]]
            k = b[-2] if len(b) >= 2 else b[0]
            c = out * k
        elif op in ("MaxPool", "AveragePool"):
            k = attr(node, "kernel_shape")
            c = out * k[0] * k[1]
        elif op == "GlobalAveragePool":
            c = n(ins[0]) * ADD + out * DIV
        elif op == "LayerNormalization":
            shp = shapes[ins[0]]
            axis = attr(node, "axis", -1)
            rows = math.prod(shp[: axis % len(shp)])
            c = out * (3 * MUL + 4 * ADD) + rows * (ADD + SQRT + DIV)
        elif op in ("ReduceMean", "ReduceSum", "ReduceProd", "ReduceMin", "ReduceMax"):
            c = n(ins[0])
        elif op in ("Resize", "Upsample"):
            mode = attr(node, "mode", b"nearest")
            mode = mode.decode() if isinstance(mode, bytes) else mode
            c = out * {"nearest": 0, "linear": 4, "cubic": 8}[mode]
        elif op in PER_OUT:
            c = out * PER_OUT[op]
        elif op in ZERO:
            c = 0
        else:
            skipped.add(op)  # onnx-tool: an op without a profile costs 0
            c = 0
        total += c
        by_op[op] = by_op.get(op, 0) + c
    return {"total": total, "by_op": dict(sorted(by_op.items())), "zero_cost_unknown_ops": sorted(skipped)}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    # shufflenet_v2_x1_0 and swin_t are left out: onnx 1.12 shape inference cannot size their
    # Shape-computed Reshapes, so this script has no element counts for them.
    names = ["tiny_cnn", "resnet50", "mobilenet_v2", "yolov3", "vit_b_16"]
    out = {
        "generator": "samples/onnx_tool_reference.py (onnx-tool's published cost rules, re-implemented)",
        "onnx_version": onnx.__version__,
        "models": {m: count(os.path.join(here, "models", m + ".onnx")) for m in names},
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
