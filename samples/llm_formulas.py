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


def decode_bytes_int4(m, batch, context, block, act_bytes=2, kv_bytes=2):
    """The genai form's decode step: every MatMulNBits weight and scale once, the fp16 embedding one
    row per sequence, the norms, and the cache as for fp16."""
    stored = m.int4_weight_bytes(block, scale_bytes=act_bytes, embed_bytes=act_bytes, norm_bytes=act_bytes)
    return stored - m.embed_params() * act_bytes + batch * m.d * act_bytes \
        + batch * context * m.kv_bytes_per_token(kv_bytes)


def context_limit_for_compute_bound(m, hw, wbytes=2, kv_bytes=2):
    """Largest context at which some batch still makes decode compute-bound: one sequence's MACs
    (weights + 2 L C d) take longer at peak than reading its C tokens of cache."""
    R = hw["flops_fp16"] / 2
    C = 1
    while True:
        M = m.decode_macs(1, C + 1)
        c = (C + 1) * m.kv_bytes_per_token(kv_bytes) + m.d * wbytes
        if M / R <= c / hw["bandwidth"]:
            return C
        C += 1


def scenario(hw=H100, context=4096, prompt=2048):
    """The README scenario and the 70B counterpart, with the arithmetic spelled out."""
    out = []
    w = out.append
    m = Llama(**CONFIGS["llama2-7b"])
    BW, R = hw["bandwidth"], hw["flops_fp16"] / 2
    kvpt = m.kv_bytes_per_token()
    wstep = m.decode_weight_bytes(1)
    w(f"Llama-2-7B fp16, {hw['name']}: {BW / 1e12} TB/s, {hw['flops_fp16'] / 1e12} TFLOPS fp16 "
      f"({R / 1e12} T MAC/s), {hw['dram_bytes']:,} bytes; context {context}")
    w(f"  weights read per step = ({m.params():,} - {m.embed_params():,} embedding) x 2 + 1 row x {m.d} x 2"
      f" = {wstep:,} B")
    w(f"  cache per step = {context} x {kvpt:,} = {context * kvpt:,} B (read {context - 1} tokens, append 1)")
    for B in (1, 2, 4, 8, 16, 32, 64):
        p = decode_point(m, hw, B, context)
        w(f"  batch {B:3}: {p['bytes']:,} B / {BW:.3g} = {p['t_mem'] * 1e3:.4f} ms; "
          f"{p['macs']:,} MAC / {R:.4g} = {p['t_compute'] * 1e3:.4f} ms -> {p['bound']}-bound, "
          f"{p['tokens_per_second']:.1f} tok/s ({p['tokens_per_second_per_sequence']:.1f} per sequence)")
    free = hw["dram_bytes"] - m.weight_bytes()
    w(f"  fit: ({hw['dram_bytes']:,} - {m.weight_bytes():,} weights) // {context * kvpt:,} = "
      f"{max_batch(m, hw, context)} sequences (80 GiB: "
      f"{(80 * 2**30 - m.weight_bytes()) // (context * kvpt)})")
    M1 = m.decode_macs(1, context)
    c1 = m.decode_bytes(1, context) - m.decode_bytes(0, context)
    w(f"  compute-bound batch: each sequence adds {M1:,} MAC = {M1 / R * 1e6:.2f} us at peak but "
      f"{c1:,} B = {c1 / BW * 1e6:.1f} us of cache reads; {compute_bound_batch(m, hw, context)}"
      f" (a batch turns compute-bound only while context <= {context_limit_for_compute_bound(m, hw)})")
    for C in (16, 32, 64):
        w(f"    at context {C}: compute-bound from batch {compute_bound_batch(m, hw, C)}")
    wonly = m.decode_weight_bytes(0) / BW / (m.linear_params() / R)
    w(f"  weights alone (no cache): compute-bound from batch {math.ceil(wonly)} "
      f"({m.decode_weight_bytes(0):,} B / BW over {m.linear_params():,} MAC / R)")
    pm = m.macs(1, prompt, 0)
    pb = m.decode_weight_bytes(prompt) + prompt * kvpt
    w(f"  prefill {prompt}: {pm:,} MAC / R = {pm / R * 1e3:.3f} ms; bytes {pb:,} / BW = "
      f"{pb / BW * 1e3:.3f} ms -> TTFT {max(pm / R, pb / BW) * 1e3:.3f} ms")

    for block in (32, 128):
        b1 = decode_bytes_int4(m, 1, context, block)
        w(f"  int4 block {block} (genai form, fp16 scales/embedding/cache): weights {m.int4_weight_bytes(block):,} B;"
          f" batch 1 step {b1:,} B -> {BW / b1:.1f} tok/s")

    m = Llama(**CONFIGS["llama2-70b"])
    kvpt = m.kv_bytes_per_token()
    w(f"Llama-2-70B (GQA 64/8), context {context}: params {m.params():,}, fp16 weights {m.weight_bytes():,} B"
      f" > {hw['dram_bytes']:,}: does not fit one device")
    for block in (32, 128):
        sb = m.int4_weight_bytes(block)
        free = hw["dram_bytes"] - sb
        b1 = decode_bytes_int4(m, 1, context, block)
        w(f"  int4 block {block}: weights {sb:,} B; max batch {free // (context * kvpt)}; batch 1 step "
          f"{b1:,} B -> {BW / b1:.1f} tok/s")
    half = (m.weight_bytes() // 2, context * kvpt // 2)
    w(f"  fp16 on 2 devices (tensor parallel, weights and cache split evenly, no communication cost): "
      f"{half[0]:,} B weights per device, max batch {(hw['dram_bytes'] - half[0]) // half[1]}, batch 1 "
      f"{BW / (m.decode_bytes(1, context) / 2):.1f} tok/s")
    p = decode_point(m, hw, 1, context)
    w(f"  fp16 batch 1 (as if it fit): {p['bytes']:,} B -> {p['tokens_per_second']:.2f} tok/s; "
      f"compute-bound batch {compute_bound_batch(m, hw, context)}")
    return "\n".join(out)


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
    ap.add_argument("--scenario", action="store_true", help="the README scenario with its arithmetic")
    a = ap.parse_args()
    if a.scenario:
        print(scenario(context=a.context, prompt=a.prompt))
        return
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
