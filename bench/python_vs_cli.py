#!/usr/bin/env python3
"""The Python module against the CLI on one model (bench/RESULTS.md, "Python"):
wall time of `opaudit analyze`, of a python3 process that imports opaudit and
analyzes, and of the analyze() call in process. Usage: PYTHONPATH=build/python
/usr/bin/python3 bench/python_vs_cli.py MODEL build/opaudit"""
import statistics, subprocess, sys, time
model, cli = sys.argv[1], sys.argv[2]
def t(cmd, n=10):
    xs = []
    for _ in range(n):
        s = time.perf_counter(); subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL); xs.append(time.perf_counter() - s)
    return statistics.mean(xs) * 1000, min(xs) * 1000
py = ["/usr/bin/python3", "-c", f"import opaudit; a = opaudit.analyze({model!r}); a.totals.macs_expr"]
pyl = ["/usr/bin/python3", "-c", f"import opaudit; a = opaudit.analyze({model!r}); len(a.layers)"]
print("cli table  %.1f ms mean, %.1f min" % t([cli, "analyze", model, "-q"]))
print("cli json   %.1f ms mean, %.1f min" % t([cli, "analyze", model, "-q", "-f", "json"]))
print("python analyze (process)  %.1f ms mean, %.1f min" % t(py))
print("python analyze+layers (process)  %.1f ms mean, %.1f min" % t(pyl))
import opaudit
xs = []
for _ in range(10):
    s = time.perf_counter(); opaudit.analyze(model); xs.append(time.perf_counter() - s)
print("python analyze() call in-process %.1f ms mean, %.1f min" % (statistics.mean(xs)*1000, min(xs)*1000))
xs = []
for _ in range(5):
    s = time.perf_counter(); len(opaudit.analyze(model).layers); xs.append(time.perf_counter() - s)
print("python analyze()+layers in-process %.1f ms mean, %.1f min" % (statistics.mean(xs)*1000, min(xs)*1000))
s = time.perf_counter(); subprocess.run(["/usr/bin/python3", "-c", "pass"]); print("python3 -c pass %.1f ms" % ((time.perf_counter()-s)*1000))
