"""opaudit.claim and opaudit.llm against `opaudit claim` and `opaudit llm`:
the same library calls must give the same JSON, byte for byte, and the
figures the README and docs/llm.md derive by hand."""
import json

import pytest

import opaudit
from conftest import SOURCE, cli_run

RESNET50 = SOURCE / "samples/models/resnet50.onnx"


def test_claim_t4_resnet50_is_the_cli_and_the_hand_figure():
    # MLPerf v0.7 closed, T4 ResNet-50 Offline: 6035.57 images/s against the
    # T4's 130 dense int8 TOPS. By hand (README): 6035.57 x 2 x 4,089,184,256
    # / 130e12 = 37.97%.
    text, code = cli_run("claim", RESNET50, "--hw", "t4", "--precision", "int8", "--fps",
                         "6035.57", "-f", "json", "-q")
    assert code == 0
    r = opaudit.claim(str(RESNET50), hw="t4", precision="int8", fps=6035.57)
    assert r.to_json() == text
    assert r == json.loads(text)
    assert r.mac_utilization == pytest.approx(6035.57 * 2 * 4089184256 / 130e12, rel=1e-12)
    assert f"{100 * r.mac_utilization:.1f}%" == "38.0%"
    assert r["macs_per_image"] == 4089184256
    assert r.dense_tops == 130 and r.hardware == "t4" and r.precision == "int8"
    assert r.plausible is True and r.plausibility == "plausible"
    assert "38.0%" in repr(r)


def test_claim_impossible_is_a_result_not_an_exception():
    # The README's 130 TOPS part claiming 17000 images/s: 17000 x 4,089,184,256
    # / 65e12 = 106.9% of the peak MAC rate; the CLI exits 1.
    text, code = cli_run("claim", RESNET50, "--peak-tops", "130", "--fps", "17000", "-f", "json",
                         "-q", ok=(1,))
    assert code == 1
    r = opaudit.claim(RESNET50, peak_tops=130, fps=17000)
    assert r.to_json() == text
    assert r.mac_utilization == pytest.approx(17000 * 4089184256 / 65e12, rel=1e-12)
    assert r.plausible is False and r.plausibility == "impossible"
    assert [c.name for c in r.consistent_conventions][:1] == ["macs"]


def test_claim_utilization_and_an_analysis_reused():
    # --utilization 40% derives images/s: 0.4 x 65e12 / 4,089,184,256.
    text, _ = cli_run("claim", RESNET50, "--peak-tops", "130", "--utilization", "40%", "-f",
                      "json", "-q")
    a = opaudit.analyze(RESNET50)
    for model in (RESNET50, a, RESNET50.read_bytes()):
        r = opaudit.claim(model, peak_tops=130, utilization="40%", name=str(RESNET50))
        assert r.to_json() == text
        assert r.fps == pytest.approx(0.4 * 65e12 / 4089184256, rel=1e-12)
    assert opaudit.claim(a, peak_tops=130, utilization=0.4) == json.loads(text)


def test_claim_errors_name_the_model(tmp_path):
    with pytest.raises(opaudit.UsageError, match="resnet50.onnx.*exactly one"):
        opaudit.claim(RESNET50, peak_tops=130, hw="t4", fps=100)
    with pytest.raises(opaudit.UsageError, match="resnet50.onnx"):
        opaudit.claim(RESNET50, peak_tops=130)
    with pytest.raises(opaudit.UsageError, match="resnet50.onnx.*no-such-part"):
        opaudit.claim(RESNET50, hw="no-such-part", fps=100)
    with pytest.raises(opaudit.UsageError):
        opaudit.claim(RESNET50, peak_tops=130, utilization="lots")
    with pytest.raises(opaudit.LoadError, match="missing.onnx"):
        opaudit.claim(tmp_path / "missing.onnx", peak_tops=130, fps=100)


def test_llm_7b_is_the_cli_and_docs_llm_figures(decoders):
    model = decoders / "llama2_7b_hf_fp16.onnx"
    text, _ = cli_run("llm", model, "--hw", "h100-sxm", "--context", "4096", "--batch", "1,32",
                      "--format", "json")
    r = opaudit.llm(model, hw="h100-sxm", context=4096, batch=[1, 32])
    assert r.to_json() == text
    want = json.loads(text)
    assert r.keys() == want.keys()
    for k in want:
        assert r[k] == want[k], k
    # docs/llm.md, "The README scenario" (samples/llm_formulas.py, no C++):
    one, b32 = r.points
    assert r.params == 6_738_415_616 and r.weights_bytes == 13_476_831_232
    assert one.kv_cache.bytes_per_token == 2 * 32 * 32 * 128 * 2 == 524_288
    assert one.kv_cache.bytes == 2_147_483_648
    assert one.prefill.macs == 14_630_806_093_824
    assert one.decode.macs_per_token == 7_680_819_200
    assert one.decode.bytes_per_step == 15_362_179_072
    assert one.decode.bound == "memory"
    assert one.decode.tokens_per_second == pytest.approx(3.35e12 / 15_362_179_072, rel=1e-12)
    assert round(one.decode.tokens_per_second, 1) == 218.1
    assert one.prefill.latency_seconds == pytest.approx(14_630_806_093_824 / 494.7e12, rel=1e-12)
    assert one.memory.max_batch == (80_000_000_000 - 13_476_831_232) // 2_147_483_648 == 30
    assert round(b32.decode.tokens_per_second, 1) == 1308.4
    assert b32.memory.fits is False
    assert r.compute_bound_batch is None
    svg = r.to_svg()
    assert svg.startswith("<svg") or "<svg" in svg[:200]


