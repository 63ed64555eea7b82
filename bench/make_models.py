#!/usr/bin/python3
"""Makes the benchmark models in bench/models/ (git-ignored), reproducibly and offline.

- vgg16.onnx: torchvision's VGG-16 with random weights (seed 0) exported by Debian's python3-torch
  with every weight embedded in the file (about 553 MB), the case where Python tools read all of it.
- transformer_<N>.onnx for N in 1k, 10k, 100k, 1M nodes: a stack of N/20 identical pre-norm-free
  transformer blocks (fused QKV MatMul, Split, multi-head attention through Reshape/Transpose,
  Softmax, output projection, residual Add, LayerNormalization, a Relu MLP, residual Add), 20 nodes
  per block, with symbolic batch `N` and sequence `S`. Weights are external-data initializers whose
  file is never written: only dims matter to a static analyzer, and a 1M-node graph would otherwise
  need 157 GB of weights. Every block is a serialized template in which fixed-width placeholders are
  replaced, so the 1M-node file takes seconds, not the minutes onnx.helper would need per node.

Usage: bench/make_models.py [--only vgg16|transformers] [--out DIR]
"""
import argparse
import os
import sys

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
NODES_PER_BLOCK = 20
D_MODEL, HEADS, D_FF = 256, 4, 1024
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}

IDX = "@@@@@@@@"  # 8-character block index, zero padded
PREV = "#########"  # 9-character name of the block's input
FIRST_INPUT = "input_x00"  # graph input, same width as "o%08d"


def external_weight(name, dims):
    t = TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    for k, v in (("location", "weights.bin"), ("offset", "0"), ("length", str(4 * _prod(dims)))):
        e = t.external_data.add()
        e.key, e.value = k, v
    return t


def _prod(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def block_template():
    """One block as serialized GraphProto fields (nodes then initializers) with placeholders."""
    p = "L" + IDX + "/"
    dh = D_MODEL // HEADS
    n = helper.make_node
    nodes = [
        n("MatMul", [PREV, p + "Wqkv"], [p + "qkv"], name=p + "qkv"),
        n("Split", [p + "qkv", "split3"], [p + "q", p + "k", p + "v"], name=p + "split", axis=2),
        n("Reshape", [p + "q", "heads_shape"], [p + "q4"], name=p + "q_reshape"),
        n("Transpose", [p + "q4"], [p + "qt"], name=p + "q_transpose", perm=[0, 2, 1, 3]),
        n("Reshape", [p + "k", "heads_shape"], [p + "k4"], name=p + "k_reshape"),
        n("Transpose", [p + "k4"], [p + "kt"], name=p + "k_transpose", perm=[0, 2, 3, 1]),
        n("Reshape", [p + "v", "heads_shape"], [p + "v4"], name=p + "v_reshape"),
        n("Transpose", [p + "v4"], [p + "vt"], name=p + "v_transpose", perm=[0, 2, 1, 3]),
        n("MatMul", [p + "qt", p + "kt"], [p + "scores"], name=p + "qk"),
        n("Softmax", [p + "scores"], [p + "probs"], name=p + "softmax", axis=-1),
        n("MatMul", [p + "probs", p + "vt"], [p + "ctx"], name=p + "pv"),
        n("Transpose", [p + "ctx"], [p + "ctxt"], name=p + "ctx_transpose", perm=[0, 2, 1, 3]),
        n("Reshape", [p + "ctxt", "model_shape"], [p + "attn"], name=p + "ctx_reshape"),
        n("MatMul", [p + "attn", p + "Wo"], [p + "proj"], name=p + "out_proj"),
        n("Add", [PREV, p + "proj"], [p + "res1"], name=p + "res1"),
        n("LayerNormalization", [p + "res1", p + "ln_g", p + "ln_b"], [p + "ln"], name=p + "ln",
          axis=-1),
        n("MatMul", [p + "ln", p + "W1"], [p + "ff1"], name=p + "ff1"),
        n("Relu", [p + "ff1"], [p + "act"], name=p + "relu"),
        n("MatMul", [p + "act", p + "W2"], [p + "ff2"], name=p + "ff2"),
        n("Add", [p + "ln", p + "ff2"], ["o" + IDX], name=p + "res2"),
    ]
    assert len(nodes) == NODES_PER_BLOCK
    inits = [
        external_weight(p + "Wqkv", [D_MODEL, 3 * D_MODEL]),
        external_weight(p + "Wo", [D_MODEL, D_MODEL]),
        external_weight(p + "ln_g", [D_MODEL]),
        external_weight(p + "ln_b", [D_MODEL]),
        external_weight(p + "W1", [D_MODEL, D_FF]),
        external_weight(p + "W2", [D_FF, D_MODEL]),
    ]
    g = onnx.GraphProto()
    g.node.extend(nodes)
    nodes_bytes = g.SerializeToString()
    g = onnx.GraphProto()
    g.initializer.extend(inits)
    assert dh * HEADS == D_MODEL
    return nodes_bytes, g.SerializeToString()


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def make_transformer(nodes, path):
    blocks = nodes // NODES_PER_BLOCK
    node_t, init_t = block_template()
    # Concatenated serializations of a message merge their repeated fields, so the graph is the
    # blocks' nodes, then their initializers, then the shared fields.
    parts = []
    for tmpl in (node_t, init_t):
        for i in range(blocks):
            b = tmpl.replace(IDX.encode(), b"%08d" % i)
            prev = FIRST_INPUT.encode() if i == 0 else b"o%08d" % (i - 1)
            parts.append(b.replace(PREV.encode(), prev))
    shared = onnx.GraphProto()
    shared.name = "transformer_%d" % nodes
    shared.initializer.extend([
        helper.make_tensor("split3", TensorProto.INT64, [3], [D_MODEL] * 3),
        helper.make_tensor("heads_shape", TensorProto.INT64, [4], [0, 0, HEADS, D_MODEL // HEADS]),
        helper.make_tensor("model_shape", TensorProto.INT64, [3], [0, 0, D_MODEL]),
    ])
    shared.input.append(helper.make_tensor_value_info(FIRST_INPUT, TensorProto.FLOAT,
                                                      ["N", "S", D_MODEL]))
    shared.output.append(helper.make_tensor_value_info("o%08d" % (blocks - 1), TensorProto.FLOAT,
                                                       ["N", "S", D_MODEL]))
    parts.append(shared.SerializeToString())
    graph = b"".join(parts)
    model = helper.make_model(onnx.GraphProto(), producer_name="opaudit-bench",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ClearField("graph")
    with open(path + ".tmp", "wb") as f:
        f.write(model.SerializeToString())
        f.write(b"\x3a" + varint(len(graph)))  # field 7 (graph), length-delimited
        f.write(graph)
    os.replace(path + ".tmp", path)


def make_vgg16(path):
    import torch
    import torchvision

    torch.manual_seed(0)
    model = torchvision.models.vgg16(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    torch.onnx.export(model, x, path + ".tmp", opset_version=17, input_names=["input"],
                      output_names=["logits"])
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=["vgg16", "transformers"])
    ap.add_argument("--out", default=os.path.join(HERE, "models"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.only in (None, "transformers"):
        for tag, n in SIZES.items():
            p = os.path.join(a.out, "transformer_%s.onnx" % tag)
            make_transformer(n, p)
            print("wrote", p, os.path.getsize(p), "bytes", file=sys.stderr)
    if a.only in (None, "vgg16"):
        p = os.path.join(a.out, "vgg16.onnx")
        make_vgg16(p)
        print("wrote", p, os.path.getsize(p), "bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
