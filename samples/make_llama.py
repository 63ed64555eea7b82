#!/usr/bin/python3
"""Build Llama-architecture decoder graphs with a KV cache, for opaudit's `llm` tests and bench.

Two forms of the same decoder, both written with onnx.helper (no torch):

  hf     The graph a torch.onnx export of a Hugging Face LlamaForCausalLM gives with optimum's
         naming: inputs input_ids [batch_size, sequence_length], attention_mask [batch_size,
         total_sequence_length], position_ids [batch_size, sequence_length] and
         past_key_values.N.key/.value [batch_size, h_kv, past_sequence_length, d/h]; outputs logits
         and present.N.key/.value [batch_size, h_kv, total_sequence_length, d/h]. RMSNorm is
         decomposed as HF's LlamaRMSNorm exports (Pow, ReduceMean, Add, Sqrt, Div, Mul, with the
         fp32 Casts) or, with --norm simplified, one SimplifiedLayerNormalization (default domain, as
         onnxruntime registers it). Rotary embedding is decomposed (cos/sin from position_ids,
         rotate_half with Slice/Neg/Concat), the causal mask is built from attention_mask, the new
         K/V are concatenated to the past ones, and with h_kv < h they are repeated with
         Unsqueeze/Expand/Reshape as HF's repeat_kv exports. SwiGLU MLP, untied lm_head.
  genai  The graph onnxruntime-genai's model builder writes for the same model at int4: MatMulNBits
         (com.microsoft, bits 4, block 32 or 128, symmetric, uint8 B [N, ceil(K/block), block/2],
         scales [N, ceil(K/block)]) for every projection and lm_head, packed QKV by default,
         GroupQueryAttention (com.microsoft) with rotary inside (cos/sin caches [max_pos, d/h/2]),
         seqlens_k and total_sequence_length from attention_mask, SimplifiedLayerNormalization
         first and SkipSimplifiedLayerNormalization (com.microsoft) after; no position_ids input.

Weights are EXTERNAL, in <model>.weights next to the model, 4096-aligned like samples/:
  --weights random   real values (a normal draw seeded per weight name, so both forms of one
                     configuration hold the same logical weights); for the small configurations
                     that onnxruntime runs.
  --weights sparse   the file is created at its full length with truncate(): a hole, no disk used.
  --weights absent   the file is not written (like samples/models/*.weights).
With --int4-roundtrip B the hf form stores each projection as its int4 block-B dequantized value,
so the hf and genai forms compute the same function and their outputs can be compared.

    /usr/bin/python3 samples/make_llama.py --config tiny --form hf --dtype fp32 -o out/tiny.onnx
    /usr/bin/python3 samples/make_llama.py --all OUTDIR      # the standard set (see STANDARD)

Each model gets a <model>.json manifest: its configuration and the analytic figures of
samples/llm_formulas.py that a test compares opaudit's output with.
"""

import argparse
import json
import math
import sys
import zlib
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, str(Path(__file__).resolve().parent))
from llm_formulas import CONFIGS, Llama  # noqa: E402

EPS = 1e-5  # Llama-2's rms_norm_eps
THETA = 10000.0  # rope_theta
ALIGN = 4096
SEED = 0
DTYPES = {"fp32": TensorProto.FLOAT, "fp16": TensorProto.FLOAT16}
NP = {TensorProto.FLOAT: np.float32, TensorProto.FLOAT16: np.float16, TensorProto.UINT8: np.uint8,
      TensorProto.INT64: np.int64}
I64 = TensorProto.INT64

# --all: (file stem, config, form, dtype, weights, extra options)
STANDARD = [
    ("tiny_hf_fp32", "tiny", "hf", "fp32", "random", {}),
    ("tiny_hf_fp16", "tiny", "hf", "fp16", "random", {}),
    ("tiny_hf_fp16_sln", "tiny", "hf", "fp16", "random", {"norm": "simplified"}),
    ("tiny_mha_hf_fp32", "tiny-mha", "hf", "fp32", "random", {}),
    ("tiny_hf_fp32_q4", "tiny", "hf", "fp32", "random", {"int4_roundtrip": 32}),
    ("tiny_genai_int4_fp32", "tiny", "genai", "fp32", "random", {"block_size": 32}),
    ("tiny_genai_int4_fp16", "tiny", "genai", "fp16", "random", {"block_size": 32}),
    ("tiny_genai_int4_fp32_unpacked_b128", "tiny", "genai", "fp32", "random",
     {"block_size": 128, "packed_qkv": False}),
    ("llama2_7b_hf_fp16", "llama2-7b", "hf", "fp16", "sparse", {}),
    ("llama2_7b_genai_int4_fp16", "llama2-7b", "genai", "fp16", "sparse", {"block_size": 32}),
    ("llama2_70b_hf_fp16", "llama2-70b", "hf", "fp16", "sparse", {}),
    ("llama2_70b_genai_int4_fp16", "llama2-70b", "genai", "fp16", "sparse", {"block_size": 128}),
]


