#!/usr/bin/python3
"""Turns bench/run.sh's raw results (hyperfine JSON, rss.txt) into the Markdown tables of
bench/RESULTS.md. Usage: bench/summarize.py bench/results
"""
import json
import os
import sys

out = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = ["vgg16", "transformer_1k", "transformer_10k", "transformer_100k", "transformer_1M"]
NODES = {"vgg16": None, "transformer_1k": 1_000, "transformer_10k": 10_000,
         "transformer_100k": 100_000, "transformer_1M": 1_000_000}
TOOLS = ["opaudit", "naive_parse", "onnx_python", "cat"]


def load(name):
    p = os.path.join(out, name + ".json")
    if not os.path.exists(p):
        return {}
    return {r["command"]: r for r in json.load(open(p))["results"]}


rss = {}
for line in open(os.path.join(out, "rss.txt")):
    *label, mb = line.split()
    rss[tuple(label)] = float(mb)


def ms(r):
    return "%.1f ± %.1f (min %.1f, n=%d)" % (1e3 * r["mean"], 1e3 * (r["stddev"] or 0),
                                           1e3 * r["min"], len(r["times"]))


print("## time (ms, mean ± sd over n runs after warmup) and peak RSS (MB)\n")
print("| model | size MB | " + " | ".join("%s ms | %s RSS" % (t, t) for t in TOOLS) + " |")
print("|---|---:|" + "---:|---:|" * len(TOOLS))
res = {}
for m in MODELS:
    r = load(m)
    r.update(load(m + ".python"))
    res[m] = r
    size = os.path.getsize(os.path.join(HERE, "models", m + ".onnx")) / 1e6
    cells = []
    for t in TOOLS:
        cells.append(ms(r[t]) if t in r else "not run")
        cells.append("%.1f" % rss[(m, t)] if (m, t) in rss else "-")
    print("| %s | %.1f | %s |" % (m, size, " | ".join(cells)))

print("\n## scaling of opaudit on the synthetic transformers\n")
print("| nodes | mean ms | min ms | µs per node (mean) | vs 1k | CPU ms (user+sys) | CPU µs per node "
      "| peak RSS MB | bytes RSS per node |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
base = None
for m in MODELS[1:]:
    r = res[m]["opaudit"]
    n = NODES[m]
    per = 1e6 * r["mean"] / n
    base = base or per
    mb = rss.get((m, "opaudit"))
    cpu = r["user"] + r["system"]
    print("| {:,} | {:.1f} | {:.1f} | {:.2f} | {:.2f}x | {:.1f} | {:.2f} | {:.1f} | {:.0f} |".format(
        n, 1e3 * r["mean"], 1e3 * r["min"], per, per / base, 1e3 * cpu, 1e6 * cpu / n, mb,
        mb * 1048576 / n))

single = load("zoo_single")
zoo = load("zoo")
total = sum(r["mean"] for r in single.values())
print("\n## zoo run over samples/models/*.onnx\n")
print("| run | mean ms | min ms | CPU ms (user+sys) |")
print("|---|---:|---:|---:|")
for name, r in sorted(single.items()):
    print("| %s alone | %.1f ± %.1f | %.1f | %.1f |" % (
        name, 1e3 * r["mean"], 1e3 * (r["stddev"] or 0), 1e3 * r["min"],
        1e3 * (r["user"] + r["system"])))
tmin = sum(r["min"] for r in single.values())
tcpu = sum(r["user"] + r["system"] for r in single.values())
print("| **sum of single-model runs** | **%.1f** | **%.1f** | **%.1f** |" % (
    1e3 * total, 1e3 * tmin, 1e3 * tcpu))
for name in ("zoo", "zoo_j1"):
    r = zoo[name]
    label = "one zoo run, all cores" if name == "zoo" else "one zoo run, -j 1"
    print("| %s | %.1f ± %.1f (%.2f x sum) | %.1f (%.2f x sum) | %.1f |" % (
        label, 1e3 * r["mean"], 1e3 * (r["stddev"] or 0), r["mean"] / total, 1e3 * r["min"],
        r["min"] / tmin, 1e3 * (r["user"] + r["system"])))
