#!/usr/bin/env python3
"""The Python module against the CLI on one model (bench/RESULTS.md, "Python
module against the CLI"): wall time and CPU time (user + sys, which other
processes on a shared machine disturb much less) of `opaudit analyze`, of a
python3 process that imports opaudit and analyzes, and of the analyze() call in
process. Usage: PYTHONPATH=build/python /usr/bin/python3 bench/python_vs_cli.py
MODEL build/opaudit [RUNS]"""
import resource
import statistics
import subprocess
import sys
import time

model, cli = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10


def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def row(what, wall, cpus):
    print("%-40s wall %7.1f ms mean, %7.1f min; cpu %7.1f ms mean, %7.1f min" % (
        what, statistics.mean(wall) * 1e3, min(wall) * 1e3, statistics.mean(cpus) * 1e3,
        min(cpus) * 1e3))
    return statistics.mean(wall), min(wall), statistics.mean(cpus), min(cpus)


def process(what, cmd, n=runs):
    wall, cpus = [], []
    for _ in range(n):
        c, s = cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall.append(time.perf_counter() - s)
        cpus.append(cpu(resource.RUSAGE_CHILDREN) - c)
    return row(what, wall, cpus)


def in_process(what, fn, n=runs):
    wall, cpus = [], []
    for _ in range(n):
        c, s = cpu(resource.RUSAGE_SELF), time.perf_counter()
        fn()
        wall.append(time.perf_counter() - s)
        cpus.append(cpu(resource.RUSAGE_SELF) - c)
    return row(what, wall, cpus)


py = "/usr/bin/python3"
t = process("cli analyze (table)", [cli, "analyze", model, "-q"])
process("cli analyze -f json", [cli, "analyze", model, "-q", "-f", "json"])
p = process("python: import + analyze().totals", [py, "-c",
            f"import opaudit; opaudit.analyze({model!r}).totals"])
process("python: import + analyze().layers", [py, "-c",
        f"import opaudit; len(opaudit.analyze({model!r}).layers)"])
process("python: import opaudit only", [py, "-c", "import opaudit"])
process("python3 -c pass", [py, "-c", "pass"])
import opaudit  # noqa: E402

c = in_process("analyze() in a running interpreter", lambda: opaudit.analyze(model))
in_process("analyze().layers in a running interpreter", lambda: len(opaudit.analyze(model).layers),
           max(3, runs // 2))
print("python process / cli: wall %.2fx mean, %.2fx min; cpu %.2fx mean, %.2fx min" % (
    p[0] / t[0], p[1] / t[1], p[2] / t[2], p[3] / t[3]))
print("analyze() call / cli: wall %.2fx mean, %.2fx min; cpu %.2fx mean, %.2fx min" % (
    c[0] / t[0], c[1] / t[1], c[2] / t[2], c[3] / t[3]))