def test_llm_70b_two_devices_is_the_cli_and_docs_llm_figures(decoders):
    model = decoders / "llama2_70b_hf_fp16.onnx"
    text, _ = cli_run("llm", model, "--hw", "h100-sxm", "--devices", "2", "--format", "json")
    a = opaudit.analyze(model)  # the loaded model is reused by llm()
    r = opaudit.llm(a, hw="h100-sxm", devices=2)
    assert r.to_json() == text
    p = r  # one batch: the point's fields are at the top level, as in the CLI's JSON
    assert "points" not in r
    assert p.kv_cache.bytes_per_token == 2 * 80 * 8 * 128 * 2 == 327_680
    assert p.prefill.macs == 146_222_161_592_320
    assert p.decode.macs_per_token == 74_081_894_400
    assert p.decode.bytes_per_step == 138_771_202_048
    assert round(p.decode.tokens_per_second, 1) == 48.3
    assert p.memory.max_batch == 16


def test_llm_without_hw_and_not_a_decoder(decoders):
    model = decoders / "llama2_7b_hf_fp16.onnx"
    text, _ = cli_run("llm", model, "--format", "json")
    r = opaudit.llm(model)
    assert r.to_json() == text
    assert r.decode.tokens_per_second is None and r.decode.bound == "?"
    assert r.decode.bytes_per_step_expr == \
        "524288*batch*context + 8192*batch + 13214687232"
    text, _ = cli_run("llm", RESNET50, "--format", "json")
    n = opaudit.llm(RESNET50)
    assert n.to_json() == text
    assert n.decoder is False and n.to_svg() is None
    with pytest.raises(opaudit.UsageError, match="resnet50.onnx"):
        opaudit.llm(RESNET50, context=0)
    with pytest.raises(opaudit.UsageError, match="resnet50.onnx.*no-such-part"):
        opaudit.llm(RESNET50, hw="no-such-part")
    with pytest.raises(opaudit.UsageError, match="kv_dtype"):
        opaudit.llm(RESNET50, kv_dtype="float7")


def test_claim_on_an_analysis_keeps_its_dims():
    # BERT's work is a formula in batch and seq: the claim needs seq bound,
    # here by the Analysis it is given (batch by the claim, as the CLI's --batch).
    bert = SOURCE / "samples/models/bert_base.onnx"
    text, _ = cli_run("claim", bert, "--dim", "seq=128", "--peak-tops", "130", "--fps", "1000",
                      "-f", "json", "-q")
    a = opaudit.analyze(str(bert), dims={"seq": 128})
    r = opaudit.claim(a, peak_tops=130, fps=1000)
    assert r.to_json() == text
    assert r.macs_per_image == 11_174_215_680  # test_analyze.py derives it by hand
    with pytest.raises(opaudit.UsageError, match="bert_base.onnx"):
        opaudit.claim(opaudit.analyze(bert), peak_tops=130, fps=1000)


def test_commands_in_threads_give_the_serial_results(decoders):
    import concurrent.futures
    jobs = [lambda: opaudit.claim(RESNET50, hw="t4", precision="int8", fps=6035.57).to_json(),
            lambda: opaudit.claim(RESNET50, peak_tops=130, utilization=0.4).to_json(),
            lambda: opaudit.llm(decoders / "llama2_7b_hf_fp16.onnx", hw="h100-sxm").to_json(),
            lambda: opaudit.llm(RESNET50).to_json()]
    serial = [j() for j in jobs]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda j: j(), jobs * 2)) == serial * 2


def test_stubs_cover_the_public_names():
    import ast
    stub = ast.parse((SOURCE / "python/opaudit/__init__.pyi").read_text())
    names = {n.name for n in stub.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    names |= {t.id for n in stub.body if isinstance(n, ast.AnnAssign) for t in [n.target]}
    assert set(opaudit.__all__) - names == set()
    for name in ("claim", "llm", "analyze", "from_torch"):
        assert getattr(opaudit, name).__doc__


def test_reconcile_is_the_cli_and_the_reference_figures():
    # ResNet-50: 4,089,184,256 MACs by PyTorch hooks (samples/models/reference.json);
    # `tops` counts 2 ops per MAC.
    text, code = cli_run("reconcile", RESNET50, "-f", "json", "-q")
    assert code == 0
    r = opaudit.reconcile(RESNET50)
    assert r.to_json() == text
    assert r == json.loads(text)
    t = r.totals()
    assert t["macs"] == 4089184256
    assert t["tops"] == 2 * 4089184256
    table, _ = cli_run("reconcile", RESNET50, "-q")
    assert r.to_table() == table


def test_reconcile_with_inputs_and_on_an_analysis():
    yolo = SOURCE / "samples/models/yolov3.onnx"
    text, _ = cli_run("reconcile", yolo, "--input", "input:1x3x1088x1920", "-f", "json", "-q")
    r = opaudit.reconcile(yolo, inputs={"input": "1x3x1088x1920"})
    assert r.to_json() == text
    # The same through an Analysis that already carries the input shape.
    a = opaudit.analyze(yolo, inputs={"input": [1, 3, 1088, 1920]})
    assert opaudit.reconcile(a).to_json() == text
    with pytest.raises(opaudit.UsageError, match="input"):
        opaudit.reconcile(yolo, inputs={"inptu": "1x3x416x416"})
