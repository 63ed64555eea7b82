#!/usr/bin/env bash
# Times `opaudit graph` on the synthetic GPT-2-style exports (12 layers, ~1,600
# nodes; 37 layers, ~5,000 nodes) and on samples/models/swin_t.onnx, with
# default hiding, every node shown, and repeats folded. Prints a Markdown table
# for bench/RESULTS.md. Usage: bench/graph-timings.sh build/opaudit
# The pictures are drawn unbounded and unwrapped (--max-size 0 --parts 1): the
# table times one layout, and --show-constants pictures are far over any bound.
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/make_transformer.py" "$tmp/gpt2_12.onnx" --layers 12 >/dev/null
/usr/bin/python3 "$here/make_transformer.py" "$tmp/gpt2_37.onnx" --layers 37 >/dev/null
echo "| model | nodes | options | boxes drawn | SVG bytes | wall time |"
echo "| --- | ---: | --- | ---: | ---: | ---: |"
for m in "$tmp/gpt2_12.onnx" "$tmp/gpt2_37.onnx" "$here/../samples/models/swin_t.onnx"; do
  nodes=$("$bin" analyze -q -f csv "$m" | tail -n +2 | wc -l)
  for opt in "" "--show-constants" "--collapse-repeats"; do
    start=$(date +%s.%N)
    "$bin" graph "$m" -o "$tmp/out.svg" --max-size 0 --parts 1 $opt
    end=$(date +%s.%N)
    boxes=$(grep -c 'class="node"' "$tmp/out.svg")
    printf '| %s | %s | %s | %s | %s | %.2f s |\n' "$(basename "$m")" "$nodes" "${opt:-(default)}" \
      "$boxes" "$(stat -c %s "$tmp/out.svg")" "$(echo "$end - $start" | bc)"
  done
done
