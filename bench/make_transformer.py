#!/usr/bin/env python3
"""Writes a synthetic GPT-2-style ONNX graph for benchmarking and testing the
graph pictures: the node structure of a torch.onnx export of GPT-2 small
(decomposed LayerNorm and GELU, the Shape -> Gather -> Unsqueeze -> Concat
subgraphs around every Reshape, scalar Constant nodes, exporter-style names
such as /transformer/h.3/attn/c_attn/MatMul), with about 135 nodes per layer.
Weights are external and absent: only dims and dtypes matter to opaudit.

Usage: make_transformer.py OUT.onnx [--layers 12] [--seq 128]
12 layers give ~1,600 nodes (GPT-2 small's export size); 38 give ~5,000.
"""
import argparse

import onnx
from onnx import TensorProto, helper

HIDDEN, HEADS, VOCAB, CTX = 768, 12, 50257, 1024


class Builder:
    def __init__(self):
        self.nodes, self.inits, self.count = [], [], 0

    def weight(self, name, dims, dtype=TensorProto.FLOAT):
        t = TensorProto(name=name, data_type=dtype, dims=dims)
        t.data_location = TensorProto.EXTERNAL
        e = t.external_data.add()
        e.key, e.value = "location", "transformer.weights"
        self.inits.append(t)
        return name

    def op(self, scope, op, inputs, n_out=1, **attrs):
        self.count += 1
        name = f"{scope}/{op}" if self.count == 0 else f"{scope}/{op}_{self.count}"
        outs = [f"{name}_out{i}" for i in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, **attrs))
        return outs[0] if n_out == 1 else outs

    def const(self, scope, vals, dtype=TensorProto.INT64, dims=None):
        dims = [len(vals)] if dims is None else dims
        return self.op(scope, "Constant", [],
                       value=helper.make_tensor("v", dtype, dims, vals))

    def layernorm(self, scope, x):
        m = self.op(scope, "ReduceMean", [x], axes=[-1])
        d = self.op(scope, "Sub", [x, m])
        p = self.op(scope, "Pow", [d, self.const(scope, [2.0], TensorProto.FLOAT, [])])
        v = self.op(scope, "ReduceMean", [p], axes=[-1])
        e = self.op(scope, "Add", [v, self.const(scope, [1e-5], TensorProto.FLOAT, [])])
        s = self.op(scope, "Sqrt", [e])
        n = self.op(scope, "Div", [d, s])
        g = self.op(scope, "Mul", [n, self.weight(f"{scope}.weight", [HIDDEN])])
        return self.op(scope, "Add", [g, self.weight(f"{scope}.bias", [HIDDEN])])

    def linear(self, scope, x, k, n):
        mm = self.op(scope, "MatMul", [x, self.weight(f"{scope}.weight", [k, n])])
        return self.op(scope, "Add", [mm, self.weight(f"{scope}.bias", [n])])

    def dim(self, scope, x, i):
        """The exporter's way to read a dim: Shape, Gather, Unsqueeze."""
        s = self.op(scope, "Shape", [x])
        g = self.op(scope, "Gather", [s, self.const(scope, [i], dims=[])], axis=0)
        return self.op(scope, "Unsqueeze", [g, self.const(scope, [0])])

    def split_heads(self, scope, x):
        shape = self.op(scope, "Concat", [self.dim(scope, x, 0), self.dim(scope, x, 1),
                                          self.const(scope, [HEADS]),
                                          self.const(scope, [HIDDEN // HEADS])], axis=0)
        r = self.op(scope, "Reshape", [x, shape])
        return self.op(scope, "Transpose", [r], perm=[0, 2, 1, 3])

    def merge_heads(self, scope, x):
        t = self.op(scope, "Transpose", [x], perm=[0, 2, 1, 3])
        shape = self.op(scope, "Concat", [self.dim(scope, t, 0), self.dim(scope, t, 1),
                                          self.const(scope, [HIDDEN])], axis=0)
        return self.op(scope, "Reshape", [t, shape])

    def block(self, i, x, seq):
        s = f"/transformer/h.{i}"
        h = self.layernorm(f"{s}/ln_1", x)
        a = f"{s}/attn"
        qkv = self.linear(f"{a}/c_attn", h, HIDDEN, 3 * HIDDEN)
        q, k, v = self.op(a, "Split", [qkv, self.const(a, [HIDDEN] * 3)], n_out=3, axis=2)
        q, k, v = (self.split_heads(a, t) for t in (q, k, v))
        kt = self.op(a, "Transpose", [k], perm=[0, 1, 3, 2])
        w = self.op(a, "MatMul", [q, kt])
        # The scale and the causal-mask bounds come from shapes, as in the export.
        hd = self.op(a, "Cast", [self.dim(a, q, 3)], to=TensorProto.FLOAT)
        w = self.op(a, "Div", [w, self.op(a, "Sqrt", [hd])])
        ends = self.op(a, "Concat", [self.dim(a, w, 2), self.dim(a, w, 3)], axis=0)
        mask = self.op(a, "Slice", [self.weight(f"{a}.bias", [1, 1, CTX, CTX], TensorProto.BOOL),
                                    self.const(a, [0, 0]), ends, self.const(a, [2, 3])])
        w = self.op(a, "Where", [mask, w, self.const(a, [-1e4], TensorProto.FLOAT, [])])
        w = self.op(a, "Softmax", [w], axis=-1)
        o = self.merge_heads(a, self.op(a, "MatMul", [w, v]))
        o = self.linear(f"{a}/c_proj", o, HIDDEN, HIDDEN)
        x = self.op(s, "Add", [x, o])
        h = self.layernorm(f"{s}/ln_2", x)
        m = f"{s}/mlp"
        f = self.linear(f"{m}/c_fc", h, HIDDEN, 4 * HIDDEN)
        # GELU, tanh approximation, as GPT-2's NewGELUActivation exports it.
        c = lambda v: self.const(m, [v], TensorProto.FLOAT, [])
        g = self.op(m, "Mul", [f, c(0.5)])
        p = self.op(m, "Pow", [f, c(3.0)])
        p = self.op(m, "Mul", [p, c(0.044715)])
        p = self.op(m, "Add", [f, p])
        p = self.op(m, "Mul", [p, c(0.7978845608)])
        p = self.op(m, "Tanh", [p])
        p = self.op(m, "Add", [p, c(1.0)])
        g = self.op(m, "Mul", [g, p])
        o = self.linear(f"{m}/c_proj", g, 4 * HIDDEN, HIDDEN)
        return self.op(s, "Add", [x, o])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--layers", type=int, default=12)
    ap.add_argument("--seq", type=int, default=128)
    a = ap.parse_args()
    b = Builder()
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, a.seq])
    e = b.op("/transformer/wte", "Gather", [b.weight("wte", [VOCAB, HIDDEN]), "input_ids"])
    pos = b.op("/transformer/wpe", "Gather", [b.weight("wpe", [CTX, HIDDEN]),
                                              b.weight("position_ids", [1, a.seq], TensorProto.INT64)])
    x = b.op("/transformer", "Add", [e, pos])
    for i in range(a.layers):
        x = b.block(i, x, a.seq)
    x = b.layernorm("/transformer/ln_f", x)
    logits = b.op("/lm_head", "MatMul", [x, b.weight("lm_head", [HIDDEN, VOCAB])])
    out = helper.make_tensor_value_info(logits, TensorProto.FLOAT, None)
    g = helper.make_graph(b.nodes, "gpt2_synthetic", [ids], [out], b.inits)
    m = helper.make_model(g, producer_name="opaudit-bench", opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.save(m, a.out)
    print(f"{a.out}: {len(b.nodes)} nodes, {a.layers} layers")


if __name__ == "__main__":
    main()
