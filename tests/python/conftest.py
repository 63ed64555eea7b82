"""Shared fixtures of the Python tests: where the sources and the CLI binary
are (CTest passes them in the environment; a plain `pytest tests/python` run
from the top of a built tree finds build/opaudit)."""
import os
import subprocess
import json
import pathlib

import pytest

SOURCE = pathlib.Path(os.environ.get("OPAUDIT_SOURCE_DIR",
                                     pathlib.Path(__file__).resolve().parents[2]))
BINARY = pathlib.Path(os.environ.get("OPAUDIT_BINARY", SOURCE / "build" / "opaudit"))
SAMPLES = sorted((SOURCE / "samples" / "models").glob("*.onnx"))


def cli_json(model, *args):
    """`opaudit analyze MODEL ARGS -f json`, parsed, and its raw text."""
    out = subprocess.run([str(BINARY), "analyze", str(model), *args, "-f", "json", "-q"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out), out


@pytest.fixture
def source():
    return SOURCE


def cli_run(*args, ok=(0,)):
    """`opaudit ARGS`: (stdout, exit code); the exit code must be one of `ok`."""
    p = subprocess.run([str(BINARY), *map(str, args)], capture_output=True, text=True)
    assert p.returncode in ok, p.stderr
    return p.stdout, p.returncode


@pytest.fixture(scope="session")
def decoders(tmp_path_factory):
    """The 7B- and 70B-shaped Llama decoders of docs/llm.md, built by
    samples/make_llama.py with sparse weight files (no disk used)."""
    d = tmp_path_factory.mktemp("llm")
    subprocess.run(["/usr/bin/python3", str(SOURCE / "samples" / "make_llama.py"), "--all", str(d),
                    "--only", "llama2_7b_hf_fp16,llama2_70b_hf_fp16"],
                   check=True, stdout=subprocess.DEVNULL)
    return d
