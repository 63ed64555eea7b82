#!/usr/bin/env bash
# Reproducible benchmarks for bench/RESULTS.md. Times opaudit beside its
# baselines on every benchmark model with hyperfine (warmup runs first, so all
# files are in the page cache) and measures peak RSS with /usr/bin/time -v.
# Raw hyperfine JSON and the RSS log go to bench/results/ (git-ignored with the
# models); the summary tables are printed to stdout.
#
# Usage: bench/run.sh [quick]     (quick: fewer runs, no Python baseline on 1M nodes)
# Needs: scripts/install-deps bench (hyperfine, python3-torch, python3-torchvision)
#        and a build in build/ (cmake -S . -B build -G Ninja && cmake --build build).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
OPAUDIT=build/opaudit
NAIVE=build/naive_parse
PY=/usr/bin/python3
out=bench/results
mkdir -p "$out"

cmake --build build --target opaudit naive_parse >/dev/null
for m in vgg16 transformer_1k transformer_10k transformer_100k transformer_1M; do
  [ -f bench/models/$m.onnx ] || { $PY bench/make_models.py; break; }
done

# The machine is shared: wait (up to QUIET_WAIT seconds, default 600) until
# the CPUs are at least 80% idle over 2 s before measuring.
idle_pct() {
  local a b c d e i1 t1
  read -r _ a b c d e _ </proc/stat
  t1=$((a + b + c + d + e)) i1=$d
  sleep 2
  read -r _ a b c d e _ </proc/stat
  echo $((100 * (d - i1) / (a + b + c + d + e - t1)))
}
waited=0
idle=$(idle_pct)
while [ "$idle" -lt 80 ] && [ "$waited" -lt "${QUIET_WAIT:-600}" ]; do
  sleep 8
  waited=$((waited + 10))
  idle=$(idle_pct)
done

echo "## machine"
echo "- nproc: $(nproc)"
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "- RAM: $(free -g | awk '/^Mem:/ {print $2}') GiB"
echo "- kernel: $(uname -r)"
echo "- before the run: load $(cut -d' ' -f1-3 /proc/loadavg), CPUs ${idle}% idle over 2 s (waited ${waited} s)"
echo

rss() { # label, command... : peak RSS in MB of one run
  local f
  f=$(mktemp)
  /usr/bin/time -v "${@:2}" >/dev/null 2>"$f" || true
  awk -v l="$1" '/Maximum resident set size/ {printf "%s %.1f\n", l, $NF/1024}' "$f" | tee -a "$out/rss.txt"
  rm -f "$f"
}

: >"$out/rss.txt"
for m in vgg16 transformer_1k transformer_10k transformer_100k transformer_1M; do
  f=bench/models/$m.onnx
  runs=10
  case $m in transformer_1M) runs=3 ;; esac
  [ -n "$quick" ] && runs=3
  cmds=(-n opaudit "$OPAUDIT analyze $f -q" -n naive_parse "$NAIVE $f" -n cat "cat $f")
  if [ -z "$quick" ] || [ "$m" != transformer_1M ]; then
    pyruns=$runs
    case $m in transformer_1M | transformer_100k | vgg16) pyruns=3 ;; esac
    hyperfine -N --warmup 1 --runs "$pyruns" --export-json "$out/$m.python.json" \
      -n onnx_python "$PY bench/onnx_baseline.py $f" >/dev/null
    rss "$m onnx_python" $PY bench/onnx_baseline.py "$f"
  fi
  hyperfine -N --warmup 2 --runs "$runs" --export-json "$out/$m.json" "${cmds[@]}" >/dev/null
  rss "$m opaudit" $OPAUDIT analyze "$f" -q
  rss "$m naive_parse" $NAIVE "$f"
  rss "$m cat" cat "$f"
done

# Worst case for a mapped reader: a freshly written file, whose page cache
# holds large folios (a touched byte maps up to 2 MiB). Measured on a copy.
cp_fresh=bench/models/vgg16_fresh.onnx
$PY -c "import shutil, sys; shutil.copyfileobj(open(sys.argv[1], 'rb'), open(sys.argv[2], 'wb'), 1 << 24)" \
  bench/models/vgg16.onnx "$cp_fresh"
rss "vgg16_freshly_written opaudit" $OPAUDIT analyze "$cp_fresh" -q
rm -f "$cp_fresh"

# Zoo: every sample alone, then all of them in one parallel run.
samples=(samples/models/*.onnx)
single=()
for s in "${samples[@]}"; do single+=(-n "$(basename "$s")" "$OPAUDIT analyze $s -q"); done
hyperfine -N --warmup 3 --runs 20 --export-json "$out/zoo_single.json" "${single[@]}" >/dev/null
hyperfine -N --warmup 3 --runs 20 --export-json "$out/zoo.json" \
  -n zoo "$OPAUDIT analyze ${samples[*]} -q" -n zoo_j1 "$OPAUDIT analyze ${samples[*]} -q -j 1" >/dev/null

$PY bench/summarize.py "$out"
echo
echo "- after the run: load $(cut -d' ' -f1-3 /proc/loadavg), CPUs $(idle_pct)% idle over 2 s"