# ------------------------------------------------------------------------------------------------
# Weights
# ------------------------------------------------------------------------------------------------

def logical_weight(name, shape, kind):
    """The same values for a name in every form: linears ~ N(0, 1/K), embeddings N(0, 1), norms ~ 1."""
    rng = np.random.default_rng([SEED, zlib.crc32(name.encode())])
    x = rng.standard_normal(shape, dtype=np.float32)
    if kind == "norm":
        return 1.0 + 0.1 * x
    if kind == "linear":  # torch layout [out, in]
        return x / np.float32(math.sqrt(shape[1]))
    return x


def quantize_int4(w, block, scale_dtype):
    """Symmetric block quantization of a torch-layout [N, K] weight along K, as MatMulNBits stores
    it: codes q in 0..15 with the default zero point 8, two per byte, low nibble first.
    Returns (packed uint8 [N, nb, block/2], scales [N, nb], dequantized float32 [N, K])."""
    N, K = w.shape
    nb = -(-K // block)
    wp = np.zeros((N, nb * block), np.float32)
    wp[:, :K] = w
    wp = wp.reshape(N, nb, block)
    scale = np.abs(wp).max(axis=-1) / 7.0
    scale[scale == 0] = 1.0
    scale = scale.astype(scale_dtype).astype(np.float32)  # quantize against the stored scale
    q = np.clip(np.rint(wp / scale[..., None]), -8, 7).astype(np.int32) + 8
    packed = (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)
    deq = ((q - 8) * scale[..., None]).reshape(N, nb * block)[:, :K]
    return packed, scale.astype(scale_dtype), deq


class Store:
    """Initializers as EXTERNAL references into one weights file; payloads are produced lazily so a
    sparse 70B-shaped model never materializes an array."""

    def __init__(self, location, mode):
        self.location, self.mode = location, mode
        self.inits, self.payloads, self.size = [], [], 0

    def add(self, name, dims, dtype, fill):
        t = TensorProto(name=name, data_type=dtype, dims=dims)
        nbytes = int(np.prod(dims, dtype=np.int64)) * np.dtype(NP[dtype]).itemsize
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", self.location), ("offset", str(self.size)), ("length", str(nbytes))):
            e = t.external_data.add()
            e.key, e.value = k, v
        self.inits.append(t)
        self.payloads.append((self.size, nbytes, dims, NP[dtype], fill))
        self.size = (self.size + nbytes + ALIGN - 1) // ALIGN * ALIGN
        return name

    def write(self, path):
        if self.mode == "absent":
            return
        with open(path, "wb") as f:
            if self.mode == "random":
                for off, nbytes, dims, npt, fill in self.payloads:
                    a = np.ascontiguousarray(fill(), dtype=npt).reshape(dims)
                    assert a.nbytes == nbytes, (dims, a.shape)
                    f.seek(off)
                    f.write(a.tobytes())
            f.truncate(self.size)  # sparse mode: the whole file is one hole


# ------------------------------------------------------------------------------------------------
# Graph building
# ------------------------------------------------------------------------------------------------

class Graph:
    def __init__(self):
        self.nodes, self.names, self.consts = [], set(), {}

    def op(self, name, op, inputs, outputs=None, n_out=1, domain=None, **attrs):
        base, k = name, 0
        while name in self.names:
            k += 1
            name = f"{base}_{k}"
        self.names.add(name)
        outs = outputs if outputs is not None else [f"{name}/output_{i}" for i in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, domain=domain, **attrs))
        return outs[0] if len(outs) == 1 else outs

    def const(self, vals, dtype=I64, dims=None):
        """A Constant node (shared by value), as exporters write scalars and small shape vectors."""
        vals = list(vals) if isinstance(vals, (list, tuple)) else [vals]
        dims = [len(vals)] if dims is None else dims
        key = (tuple(vals), dtype, tuple(dims))
        if key not in self.consts:
            shape = "x".join(map(str, dims)) or "0D"
            name = f"/model/constants/{TensorProto.DataType.Name(dtype)}/{shape}/{len(self.consts)}"
            self.consts[key] = self.op(name, "Constant", [], outputs=[name],
                                       value=helper.make_tensor("value", dtype, dims, vals))
        return self.consts[key]

    def scalar(self, v, dtype):
        return self.const([v], dtype, [])

    def dim(self, scope, x, i):
        """Read dim i of x as a 1-D tensor, the exporter's Shape -> Gather -> Unsqueeze."""
        s = self.op(f"{scope}/Shape", "Shape", [x])
        g = self.op(f"{scope}/Gather", "Gather", [s, self.scalar(i, I64)], axis=0)
        return self.op(f"{scope}/Unsqueeze", "Unsqueeze", [g, self.const([0])])


