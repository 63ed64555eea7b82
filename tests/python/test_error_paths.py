"""The exact exception class and text of each way a model reaches the C++
module (a path, bytes, bytearray, memoryview, an Analysis) and of each error
on the way: a bad source type, an unreadable file, malformed bytes, an option
naming what the model does not have, a bad hardware profile or convention.

analyze() and the commands over a model (claim, llm, reconcile) decode the
source and convert the options through shared code in _core.cpp; these tests
pin what each of them says, so that sharing cannot change a message. The
texts are those of analyzer/Options.cpp and ir/Loader.cpp, which the CLI
prints after "opaudit: error: "; the commands prefix the model's name when
the library's message lacks it, analyze() does not."""
import pathlib

import pytest

import opaudit

SOURCE = pathlib.Path(__file__).resolve().parents[2]
RESNET50 = SOURCE / "samples/models/resnet50.onnx"
TINY = SOURCE / "samples/models/tiny_cnn.onnx"
# A protobuf field 1 (length-delimited) claiming 2**32 - 1 bytes, then nothing.
TRUNCATED = b"\x0a\xff\xff\xff\xff\x0f"
TRUNCATED_MSG = ("malformed protobuf at byte 6: field 1 claims 4294967295 bytes but only 0 "
                 "remain (truncated or not an ONNX file)")


def raised(f):
    """(exception class, message) of what f() raises; it must raise an opaudit.Error."""
    with pytest.raises(opaudit.Error) as e:
        f()
    return type(e.value), str(e.value)


def commands(model, **kw):
    """Each command over a model, called on `model` with the options they all take."""
    return {
        "claim": lambda: opaudit.claim(model, peak_tops=130, fps=100, **kw),
        "llm": lambda: opaudit.llm(model, **kw),
        "reconcile": lambda: opaudit.reconcile(model, **kw),
    }


@pytest.mark.parametrize("bad", [42, None, 1.5])
def test_a_source_that_is_neither_path_nor_bytes(bad):
    name = type(bad).__name__
    assert raised(lambda: opaudit.analyze(bad)) == \
        (opaudit.UsageError, f"analyze expects a path or bytes, got {name}")
    for cmd, f in commands(bad).items():
        assert raised(f) == \
            (opaudit.UsageError, f"expected a path, bytes or an opaudit.Analysis, got {name}"), cmd


def test_a_file_object_is_not_a_source():
    # Only paths and buffers are sources: a file object would be read as its repr.
    import io
    buf = io.BytesIO(RESNET50.read_bytes())
    assert raised(lambda: opaudit.analyze(buf)) == \
        (opaudit.UsageError, "analyze expects a path or bytes, got BytesIO")
    assert raised(lambda: opaudit.reconcile(buf)) == \
        (opaudit.UsageError, "expected a path, bytes or an opaudit.Analysis, got BytesIO")


def test_a_missing_file(tmp_path):
    missing = tmp_path / "missing.onnx"
    want = (opaudit.LoadError, f"{missing}: cannot open: No such file or directory")
    class BytesPath:  # an os.PathLike whose path is bytes: decoded for the message
        def __fspath__(self):
            return bytes(missing)

    # Bytes are a model, not a path; a path names the file as given.
    for path in (missing, str(missing), BytesPath()):
        assert raised(lambda: opaudit.analyze(path)) == want
        for cmd, f in commands(path).items():
            assert raised(f) == want, cmd


def test_malformed_bytes_name_the_label():
    assert raised(lambda: opaudit.analyze(TRUNCATED, name="blob")) == \
        (opaudit.LoadError, f"blob: {TRUNCATED_MSG}")
    assert raised(lambda: opaudit.analyze(bytearray(TRUNCATED))) == \
        (opaudit.LoadError, f"<bytes>: {TRUNCATED_MSG}")
    assert raised(lambda: opaudit.analyze(b"")) == \
        (opaudit.LoadError, "<bytes>: empty file, not an ONNX model")
    for cmd, f in commands(memoryview(TRUNCATED), name="blob").items():
        assert raised(f) == (opaudit.LoadError, f"blob: {TRUNCATED_MSG}"), cmd
    for cmd, f in commands(TRUNCATED).items():
        assert raised(f) == (opaudit.LoadError, f"<bytes>: {TRUNCATED_MSG}"), cmd


def test_every_buffer_type_is_the_file():
    # bytes, bytearray and memoryview are copied the same way: named as the
    # path, each gives the path's report byte for byte. ResNet-50's
    # 4,089,184,256 MACs are PyTorch's (samples/models/reference.json).
    data = RESNET50.read_bytes()
    by_path = opaudit.analyze(RESNET50)
    assert by_path.totals.macs == 4089184256
    recon = opaudit.reconcile(RESNET50).to_json()
    for buf in (data, bytearray(data), memoryview(data)):
        assert opaudit.analyze(buf, name=str(RESNET50)).to_json() == by_path.to_json()
        assert opaudit.reconcile(buf, name=str(RESNET50)).to_json() == recon


