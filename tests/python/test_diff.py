"""opaudit.diff against `opaudit diff`: the same library calls (diffReports,
checkBudgets) must give the CLI's JSON byte for byte, and the totals must be
the figures measured outside opaudit (PyTorch forward hooks, torchvision's
published GFLOPS: samples/models/REFERENCE.md)."""
import json

import pytest

import opaudit
from conftest import SOURCE, cli_run

R18 = SOURCE / "samples/models/resnet18.onnx"
R101 = SOURCE / "samples/models/resnet101.onnx"


def test_diff_resnet18_resnet101_is_the_cli_and_the_reference():
    text, code = cli_run("diff", R18, R101, "-f", "json", "--budget", "macs=+5%", ok=(1,))
    assert code == 1
    r = opaudit.diff(str(R18), str(R101), budgets=["macs=+5%"])
    assert r.to_json() == text
    assert r == json.loads(text)
    # Hook-measured MACs: ResNet-18 1,814,073,344 and ResNet-101 7,801,405,440
    # (torchvision's 1.814 and 7.801 GFLOPS).
    assert not r.passed
    assert [v.result for v in r.verdicts] == ["exceeded"]
    assert "macs=+5%" == r.verdicts[0].budget
    table, _ = cli_run("diff", R18, R101, "--budget", "macs=+5%", ok=(1,))
    assert r.to_table() == table
    md, _ = cli_run("diff", R18, R101, "-f", "md", "--budget", "macs=+5%", ok=(1,))
    assert r.to_markdown() == md


def test_diff_totals_are_the_hook_figures():
    r = opaudit.diff(R18, R101)
    assert r.totals.macs.old == 1814073344 and r.totals.macs.new == 7801405440
    # 7,801,405,440 - 1,814,073,344 = 5,987,332,096
    assert r.totals.macs.delta == 5987332096
    # ONNX float initializer elements (reference.json): 11,684,712 and 44,496,488.
    assert r.totals.params.delta == 44496488 - 11684712
    assert "layers" in repr(r)
    assert r.passed  # no budgets: nothing to exceed


def test_diff_same_model_within_zero_budget_and_reuses_analyses():
    a = opaudit.analyze(R18)
    r = opaudit.diff(a, a, budgets=["macs=+0%", "weight_bytes=+0"])
    assert r.passed
    assert [v.result for v in r.verdicts] == ["within", "within"]


def test_diff_bad_budget_raises_usage_error():
    with pytest.raises(opaudit.UsageError, match="macs"):
        opaudit.diff(R18, R18, budgets=["mac=+0%"])
    with pytest.raises(opaudit.UsageError, match="hw"):
        opaudit.diff(R18, R18, budgets=["latency=+5%"])
