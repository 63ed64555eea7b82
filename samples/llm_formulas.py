#!/usr/bin/python3
"""Analytic cost formulas for a Llama-architecture decoder, the reference that
opaudit's `llm` command is checked against (docs/llm.md derives each term).

A configuration is L layers, hidden d, h query heads, h_kv key/value heads,
head dim d/h, MLP intermediate f and vocabulary V, with untied embedding and
lm_head (as Llama-2). All counts are exact integers; MACs count one per
multiply-accumulate of the MatMuls, as opaudit's `macs` convention does, and
the attention terms are those the exported graph computes (the full n x T
score matrix, not a causal half).

Run it to print the figures that docs/llm.md quotes:

    /usr/bin/python3 samples/llm_formulas.py [--json]
"""

import argparse
import json
import math

# Shapes of the configurations that samples/make_llama.py builds.
CONFIGS = {
    "tiny": dict(layers=2, hidden=64, heads=4, kv_heads=2, inter=172, vocab=128, max_pos=256),
    "tiny-mha": dict(layers=2, hidden=64, heads=4, kv_heads=4, inter=172, vocab=128, max_pos=256),
    "llama2-7b": dict(layers=32, hidden=4096, heads=32, kv_heads=32, inter=11008, vocab=32000, max_pos=4096),
    "llama2-70b": dict(layers=80, hidden=8192, heads=64, kv_heads=8, inter=28672, vocab=32000, max_pos=4096),
}

# The README's H100-class profile: HBM bandwidth, dense fp16 tensor peak, capacity.
H100 = dict(name="H100-class", bandwidth=3.35e12, flops_fp16=989.4e12, dram_bytes=80 * 10**9)