def test_an_option_naming_what_the_model_lacks():
    unknown_input = ("--input names 'inptu', which is not an input of the model; "
                     "did you mean 'input'? (inputs: input)")
    unknown_dim = ("--dim names 'nosuch', which is not a symbolic dim of the model "
                   "(the model has no symbolic dims)")
    data = TINY.read_bytes()
    for f in (opaudit.analyze, opaudit.reconcile):
        # The library's check names the file already: no second prefix.
        assert raised(lambda: f(TINY, inputs={"inptu": "1x3x32x32"})) == \
            (opaudit.UsageError, f"{TINY}: {unknown_input}")
        assert raised(lambda: f(str(TINY), dims={"nosuch": 3})) == \
            (opaudit.UsageError, f"{TINY}: {unknown_dim}")
        assert raised(lambda: f(data, inputs={"inptu": "1x3x32x32"}, name="tiny")) == \
            (opaudit.UsageError, f"tiny: {unknown_input}")
        assert raised(lambda: f(data, dims={"nosuch": 3})) == \
            (opaudit.UsageError, f"<bytes>: {unknown_dim}")


def test_a_bad_profile_or_convention():
    unknown_hw = ("unknown hardware 'no-such-part'; `opaudit hw list` shows the catalog, "
                  "or give a profile file path")
    unknown_conv = ("unknown convention 'nope' (built-in: macs, tops, flops, torchvision, fvcore, "
                    "thop, ptflops, deepspeed, darknet, onnx-tool, openvino; or give a file path)")
    # analyze() reports the option as the library words it ...
    assert raised(lambda: opaudit.analyze(TINY, hw="no-such-part")) == \
        (opaudit.UsageError, unknown_hw)
    assert raised(lambda: opaudit.analyze(TINY, convention="nope")) == \
        (opaudit.UsageError, unknown_conv)
    assert raised(lambda: opaudit.analyze(TINY, precision="fp16")) == \
        (opaudit.UsageError, "--precision needs --hw PROFILE")
    # ... the commands over a model put the model's name first.
    assert raised(lambda: opaudit.claim(TINY, hw="no-such-part", fps=100)) == \
        (opaudit.UsageError, f"{TINY}: {unknown_hw}")
    assert raised(lambda: opaudit.llm(TINY, hw="no-such-part")) == \
        (opaudit.UsageError, f"{TINY}: {unknown_hw}")
    assert raised(lambda: opaudit.claim(TINY, peak_tops=130, fps=100,
                                        claim_convention="nope")) == \
        (opaudit.UsageError, f"{TINY}: {unknown_conv}")
    assert raised(lambda: opaudit.claim(TINY, peak_tops=130, hw="t4", fps=100)) == \
        (opaudit.UsageError, f"{TINY}: give exactly one of --peak-tops and --hw")
    assert raised(lambda: opaudit.llm(TINY, kv_dtype="float7")) == \
        (opaudit.UsageError, f"{TINY}: kv_dtype: unknown dtype 'float7'")


def test_an_error_on_an_analysis_names_its_model():
    # BERT's MACs are a formula in batch and seq; the claim cannot rate them.
    bert = opaudit.analyze(str(SOURCE / "samples/models/bert_base.onnx"))
    assert raised(lambda: opaudit.claim(bert, peak_tops=130, fps=1000)) == \
        (opaudit.UsageError,
         f"{bert.path}: the model's MACs are not a known number (unknown shapes or unbound dims; "
         "see the diagnostics, bind dims with --dim)")


def test_a_budget_the_options_cannot_check():
    assert raised(lambda: opaudit.diff(TINY, TINY, budgets=["latency=+5%"])) == \
        (opaudit.UsageError, "budget 'latency=+5%': both analyses need hw for latency")
    assert raised(lambda: opaudit.diff(TINY, TINY, budgets=["ops=+0"])) == \
        (opaudit.UsageError, "budget 'ops=+0': both analyses need a convention for ops")
    assert raised(lambda: opaudit.diff(TINY, TINY, budgets=["traffic=+0"])) == \
        (opaudit.UsageError, "budget 'traffic=+0': both analyses need hw, batch or sram for traffic")
    assert raised(lambda: opaudit.diff(TINY, TINY, budgets=["mac=+0%"])) == \
        (opaudit.UsageError,
         "budget 'mac=+0%': unknown metric 'mac' (did you mean 'macs'? known: macs, params, "
         "weight_bytes, ops, traffic, latency, time)")