class Decoder:
    def __init__(self, cfg, dtype, store, int4_roundtrip=None):
        self.m = Llama(**cfg)
        self.T = dtype
        self.np = NP[dtype]
        self.store = store
        self.g = Graph()
        self.roundtrip = int4_roundtrip

    def linear_logical(self, name, n_out, n_in):
        w = logical_weight(name, (n_out, n_in), "linear")
        if self.roundtrip:
            w = quantize_int4(w, self.roundtrip, self.np)[2]
        return w

    def io(self):
        m = self.m
        kv = ["batch_size", m.h_kv, "past_sequence_length", m.hd]
        kv_out = ["batch_size", m.h_kv, "total_sequence_length", m.hd]
        ins, outs = [], []
        for i in range(m.L):
            for t in ("key", "value"):
                ins.append(helper.make_tensor_value_info(f"past_key_values.{i}.{t}", self.T, kv))
                outs.append(helper.make_tensor_value_info(f"present.{i}.{t}", self.T, kv_out))
        return ins, outs

    def embedding(self):
        m = self.m
        w = self.store.add("model.embed_tokens.weight", [m.V, m.d], self.T,
                           lambda: logical_weight("model.embed_tokens.weight", (m.V, m.d), "embed"))
        return self.g.op("/model/embed_tokens/Gather", "Gather", [w, "input_ids"], axis=0)

    def norm_weight(self, name):
        d = self.m.d
        return self.store.add(name, [d], self.T, lambda: logical_weight(name, (d,), "norm"))


