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
