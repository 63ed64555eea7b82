#!/usr/bin/python3
"""Count a make_llama.py decoder's MACs from the shapes ONNX Runtime actually produces, and compare
them with the analytic formula of samples/llm_formulas.py: an executed check that the generated graph
is the decoder the formula describes, independent of opaudit's shape inference.

The model is copied beside itself (so its external .weights still resolve) with the inputs and
outputs of every MatMul, MatMulNBits and GroupQueryAttention added as graph outputs, run through
scripts/ort-run-decoder, and deleted. MACs are output elements x K for MatMul and MatMulNBits, and
2 x batch x n x T x (h x head_dim) (QK^T and AV) for GroupQueryAttention.

    /usr/bin/python3 samples/llama_macs_probe.py OUT/tiny_hf_fp32.onnx [--bind B,S,P]...
Exit 0 when every binding's count equals the formula.
"""
import json
import subprocess
import sys
from pathlib import Path

import onnx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from llm_formulas import CONFIGS, Llama  # noqa: E402


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = Path(sys.argv[1])
    manifest = json.loads(path.with_suffix(".json").read_text())
    llama = Llama(**CONFIGS[manifest["config"]])
    m = onnx.load(str(path), load_external_data=False)
    inits = {t.name for t in m.graph.initializer}
    have = {o.name for o in m.graph.output}
    probes = []
    for n in m.graph.node:
        if n.op_type in ("MatMul", "MatMulNBits", "GroupQueryAttention"):
            probes += [x for x in (n.input[0], n.output[0]) if x and x not in inits]
    for x in dict.fromkeys(probes):
        if x not in have:
            m.graph.output.append(onnx.helper.make_empty_tensor_value_info(x))
    probe = path.with_name(path.stem + ".probe.onnx")
    onnx.save(m, str(probe))
    try:
        run = subprocess.run([str(HERE.parent / "scripts" / "ort-run-decoder"), str(probe)] + sys.argv[2:],
                             capture_output=True, text=True)
    finally:
        probe.unlink()
    if run.returncode not in (0, 1) or not run.stdout:
        sys.exit(f"ort-run-decoder failed:\n{run.stderr}")
    ok = True
    for line in run.stdout.splitlines():
        d = json.loads(line)
        shape = {k: v["dims"] for k, v in d["outputs"].items()}
        b = d["binding"]
        macs = 0
        for n in m.graph.node:
            if n.op_type in ("MatMul", "MatMulNBits"):
                out = 1
                for v in shape[n.output[0]]:
                    out *= v
                k = shape[n.input[0]][-1]
                macs += out * k
            elif n.op_type == "GroupQueryAttention":
                bb, nn, hidden = shape[n.output[0]]
                macs += 2 * bb * nn * shape[n.output[1]][2] * hidden
        want = llama.macs(b["batch"], b["sequence_length"], b["past_sequence_length"])
        ok &= macs == want
        print(f"{path.name} batch={b['batch']} sequence={b['sequence_length']} past={b['past_sequence_length']}: "
              f"executed {macs:,} MACs, formula {want:,} {'equal' if macs == want else 'DIFFERENT'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