class HfDecoder(Decoder):
    """The optimum-style export of LlamaForCausalLM."""

    def __init__(self, cfg, dtype, store, norm="decomposed", int4_roundtrip=None):
        super().__init__(cfg, dtype, store, int4_roundtrip)
        self.norm = norm
        self.fp16 = dtype == TensorProto.FLOAT16

    def matmul(self, scope, x, name, n_in, n_out, outputs=None):
        """x @ W with W stored [in, out], the transposed torch Linear weight an export writes."""
        w = self.store.add(name, [n_in, n_out], self.T,
                           lambda: self.linear_logical(name, n_out, n_in).T)
        return self.g.op(f"{scope}/MatMul", "MatMul", [x, w], outputs=outputs)

    def rmsnorm(self, scope, x, wname):
        g, F = self.g, TensorProto.FLOAT
        w = self.norm_weight(wname)
        if self.norm == "simplified":
            return g.op(f"{scope}/SimplifiedLayerNormalization", "SimplifiedLayerNormalization", [x, w],
                        axis=-1, epsilon=EPS, stash_type=1)
        xf = g.op(f"{scope}/Cast", "Cast", [x], to=F) if self.fp16 else x
        p = g.op(f"{scope}/Pow", "Pow", [xf, g.scalar(2.0, F)])
        v = g.op(f"{scope}/ReduceMean", "ReduceMean", [p], axes=[-1], keepdims=1)
        e = g.op(f"{scope}/Add", "Add", [v, g.scalar(EPS, F)])
        s = g.op(f"{scope}/Sqrt", "Sqrt", [e])
        r = g.op(f"{scope}/Div", "Div", [g.scalar(1.0, F), s])
        y = g.op(f"{scope}/Mul", "Mul", [xf, r])
        if self.fp16:
            y = g.op(f"{scope}/Cast_1", "Cast", [y], to=self.T)
        return g.op(f"{scope}/Mul_1", "Mul", [w, y])

    def rotary(self):
        """cos/sin [b, 1, n, hd] from position_ids; inv_freq = 1 / theta^(arange(0, hd, 2) / hd) is
        computed in the graph from scalars, so the only parameters are the model's weights."""
        g, F, hd = self.g, TensorProto.FLOAT, self.m.hd
        s = "/model/rotary_emb"
        r = g.op(f"{s}/Range", "Range", [g.scalar(0, I64), g.scalar(hd, I64), g.scalar(2, I64)])
        r = g.op(f"{s}/Cast", "Cast", [r], to=F)
        r = g.op(f"{s}/Div", "Div", [r, g.scalar(float(hd), F)])
        r = g.op(f"{s}/Pow", "Pow", [g.scalar(THETA, F), r])
        inv_freq = g.op(f"{s}/Reciprocal", "Reciprocal", [r])
        pos = g.op(f"{s}/Cast_1", "Cast", ["position_ids"], to=F)
        pos = g.op(f"{s}/Unsqueeze", "Unsqueeze", [pos, g.const([-1])])
        freqs = g.op(f"{s}/Mul", "Mul", [pos, inv_freq])
        emb = g.op(f"{s}/Concat", "Concat", [freqs, freqs], axis=-1)
        out = []
        for fn in ("Cos", "Sin"):
            c = g.op(f"{s}/{fn}", fn, [emb])
            if self.fp16:
                c = g.op(f"{s}/Cast_{fn}", "Cast", [c], to=self.T)
            out.append(g.op(f"{s}/Unsqueeze_{fn}", "Unsqueeze", [c, g.const([1])]))
        return out

    def causal_mask(self):
        """Float32 [b, 1, n, T] additive mask: a key is hidden when it is after the query's position
        (p + i) or padded in attention_mask."""
        g, F = self.g, TensorProto.FLOAT
        s = "/model/causal_mask"
        n = g.op(f"{s}/Gather", "Gather", [g.op(f"{s}/Shape", "Shape", ["input_ids"]), g.scalar(1, I64)], axis=0)
        T = g.op(f"{s}/Gather_1", "Gather", [g.op(f"{s}/Shape_1", "Shape", ["attention_mask"]),
                                              g.scalar(1, I64)], axis=0)
        p = g.op(f"{s}/Sub", "Sub", [T, n])
        rows = g.op(f"{s}/Range", "Range", [g.scalar(0, I64), n, g.scalar(1, I64)])
        rows = g.op(f"{s}/Add", "Add", [rows, p])
        cols = g.op(f"{s}/Range_1", "Range", [g.scalar(0, I64), T, g.scalar(1, I64)])
        later = g.op(f"{s}/Greater", "Greater", [g.op(f"{s}/Unsqueeze", "Unsqueeze", [cols, g.const([0])]),
                                                 g.op(f"{s}/Unsqueeze_1", "Unsqueeze", [rows, g.const([1])])])
        pad = g.op(f"{s}/Equal", "Equal", ["attention_mask", g.scalar(0, I64)])
        pad = g.op(f"{s}/Unsqueeze_2", "Unsqueeze", [pad, g.const([1, 2])])
        hidden = g.op(f"{s}/Or", "Or", [later, pad])
        return g.op(f"{s}/Where", "Where", [hidden, g.scalar(float(np.finfo(np.float32).min), F),
                                            g.scalar(0.0, F)])

    def heads(self, scope, x, n_heads):
        g, hd = self.g, self.m.hd
        shape = g.op(f"{scope}/Concat", "Concat", [g.dim(scope, x, 0), g.dim(scope, x, 1),
                                                   g.const([n_heads]), g.const([hd])], axis=0)
        r = g.op(f"{scope}/Reshape", "Reshape", [x, shape])
        return g.op(f"{scope}/Transpose", "Transpose", [r], perm=[0, 2, 1, 3])

    def rope(self, scope, x, cos, sin):
        g, half = self.g, self.m.hd // 2
        x1 = g.op(f"{scope}/Slice", "Slice", [x, g.const([0]), g.const([half]), g.const([3])])
        x2 = g.op(f"{scope}/Slice_1", "Slice", [x, g.const([half]), g.const([2**63 - 1]), g.const([3])])
        rot = g.op(f"{scope}/Concat", "Concat", [g.op(f"{scope}/Neg", "Neg", [x2]), x1], axis=-1)
        return g.op(f"{scope}/Add", "Add", [g.op(f"{scope}/Mul", "Mul", [x, cos]),
                                            g.op(f"{scope}/Mul_1", "Mul", [rot, sin])])

    def repeat_kv(self, scope, x):
        """HF's repeat_kv: [b, h_kv, T, hd] -> [b, h_kv, rep, T, hd] -> [b, h, T, hd]."""
        g, m = self.g, self.m
        rep = m.h // m.h_kv
        b, t = g.dim(scope, x, 0), g.dim(scope, x, 2)
        u = g.op(f"{scope}/Unsqueeze", "Unsqueeze", [x, g.const([2])])
        e = g.op(f"{scope}/Expand", "Expand", [u, g.op(f"{scope}/Concat", "Concat", [
            b, g.const([m.h_kv]), g.const([rep]), t, g.const([m.hd])], axis=0)])
        return g.op(f"{scope}/Reshape", "Reshape", [e, g.op(f"{scope}/Concat_1", "Concat", [
            b, g.const([m.h]), t, g.const([m.hd])], axis=0)])

    def layer(self, i, x, cos, sin, mask):
        g, m, F = self.g, self.m, TensorProto.FLOAT
        s = f"/model/layers.{i}"
        p = f"model.layers.{i}"
        h = self.rmsnorm(f"{s}/input_layernorm", x, f"{p}.input_layernorm.weight")
        a = f"{s}/self_attn"
        q = self.matmul(f"{a}/q_proj", h, f"{p}.self_attn.q_proj.weight", m.d, m.d)
        k = self.matmul(f"{a}/k_proj", h, f"{p}.self_attn.k_proj.weight", m.d, m.d_kv)
        v = self.matmul(f"{a}/v_proj", h, f"{p}.self_attn.v_proj.weight", m.d, m.d_kv)
        q = self.rope(f"{a}/rotary_q", self.heads(f"{a}/q_heads", q, m.h), cos, sin)
        k = self.rope(f"{a}/rotary_k", self.heads(f"{a}/k_heads", k, m.h_kv), cos, sin)
        v = self.heads(f"{a}/v_heads", v, m.h_kv)
        k = g.op(f"{a}/Concat_past_key", "Concat", [f"past_key_values.{i}.key", k],
                 outputs=[f"present.{i}.key"], axis=2)
        v = g.op(f"{a}/Concat_past_value", "Concat", [f"past_key_values.{i}.value", v],
                 outputs=[f"present.{i}.value"], axis=2)
        if m.h_kv != m.h:
            k = self.repeat_kv(f"{a}/repeat_kv_key", k)
            v = self.repeat_kv(f"{a}/repeat_kv_value", v)
        kt = g.op(f"{a}/Transpose", "Transpose", [k], perm=[0, 1, 3, 2])
        w = g.op(f"{a}/MatMul", "MatMul", [q, kt])
        w = g.op(f"{a}/Div", "Div", [w, g.scalar(math.sqrt(m.hd), self.T)])
        if self.fp16:  # softmax(..., dtype=torch.float32).to(query.dtype)
            w = g.op(f"{a}/Cast", "Cast", [w], to=F)
        w = g.op(f"{a}/Add", "Add", [w, mask])
        w = g.op(f"{a}/Softmax", "Softmax", [w], axis=-1)
        if self.fp16:
            w = g.op(f"{a}/Cast_1", "Cast", [w], to=self.T)
        o = g.op(f"{a}/MatMul_1", "MatMul", [w, v])
        o = g.op(f"{a}/Transpose_1", "Transpose", [o], perm=[0, 2, 1, 3])
        shape = g.op(f"{a}/Concat", "Concat", [g.dim(a, o, 0), g.dim(a, o, 1), g.const([m.d])], axis=0)
        o = g.op(f"{a}/Reshape", "Reshape", [o, shape])
        o = self.matmul(f"{a}/o_proj", o, f"{p}.self_attn.o_proj.weight", m.d, m.d)
        x = g.op(f"{s}/Add", "Add", [x, o])
        h = self.rmsnorm(f"{s}/post_attention_layernorm", x, f"{p}.post_attention_layernorm.weight")
        mm = f"{s}/mlp"
        gate = self.matmul(f"{mm}/gate_proj", h, f"{p}.mlp.gate_proj.weight", m.d, m.f)
        up = self.matmul(f"{mm}/up_proj", h, f"{p}.mlp.up_proj.weight", m.d, m.f)
        act = g.op(f"{mm}/act_fn/Mul", "Mul", [gate, g.op(f"{mm}/act_fn/Sigmoid", "Sigmoid", [gate])])
        y = g.op(f"{mm}/Mul", "Mul", [act, up])
        y = self.matmul(f"{mm}/down_proj", y, f"{p}.mlp.down_proj.weight", m.f, m.d)
        return g.op(f"{s}/Add_1", "Add", [x, y])

    def build(self):
        g, m = self.g, self.m
        x = self.embedding()
        cos, sin = self.rotary()
        mask = self.causal_mask()
        for i in range(m.L):
            x = self.layer(i, x, cos, sin, mask)
        x = self.rmsnorm("/model/norm", x, "model.norm.weight")
        y = self.matmul("/lm_head", x, "lm_head.weight", m.d, m.V, outputs=None if self.fp16 else ["logits"])
        if self.fp16:  # logits = logits.float()
            g.op("/Cast", "Cast", [y], outputs=["logits"], to=TensorProto.FLOAT)
        ins = [helper.make_tensor_value_info("input_ids", I64, ["batch_size", "sequence_length"]),
               helper.make_tensor_value_info("attention_mask", I64, ["batch_size", "total_sequence_length"]),
               helper.make_tensor_value_info("position_ids", I64, ["batch_size", "sequence_length"])]
        outs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", m.V])]
        kv_in, kv_out = self.io()
        graph = helper.make_graph(g.nodes, "llama_decoder", ins + kv_in, outs + kv_out, self.store.inits)
        model = helper.make_model(graph, producer_name="opaudit-make_llama", producer_version="1",
                                  opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        return model


class GenaiDecoder(Decoder):
    """The onnxruntime-genai model builder's int4 graph of the same decoder."""

    def __init__(self, cfg, dtype, store, block_size=32, packed_qkv=True, accuracy_level=None):
        super().__init__(cfg, dtype, store)
        self.block = block_size
        self.packed = packed_qkv
        self.accuracy_level = accuracy_level

    def matmul_nbits(self, scope, x, names, n_in, outputs=None):
        """One MatMulNBits whose logical weight is the row-wise stack of `names` (torch layout)."""
        bs = self.block
        n_out = sum(n for _, n in names)
        nb = -(-n_in // bs)
        cache = {}

        def q():
            if "q" not in cache:
                w = np.concatenate([logical_weight(nm, (n, n_in), "linear") for nm, n in names])
                cache["q"] = quantize_int4(w, bs, self.np)
            return cache["q"]

        base = names[0][0] if len(names) == 1 else names[0][0].replace(".q_proj", ".qkv_proj")
        b = self.store.add(f"{base}.MatMulNBits.qweight", [n_out, nb, bs // 2], TensorProto.UINT8, lambda: q()[0])
        s = self.store.add(f"{base}.MatMulNBits.scales", [n_out, nb], self.T, lambda: q()[1])
        attrs = dict(K=n_in, N=n_out, bits=4, block_size=bs)
        if self.accuracy_level is not None:
            attrs["accuracy_level"] = self.accuracy_level
        return self.g.op(f"{scope}/MatMulNBits", "MatMulNBits", [x, b, s], outputs=outputs,
                         domain="com.microsoft", **attrs)

    def skip_norm(self, scope, x, skip, wname, with_sum=True):
        outs = [f"{scope}/output_0", "", "", f"{scope}/output_3"] if with_sum else [f"{scope}/output_0"]
        r = self.g.op(f"{scope}/SkipLayerNorm", "SkipSimplifiedLayerNormalization",
                      [x, skip, self.norm_weight(wname)], outputs=outs, domain="com.microsoft", epsilon=EPS)
        return (r[0], r[3]) if with_sum else r

    def rotary_caches(self):
        m = self.m
        inv = 1.0 / (THETA ** (np.arange(0, m.hd, 2, dtype=np.float32) / m.hd))
        freqs = np.outer(np.arange(m.max_pos, dtype=np.float32), inv)
        cos = self.store.add("cos_cache", [m.max_pos, m.hd // 2], self.T, lambda: np.cos(freqs))
        sin = self.store.add("sin_cache", [m.max_pos, m.hd // 2], self.T, lambda: np.sin(freqs))
        return cos, sin

    def build(self):
        g, m = self.g, self.m
        s = "/model/attn_mask_reformat/attn_mask_subgraph"
        rsum = g.op(f"{s}/ReduceSum", "ReduceSum", ["attention_mask", g.const([1])], keepdims=0)
        seqlens = g.op(f"{s}/Sub", "Sub", [rsum, g.scalar(1, I64)])
        seqlens = g.op(f"{s}/Sub/Cast", "Cast", [seqlens], to=TensorProto.INT32)
        total = g.op(f"{s}/Gather", "Gather", [g.op(f"{s}/Shape", "Shape", ["attention_mask"]), g.scalar(1, I64)],
                     axis=0)
        total = g.op(f"{s}/Gather/Cast", "Cast", [total], to=TensorProto.INT32)
        cos, sin = self.rotary_caches()

        x = self.embedding()
        res, down = x, None
        for i in range(m.L):
            p, sc = f"model.layers.{i}", f"/model/layers.{i}"
            if i == 0:
                h = g.op(f"{sc}/input_layernorm/LayerNorm", "SimplifiedLayerNormalization",
                         [x, self.norm_weight(f"{p}.input_layernorm.weight")], axis=-1, epsilon=EPS, stash_type=1)
            else:
                h, res = self.skip_norm(f"{sc}/input_layernorm", res, down, f"{p}.input_layernorm.weight")
            a = f"{sc}/attn"
            names = [(f"{p}.self_attn.q_proj.weight", m.d), (f"{p}.self_attn.k_proj.weight", m.d_kv),
                     (f"{p}.self_attn.v_proj.weight", m.d_kv)]
            if self.packed:
                qkv = [self.matmul_nbits(f"{a}/qkv_proj", h, names, m.d), "", ""]
            else:
                qkv = [self.matmul_nbits(f"{a}/{nm.split('.')[-2]}", h, [(nm, n)], m.d) for nm, n in names]
            o = g.op(f"{a}/GroupQueryAttention", "GroupQueryAttention",
                     qkv + [f"past_key_values.{i}.key", f"past_key_values.{i}.value", seqlens, total, cos, sin],
                     outputs=[f"{a}/GroupQueryAttention/output_0", f"present.{i}.key", f"present.{i}.value"],
                     domain="com.microsoft", num_heads=m.h, kv_num_heads=m.h_kv, scale=1.0 / math.sqrt(m.hd),
                     do_rotary=1, rotary_interleaved=0)[0]
            o = self.matmul_nbits(f"{a}/o_proj", o, [(f"{p}.self_attn.o_proj.weight", m.d)], m.d)
            h, res = self.skip_norm(f"{sc}/post_attention_layernorm", res, o, f"{p}.post_attention_layernorm.weight")
            mm = f"{sc}/mlp"
            gate = self.matmul_nbits(f"{mm}/gate_proj", h, [(f"{p}.mlp.gate_proj.weight", m.f)], m.d)
            up = self.matmul_nbits(f"{mm}/up_proj", h, [(f"{p}.mlp.up_proj.weight", m.f)], m.d)
            act = g.op(f"{mm}/act_fn/Mul", "Mul", [gate, g.op(f"{mm}/act_fn/Sigmoid", "Sigmoid", [gate])])
            y = g.op(f"{mm}/Mul", "Mul", [act, up])
            down = self.matmul_nbits(f"{mm}/down_proj", y, [(f"{p}.mlp.down_proj.weight", m.d)], m.f)
        h = self.skip_norm("/model/layers.final_norm_layernorm", res, down, "model.norm.weight", with_sum=False)
        self.matmul_nbits("/lm_head", h, [("lm_head.weight", m.V)], m.d, outputs=["logits"])

        ins = [helper.make_tensor_value_info("input_ids", I64, ["batch_size", "sequence_length"]),
               helper.make_tensor_value_info("attention_mask", I64, ["batch_size", "total_sequence_length"])]
        outs = [helper.make_tensor_value_info("logits", self.T, ["batch_size", "sequence_length", m.V])]
        kv_in, kv_out = self.io()
        graph = helper.make_graph(g.nodes, "main_graph", ins + kv_in, outs + kv_out, self.store.inits)
        model = helper.make_model(graph, producer_name="opaudit-make_llama (onnxruntime-genai form)",
                                  producer_version="1",
                                  opset_imports=[helper.make_opsetid("", 14), helper.make_opsetid("com.microsoft", 1)])
        model.ir_version = 7
        return model


# ------------------------------------------------------------------------------------------------

def manifest(name, cfg, form, dtype, weights, opts, store):
    m = Llama(**CONFIGS[cfg])
    wbytes = 2 if dtype == "fp16" else 4
    d = {
        "config": cfg, "form": form, "dtype": dtype, "weights": weights, "options": opts,
        "layers": m.L, "hidden": m.d, "heads": m.h, "kv_heads": m.h_kv, "head_dim": m.hd,
        "intermediate": m.f, "vocab": m.V, "max_position_embeddings": m.max_pos,
        "params": m.params(),
        "kv_bytes_per_token": m.kv_bytes_per_token(wbytes),
        "weights_file_bytes": store.size,
        "macs_expr": (f"batch*(sequence_length*{m.linear_params()}"
                      f" + {2 * m.L * m.d}*sequence_length*(past_sequence_length+sequence_length))"),
    }
    if form == "hf":
        d["weight_bytes"] = m.params() * wbytes
    else:
        d["weight_bytes"] = m.int4_weight_bytes(opts.get("block_size", 32), scale_bytes=wbytes,
                                                embed_bytes=wbytes, norm_bytes=wbytes)
        d["rotary_cache_elements"] = m.max_pos * m.hd  # cos_cache + sin_cache: tables, not weights
    return d


def build(out, cfg, form, dtype, weights, **opts):
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    location = out.stem + ".weights"
    store = Store(location, weights)
    T = DTYPES[dtype]
    if form == "hf":
        dec = HfDecoder(CONFIGS[cfg], T, store, norm=opts.get("norm", "decomposed"),
                        int4_roundtrip=opts.get("int4_roundtrip"))
    else:
        dec = GenaiDecoder(CONFIGS[cfg], T, store, block_size=opts.get("block_size", 32),
                           packed_qkv=opts.get("packed_qkv", True), accuracy_level=opts.get("accuracy_level"))
    model = dec.build()
    onnx.save(model, str(out))
    store.write(out.parent / location)
    if form == "hf" and opts.get("norm", "decomposed") == "decomposed":
        # Only the all-standard-ops form passes onnx's checker: onnx 1.12 knows neither the contrib
        # ops nor SimplifiedLayerNormalization in the default domain.
        onnx.checker.check_model(str(out), full_check=weights != "absent")
    man = manifest(out.stem, cfg, form, dtype, weights, opts, store)
    man["nodes"] = len(model.graph.node)
    (out.parent / (out.stem + ".json")).write_text(json.dumps(man, indent=1) + "\n")
    return man


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--out", help="output .onnx path (the .weights and .json go beside it)")
    ap.add_argument("--all", metavar="DIR", help="write the standard set (STANDARD) into DIR")
    ap.add_argument("--only", help="with --all: comma-separated stems to build")
    ap.add_argument("--config", choices=sorted(CONFIGS), default="tiny")
    ap.add_argument("--form", choices=["hf", "genai"], default="hf")
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="fp16")
    ap.add_argument("--weights", choices=["random", "sparse", "absent"], default=None,
                    help="default: random for tiny configurations, sparse otherwise")
    ap.add_argument("--norm", choices=["decomposed", "simplified"], default="decomposed")
    ap.add_argument("--int4-roundtrip", type=int, metavar="BLOCK")
    ap.add_argument("--block-size", type=int, default=32)
    ap.add_argument("--no-packed-qkv", action="store_true")
    ap.add_argument("--accuracy-level", type=int)
    a = ap.parse_args()
    if a.all:
        only = set(a.only.split(",")) if a.only else None
        for stem, cfg, form, dtype, weights, opts in STANDARD:
            if only is None or stem in only:
                man = build(Path(a.all) / f"{stem}.onnx", cfg, form, dtype, weights, **opts)
                print(f"{stem}: {man['nodes']} nodes, {man['params']:,} params, "
                      f"weights file {man['weights_file_bytes']:,} bytes ({weights})")
        return
    if not a.out:
        ap.error("give -o OUT.onnx or --all DIR")
    weights = a.weights or ("random" if a.config.startswith("tiny") else "sparse")
    if weights == "random" and Llama(**CONFIGS[a.config]).params() > 50_000_000:
        ap.error("--weights random writes every byte; use sparse for the large configurations")
    opts = {}
    if a.form == "hf":
        opts["norm"] = a.norm
        if a.int4_roundtrip:
            opts["int4_roundtrip"] = a.int4_roundtrip
    else:
        opts.update(block_size=a.block_size, packed_qkv=not a.no_packed_qkv)
        if a.accuracy_level is not None:
            opts["accuracy_level"] = a.accuracy_level
    man = build(a.out, a.config, a.form, a.dtype, weights, **opts)
    print(f"{a.out}: {man['nodes']} nodes, {man['params']:,} params, "
          f"weights file {man['weights_file_bytes']:,} bytes ({weights})")


if __name__ == "__main__":
    main()
