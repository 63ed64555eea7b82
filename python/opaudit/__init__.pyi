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
    """A JSON ``diagnostics`` entry; ``file`` is the model."""
    severity: str
    code: str
    path: Optional[str]
    node: Optional[str]
    message: str
    dependents: int
    file: str

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

class Result(Record):
    """A command's JSON object; to_json() is the CLI's text."""
    def to_json(self) -> str:
        """The JSON text, as the CLI writes it with -f json."""

class ClaimResult(Result):
    """The fields of ``opaudit claim -f json``, plus the CLI's stderr notes."""
    notes: list[str]
    model: str
    convention: Record
    peak_tops: float
    dense_tops: float
    peak_basis: str
    hardware: str
    sparsity: str
    batch: int
    fps: float
    fps_claimed: bool
    ops_per_image: float
    ops_per_inference: float
    macs_per_image: float
    effective_tops: float
    peak_macs_per_second: float
    mac_utilization: float
    plausible: bool
    plausibility: str
    conventions: list[Record]
    consistent_conventions: list[Record]
    precision: str
    precision_from_graph: bool
    macs_at_precision: Optional[int]
    graph_macs_by_precision: Record

class LlmResult(Result):
    """The fields of ``opaudit llm --format json``."""
    model: str
    decoder: bool
    reason: str
    layers: int
    weights_bytes: int
    params: int
    compute_bound_batch: Optional[int]
    points: list[Record]  # several batches
    kv_cache: Record  # one batch: the point's fields at the top level
    prefill: Record
    decode: Record
    memory: Record
    conditions: Record
    assumptions: list[str]
    def to_svg(self) -> Optional[str]:
        """Tokens/s and latency against batch, as --svg writes it."""

_Model = Union[_Path, bytes, bytearray, memoryview, Analysis]

def claim(
    model: _Model,
    *,
    peak_tops: Optional[float] = ...,
    hw: Optional[_Path] = ...,
    fps: Optional[float] = ...,
    utilization: Union[None, float, str] = ...,
    batch: int = ...,
    claim_convention: _Path = ...,
    precision: Optional[str] = ...,
    sparsity: Optional[str] = ...,
    operating_point: Optional[str] = ...,
    dims: Optional[Mapping[str, int]] = ...,
    name: Optional[str] = ...,
) -> ClaimResult:
    """Checks a throughput claim as ``opaudit claim`` (evaluateClaim)."""

def llm(
    model: _Model,
    *,
    hw: Optional[_Path] = ...,
    precision: Optional[str] = ...,
    operating_point: Optional[str] = ...,
    batch: Union[int, Sequence[int]] = ...,
    prompt: int = ...,
    context: int = ...,
    kv_dtype: Optional[str] = ...,
    devices: int = ...,
    fused_attention: bool = ...,
    name: Optional[str] = ...,
) -> LlmResult:
    """The serving estimate of a decoder as ``opaudit llm`` (estimateLlm)."""

class DiffResult(Result):
    """The fields of ``opaudit diff -f json``, the budget verdicts and the other writers' texts."""
    verdicts: list[Record]
    @property
    def passed(self) -> bool:
        """Every budget holds (the CLI's exit code 0)."""
    def to_markdown(self) -> str:
        """As ``opaudit diff -f md``."""
    def to_table(self) -> str:
        """As ``opaudit diff``."""

def diff(
    old: _Model,
    new: _Model,
    *,
    budgets: Optional[Sequence[str]] = ...,
    name_old: Optional[str] = ...,
    name_new: Optional[str] = ...,
    **analyze_kwargs: Any,
) -> DiffResult:
    """Compares two models as ``opaudit diff`` (diffReports, checkBudgets)."""

class ReconcileResult(Result):
    """The fields of ``opaudit reconcile -f json``."""
    def totals(self) -> dict[str, Union[int, str, None]]:
        """{convention name: total}."""
    def to_table(self) -> str:
        """As ``opaudit reconcile``."""

def reconcile(
    model: _Model,
    *,
    dims: Optional[Mapping[str, int]] = ...,
    inputs: Any = ...,
    input_values: Optional[Mapping[str, Sequence[float]]] = ...,
    name: Optional[str] = ...,
) -> ReconcileResult:
    """Every built-in convention's total, as ``opaudit reconcile`` (reconcile)."""

class _Hw:
    def list(self) -> list[Record]: ...
    def show(self, name: _Path, operating_point: Optional[str] = ...) -> Record: ...

hw: _Hw