class Llama:
    def __init__(self, layers, hidden, heads, kv_heads, inter, vocab, max_pos=4096):
        assert hidden % heads == 0 and heads % kv_heads == 0
        self.L, self.d, self.h, self.h_kv, self.f, self.V = layers, hidden, heads, kv_heads, inter, vocab
        self.max_pos = max_pos
        self.hd = hidden // heads  # head dim
        self.d_kv = kv_heads * self.hd  # width of the K and V projections

    # ---- parameters --------------------------------------------------------------------------
    def layer_linear_params(self):
        """q, k, v, o projections and the three SwiGLU matrices of one layer."""
        return 2 * self.d * self.d + 2 * self.d * self.d_kv + 3 * self.d * self.f

    def linear_params(self):
        """Every MatMul weight: the layers' projections plus lm_head (d x V)."""
        return self.L * self.layer_linear_params() + self.d * self.V

    def norm_params(self):
        return (2 * self.L + 1) * self.d

    def embed_params(self):
        return self.V * self.d

    def params(self):
        return self.embed_params() + self.linear_params() + self.norm_params()

    # ---- MACs --------------------------------------------------------------------------------
    def macs(self, batch, n, past):
        """Prefill (or any step) of n new tokens per sequence on top of `past` cached ones."""
        T = past + n
        per_seq = n * self.linear_params() + self.L * 2 * n * T * self.d
        return batch * per_seq

    def attention_macs(self, batch, n, past):
        """QK^T and AV: h heads x n queries x T keys x hd, twice, per layer (= 2 n T d)."""
        return batch * self.L * 2 * n * (past + n) * self.d

    def decode_macs(self, batch, context):
        """One new token per sequence whose attention spans `context` positions (past = context - 1)."""
        return self.macs(batch, 1, context - 1)

    # ---- bytes -------------------------------------------------------------------------------
    def kv_bytes_per_token(self, kv_bytes=2):
        """K and V, every layer, one token of one sequence."""
        return 2 * self.L * self.h_kv * self.hd * kv_bytes

    def weight_bytes(self, wbytes=2):
        """All weights as stored at a uniform width (fp16: 2)."""
        return self.params() * wbytes

    def decode_weight_bytes(self, batch, wbytes=2):
        """Weights read once per step; the embedding Gather reads one row per sequence."""
        return (self.params() - self.embed_params()) * wbytes + batch * self.d * wbytes

    def decode_bytes(self, batch, context, wbytes=2, kv_bytes=2):
        """Weights once + the cache read once (context - 1 tokens) + one token appended, per sequence."""
        return self.decode_weight_bytes(batch, wbytes) + batch * context * self.kv_bytes_per_token(kv_bytes)

    def int4_weight_bytes(self, block, scale_bytes=2, quantize_lm_head=True, embed_bytes=2, norm_bytes=2):
        """Stored bytes of the MatMulNBits form: each N x K weight is N*ceil(K/block)*(block/2)
        packed bytes plus N*ceil(K/block) scales; embedding and norms stay at embed/norm width."""
        def nbits(K, N):
            nb = -(-K // block)
            return N * nb * (block // 2) + N * nb * scale_bytes

        d, d_kv, f = self.d, self.d_kv, self.f
        layer = nbits(d, d) + 2 * nbits(d, d_kv) + nbits(d, d) + 2 * nbits(d, f) + nbits(f, d)
        head = nbits(d, self.V) if quantize_lm_head else d * self.V * embed_bytes
        return self.L * layer + head + self.embed_params() * embed_bytes + self.norm_params() * norm_bytes


def decode_point(m, hw, batch, context, wbytes=2, kv_bytes=2):
    macs = m.decode_macs(batch, context)
    nbytes = m.decode_bytes(batch, context, wbytes, kv_bytes)
    t_mem = nbytes / hw["bandwidth"]
    t_cmp = 2 * macs / hw["flops_fp16"]
    t = max(t_mem, t_cmp)
    return dict(batch=batch, context=context, macs=macs, bytes=nbytes, t_mem=t_mem, t_compute=t_cmp,
                latency=t, bound="memory" if t_mem >= t_cmp else "compute",
                tokens_per_second=batch / t, tokens_per_second_per_sequence=1 / t)


def max_batch(m, hw, context, wbytes=2, kv_bytes=2):
    """Largest batch whose weights (all, resident) plus KV cache at `context` fit in device memory.
    Decode activations are left out: they are a few hidden vectors and one row of logits per sequence."""
    free = hw["dram_bytes"] - m.weight_bytes(wbytes)
    return max(0, free // (context * m.kv_bytes_per_token(kv_bytes)))


def compute_bound_batch(m, hw, context, wbytes=2, kv_bytes=2):
    """Smallest batch whose decode step is compute-bound, or None when none is: each sequence adds
    M MACs and c cache bytes, so the step is compute-bound once B*(M/R - c/BW) >= W/BW, which has
    a solution only when one sequence's compute time M/R exceeds its cache-read time c/BW."""
    R = hw["flops_fp16"] / 2  # MAC/s
    M = m.decode_macs(1, context)
    c = m.decode_bytes(1, context, wbytes, kv_bytes) - m.decode_bytes(0, context, wbytes, kv_bytes)
    W = m.decode_bytes(0, context, wbytes, kv_bytes)
    slope = M / R - c / hw["bandwidth"]
    if slope <= 0:
        return None
    return math.ceil((W / hw["bandwidth"]) / slope)


def summary(name, hw=H100, context=4096, prompt=2048):
    m = Llama(**CONFIGS[name])
    kvpt = m.kv_bytes_per_token()
    return {
        "config": name,
        "params": m.params(),
        "params_embed": m.embed_params(),
        "params_linear": m.linear_params(),
        "params_norm": m.norm_params(),
        "weight_bytes_fp16": m.weight_bytes(),
        "weight_bytes_int4_b32": m.int4_weight_bytes(32),
        "weight_bytes_int4_b128": m.int4_weight_bytes(128),
        "kv_bytes_per_token_fp16": kvpt,
        "kv_bytes_at_context_fp16": kvpt * context,
        "prefill_macs": m.macs(1, prompt, 0),
        "prefill_attention_macs": m.attention_macs(1, prompt, 0),
        "decode_macs_per_token": m.decode_macs(1, context),
        "decode_bytes_batch1": m.decode_bytes(1, context),
        "decode_batch1": decode_point(m, hw, 1, context),
        "max_batch": max_batch(m, hw, context),
        "compute_bound_batch": compute_bound_batch(m, hw, context),
        "ttft_seconds": 2 * m.macs(1, prompt, 0) / hw["flops_fp16"],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--context", type=int, default=4096)
    ap.add_argument("--prompt", type=int, default=2048)
    a = ap.parse_args()
    rows = [summary(n, context=a.context, prompt=a.prompt) for n in CONFIGS]
    if a.json:
        print(json.dumps(rows, indent=1))
        return
    for r in rows:
        print(f"== {r['config']}")
        for k, v in r.items():
            if k != "config":
                print(f"  {k:28} {v:,}" if isinstance(v, int) else f"  {k:28} {v}")


if __name__ == "__main__":
    main()
