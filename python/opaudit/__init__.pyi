# Type stubs of the opaudit package (python/opaudit/__init__.py): what editors show.
import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

_Path = Union[str, os.PathLike[str]]
_Shape = Union[str, Sequence[Union[int, str]]]

__version__: str

class Error(Exception):
    """Base class of every error opaudit raises."""

class LoadError(Error):
    """The model cannot be read or is not ONNX; the message names it."""

class UsageError(Error):
    """A bad option value (a dim, an input shape, a profile, ...)."""

class Record(dict[str, Any]):
    """A dict whose keys are also attributes."""
    def __getattr__(self, name: str) -> Any: ...

class Totals(Record):
    """The JSON report's totals, plus ``roofline`` with hw."""
    macs: Optional[int]
    macs_expr: Optional[str]
    params: int
    weight_bytes: int
    ops: Optional[int]
    ops_expr: Optional[str]
    roofline: Record

class Layer(Record):
    """One row of the JSON report's ``layers``."""
    name: str
    op_type: str
    domain: str
    graph: str
    role: str
    macs: Optional[int]
    macs_expr: Optional[str]
    params: int
    weight_bytes: int
    ops: Optional[int]
    ops_expr: Optional[str]
    outputs: list[Record]
    traffic: Record

class Diagnostic(Record):
    code: Optional[str]
    severity: str
    path: str
    node: Optional[str]
    message: str

class Input(Record):
    name: str
    dtype: str
    shape: Optional[list[Union[int, str]]]

class Analysis:
    totals: Totals
    model: Record
    dims: Record
    coverage: Record
    convention: Optional[Record]
    conditions: Optional[Record]
    @property
    def path(self) -> str: ...
    @property
    def layers(self) -> list[Layer]: ...
    @property
    def inputs(self) -> list[Input]: ...
    @property
    def diagnostics(self) -> list[Diagnostic]: ...
    def evaluate(self, dims: Optional[Mapping[str, int]] = ..., **kw: int) -> Totals:
        """The totals with more dims bound, from the same symbolic analysis."""
    def to_json(self) -> str:
        """The report as ``opaudit analyze MODEL -f json`` writes it."""
    def to_pandas(self) -> Any:
        """The layers as a pandas DataFrame (needs pandas)."""
    def _repr_html_(self, top: int = ...) -> str: ...

def analyze(
    path_or_bytes: Union[_Path, bytes, bytearray, memoryview],
    dims: Optional[Mapping[str, int]] = ...,
    inputs: Union[None, Mapping[str, _Shape], Iterable[str], str] = ...,
    input_values: Optional[Mapping[str, Union[float, Sequence[float]]]] = ...,
    convention: Optional[_Path] = ...,
    hw: Optional[_Path] = ...,
    batch: Optional[int] = ...,
    sram: Optional[int] = ...,
    precision: Optional[str] = ...,
    *,
    name: Optional[str] = ...,
    operating_point: Optional[str] = ...,
    utilization: Optional[float] = ...,
    weight_dtype: Optional[str] = ...,
    act_dtype: Optional[str] = ...,
    trip_counts: Optional[Mapping[str, int]] = ...,
) -> Analysis:
    """Analyzes an ONNX model (a path or its bytes)."""

def conventions() -> list[str]: ...

def from_torch(
    module: Any,
    example_inputs: Any,
    *,
    opset_version: Optional[int] = ...,
    input_names: Optional[Sequence[str]] = ...,
    output_names: Optional[Sequence[str]] = ...,
    dynamic_axes: Optional[Mapping[str, Any]] = ...,
    export_kwargs: Optional[Mapping[str, Any]] = ...,
    **analyze_kwargs: Any,
) -> Analysis:
    """Exports with torch.onnx.export into memory and analyzes the bytes."""

class _Hw:
    def list(self) -> list[Record]: ...
    def show(self, name: _Path, operating_point: Optional[str] = ...) -> Record: ...

hw: _Hw
