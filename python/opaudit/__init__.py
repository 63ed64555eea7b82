"""opaudit: static analysis of ONNX graphs (MACs, parameters, weight bytes,
traffic and roofline bounds) from Python.

A thin shell over the same C++ library as the ``opaudit`` command: every figure
comes from the library's report, and ``Analysis.to_json()`` is byte for byte
what ``opaudit analyze MODEL -f json`` prints. ``claim()`` and ``llm()`` call the
library functions behind ``opaudit claim`` and ``opaudit llm`` and return their
JSON (``to_json()`` is the CLI's text). pandas and torch are optional and
imported only by ``Analysis.to_pandas()`` and ``from_torch()``.

    >>> import opaudit
    >>> a = opaudit.analyze("samples/models/resnet50.onnx")
    >>> a.totals.macs
    4089184256
"""
from __future__ import annotations

import html as _html
import json as _json
import os as _os

from . import _core
from ._core import Error, LoadError, UsageError

__all__ = [
    "Analysis", "ClaimResult", "Diagnostic", "DiffResult", "Error", "Input", "LlmResult", "LoadError", "ReconcileResult", "Record",
    "Result", "UsageError",
    "analyze", "claim", "conventions", "diff", "from_torch", "hw", "llm", "reconcile",
]
__version__ = "0.1.0"


class Record(dict):
    """A dict whose keys are also attributes: ``t.macs == t["macs"]``.

    Nested objects are Records too. A missing attribute raises AttributeError,
    a missing key KeyError, as for any dict.
    """

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self):
        return list(self.keys()) + dir(dict)

    def __repr__(self):
        return f"{type(self).__name__}({dict.__repr__(self)})"


def _records(text):
    return _json.loads(text, object_hook=Record)


class Result(Record):
    """The result of a command over a model (:func:`claim`, :func:`llm`): the
    command's JSON object as a :class:`Record`, and :meth:`to_json` the text
    the CLI prints with ``-f json`` (same writer, same bytes)."""

    __slots__ = ("_json",)

    def __init__(self, text):
        super().__init__(_json.loads(text, object_hook=Record))
        self._json = text

    def to_json(self):
        """The JSON text, as the CLI writes it."""
        return self._json


class ClaimResult(Result):
    """:func:`claim`'s result: the fields of ``opaudit claim -f json``
    (mac_utilization, effective_tops, plausible, plausibility, conventions,
    ...) plus ``notes``, the lines the CLI prints to stderr."""

    __slots__ = ("notes",)

    def __init__(self, text, notes):
        super().__init__(text)
        #: The batch and precision notes (the CLI's stderr lines, without the path).
        self.notes = list(notes)

    def __repr__(self):
        return (f"<opaudit.ClaimResult {self['model']!r}: {100 * self['mac_utilization']:.1f}% "
                f"MAC utilization, {self['plausibility']}>")


class LlmResult(Result):
    """:func:`llm`'s result: the fields of ``opaudit llm --format json``:
    decoder, layers, params, weights_bytes, compute_bound_batch, and for one
    batch the point's kv_cache, prefill, decode, memory, conditions and
    assumptions at the top level; for several batches a ``points`` list of
    those. Not a decoder: ``decoder`` False and ``reason``."""

    __slots__ = ("_svg",)

    def __init__(self, text, svg):
        super().__init__(text)
        self._svg = svg

    def to_svg(self):
        """Tokens/s and per-sequence latency against batch, as ``--svg`` writes
        it; None when the model is not a decoder."""
        return self._svg or None


class DiffResult(Result):
    """:func:`diff`'s result: the fields of ``opaudit diff -f json`` (old,
    new, metrics, matching, totals, layers, budgets), ``verdicts`` (one per budget: a
    :class:`Record` with ``budget``, ``result`` — "within", "exceeded" or
    "unknown" — and ``message``), ``passed`` (every budget within, as the
    CLI's exit code 0), and the Markdown (a pull-request comment) and table
    texts of the same writers."""

    __slots__ = ("verdicts", "_md", "_table")

    def __init__(self, text, md, table, verdicts):
        super().__init__(text)
        self.verdicts = [Record(budget=b, result=r, message=m) for b, r, m in verdicts]
        self._md = md
        self._table = table

    @property
    def passed(self):
        """True when every budget holds (the CLI exits 0); a budget that
        cannot be checked (an unknown or symbolic total) does not pass."""
        return all(v.result == "within" for v in self.verdicts)

    def to_markdown(self):
        """The diff as ``opaudit diff -f md`` writes it."""
        return self._md

    def to_table(self):
        """The diff as ``opaudit diff`` prints it."""
        return self._table

    def __repr__(self):
        return (f"<opaudit.DiffResult {len(self.get('layers', []))} layers, "
                f"passed={self.passed}>")


class ReconcileResult(Result):
    """:func:`reconcile`'s result: the fields of ``opaudit reconcile -f json``
    (model, graph, conventions: one per built-in convention with its total
    and by_class counts, an int, a formula string, or None when unknown)."""

    __slots__ = ("_table",)

    def __init__(self, text, table):
        super().__init__(text)
        self._table = table

    def totals(self):
        """{convention name: total}, in reconcile order."""
        return {c["name"]: c["total"] for c in self["conventions"]}

    def to_table(self):
        """The table ``opaudit reconcile`` prints."""
        return self._table


class Diagnostic(Record):
    """A message about the model, with the keys of the JSON report's
    ``diagnostics`` entries: ``severity`` ("error", "warning", "note"),
    ``code`` (docs/diagnostics.md), ``path`` (the subgraph, such as
    "/If_0/then_branch"; only for a subgraph's node), ``node`` (a label such
    as "Conv 'conv1'", or None), ``message`` and ``dependents`` (only for a
    root cause: the later nodes it leaves unknown). ``d.path`` is None and
    ``d.dependents`` 0 when absent; ``d.file`` is the model."""

    __slots__ = ("file",)

    def __getattr__(self, name):
        if name in ("path", "dependents") and name not in self:
            return None if name == "path" else 0
        return Record.__getattr__(self, name)

    def __str__(self):
        where = (f"{self.path}: " if self.path else "") + (f"{self.node}: " if self.node else "")
        return f"{self.file}: {self.severity}: {where}{self.message}"


class Input(Record):
    """A graph input: ``name``, ``dtype`` and ``shape`` (ints, formula strings,
    "?" for an unknown dim; None when the rank is unknown)."""

    __slots__ = ()


class Analysis:
    """The analysis of one model under one set of options.

    The C++ analysis stays alive inside this object, so :meth:`evaluate` binds
    dims in the same symbolic result without reading the file again.
    """

    def __init__(self, core, source_name):
        self._core = core
        self._name = source_name
        head = _records(core.head_json)
        self._head = head
        self._layers = None
        self._json = None
        totals = head["totals"]
        if "roofline" in head:
            totals["roofline"] = head["roofline"]
        #: Totals as in the JSON report's ``totals`` (macs, macs_expr, params,
        #: weight_bytes; ops/ops_expr with a convention; the traffic figures with
        #: batch/sram/hw), plus ``roofline`` (the JSON ``roofline`` object) with hw.
        self.totals = totals
        #: The JSON report's ``model`` object: path, producer, opsets, nodes.
        self.model = head["model"]
        #: Dims bound for this analysis (by dims= or batch=).
        self.dims = head["dims"]
        #: Operator coverage: ``complete`` and the ``uncounted`` operator types.
        self.coverage = head["coverage"]
        #: The convention (name, meaning, source), or None.
        self.convention = head.get("convention")
        #: Conditions of the traffic and roofline figures, or None.
        self.conditions = head.get("conditions")

    @property
    def path(self):
        """The model's path, or the name given for bytes."""
        return self.model["path"]

    @property
    def layers(self):
        """One Record per row of the report, with the JSON layers' fields
        (name, op_type, domain, macs, macs_expr, params, weight_bytes,
        outputs, ...; graph and role for rows of If/Loop/Scan bodies and
        functions). Rows of subgraphs are details of their control-flow row:
        the totals are the sum of the rows without a ``graph`` key."""
        if self._layers is None:
            self._layers = _records(self.to_json())["layers"]
        return self._layers

    @property
    def inputs(self):
        """The graph inputs (initializers excluded) as :class:`Input` records."""
        return [Input(name=n, dtype=t, shape=s) for n, t, s in self._core.inputs()]

    @property
    def diagnostics(self):
        """Every diagnostic of the analysis, as :class:`Diagnostic` records."""
        out = []
        for sev, code, path, node, msg, deps in self._core.diagnostics():
            d = Diagnostic(severity=sev, code=code)
            if path:
                d["path"] = path
            d["node"] = node
            d["message"] = msg
            if deps:
                d["dependents"] = deps
            d.file = self.path
            out.append(d)
        return out

    def evaluate(self, dims=None, **kw):
        """The totals with more dims bound: ``a.evaluate({"batch": 1, "seq": 128})``
        or ``a.evaluate(batch=1, seq=128)``.

        Binds the names in the MAC total formula (and the ops total with a
        convention) of this analysis; the model is not read or analyzed again.
        Returns a :class:`Record` with macs, macs_expr (None when unknown),
        params, weight_bytes, ops/ops_expr with a convention, and ``dims``, all
        the bindings used. With traffic options (hw, batch, sram, ...) also
        offchip_bytes, peak_activation_bytes, weight_traffic_per_batch and,
        with hw, latency_seconds, inferences_per_second and bound, evaluated
        under the bindings as a sweep point is (``reanalyzed`` True when the
        symbolic analysis could not answer and the loaded model was analyzed
        again at these dims).
        """
        binds = dict(dims or {})
        binds.update(kw)
        return Record(self._core.evaluate(_check_dims(binds)))

    def to_json(self):
        """The report as ``opaudit analyze MODEL -f json`` writes it (same bytes)."""
        if self._json is None:
            self._json = self._core.json()
        return self._json

    def to_pandas(self):
        """The layers as a pandas DataFrame (one row per layer; ``outputs`` and
        nested traffic figures kept as objects). Needs pandas."""
        try:
            import pandas
        except ImportError as e:
            raise ImportError("Analysis.to_pandas() needs pandas (apt install python3-pandas)") from e
        return pandas.DataFrame([dict(r) for r in self.layers])

    def __repr__(self):
        t = self.totals
        macs = f"{t['macs']:,}" if t.get("macs") is not None else (t.get("macs_expr") or "?")
        return (f"<opaudit.Analysis {self.path!r}: {macs} MACs, {t['params']:,} params, "
                f"{t['weight_bytes']:,} weight bytes>")

    def _repr_html_(self, top=10):
        """Summary and the heaviest layers, for notebooks."""
        e = _html.escape
        t = self.totals

        def num(v):
            return "?" if v is None else f"{v:,}"

        macs = num(t.get("macs")) if t.get("macs") is not None else e(t.get("macs_expr") or "?")
        rows = [r for r in self.layers if "graph" not in r]
        heavy = sorted((r for r in rows if r.get("macs")), key=lambda r: -r["macs"])[:top]
        parts = [
            f"<div><b>{e(self.path)}</b> &middot; {e(self.model.get('producer', ''))} &middot; "
            f"{self.model['nodes']:,} nodes</div>",
            "<table><tr><th>MACs</th><th>params</th><th>weight bytes</th></tr>",
            f"<tr><td>{macs}</td><td>{num(t['params'])}</td><td>{num(t['weight_bytes'])}</td></tr></table>",
        ]
        if heavy:
            parts.append("<table><tr><th>layer</th><th>op</th><th>MACs</th><th>%</th>"
                         "<th>params</th></tr>")
            total = t.get("macs")
            for r in heavy:
                share = f"{100 * r['macs'] / total:.1f}" if total else ""
                parts.append(f"<tr><td>{e(r['name'])}</td><td>{e(r['op_type'])}</td>"
                             f"<td>{r['macs']:,}</td><td>{share}</td><td>{r['params']:,}</td></tr>")
            parts.append("</table>")
        if not self.coverage["complete"]:
            ops = ", ".join(g["op_type"] for g in self.coverage["uncounted"])
            parts.append(f"<div>not counted: {e(ops)}; the MAC total is a lower bound</div>")
        return "\n".join(parts)


def _check_dims(dims):
    out = {}
    for k, v in dims.items():
        if not isinstance(k, str) or not k:
            raise UsageError(f"dims: a dim name must be a non-empty string, got {k!r}")
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise UsageError(f"dims: {k} must be an integer >= 0, got {v!r}")
        out[k] = v
    return out


def _parse_shape(name, shape):
    """An input shape as the CLI's --input NAME:1x3x224x224 takes it: a string
    "1x3x224x224" or a sequence of ints and dim names."""
    if isinstance(shape, str):
        parts = shape.split("x")
    else:
        try:
            parts = list(shape)
        except TypeError:
            raise UsageError(f"inputs: the shape of {name!r} must be 'D1xD2x...' or a list, "
                             f"got {shape!r}") from None
    dims = []
    for p in parts:
        if isinstance(p, bool):
            p = None
        if isinstance(p, int):
            if p < 0:
                raise UsageError(f"inputs: bad dim {p!r} in the shape of {name!r}")
            dims.append(str(p))
        elif isinstance(p, str) and p.strip():
            p = p.strip()
            if p.lstrip("-").isdigit() and int(p) < 0:
                raise UsageError(f"inputs: bad dim {p!r} in the shape of {name!r}")
            dims.append(p)
        else:
            raise UsageError(f"inputs: bad dim {p!r} in the shape of {name!r}")
    return dims


def _parse_inputs(inputs):
    if inputs is None:
        return {}
    if isinstance(inputs, str):
        inputs = [inputs]
    if isinstance(inputs, dict):
        items = list(inputs.items())
    else:
        items = []
        for spec in inputs:
            name, sep, shape = str(spec).rpartition(":")
            if not sep or not name or not shape:
                raise UsageError(f"inputs: expected 'NAME:D1xD2x...', got {spec!r}")
            items.append((name, shape))
    return {str(k): _parse_shape(k, v) for k, v in items}


def _parse_values(values):
    out = {}
    for k, v in (values or {}).items():
        if isinstance(v, (int, float)):
            v = [v]
        try:
            vals = [float(x) for x in v]
        except (TypeError, ValueError):
            raise UsageError(f"input_values: {k!r} must be a list of numbers, got {v!r}") from None
        if not vals:
            raise UsageError(f"input_values: {k!r} has no values")
        out[str(k)] = vals
    return out


def _options(dims, inputs, input_values, convention, hw, batch, sram, precision,
             operating_point, utilization, weight_dtype, act_dtype, trip_counts):
    o = _core.Options()
    o.dims = _check_dims(dict(dims or {}))
    o.inputs = _parse_inputs(inputs)
    o.input_values = _parse_values(input_values)
    o.trip_counts = _check_dims(dict(trip_counts or {}))
    if batch is not None:
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise UsageError(f"batch expects a count >= 1, got {batch!r}")
        o.batch = batch
    if sram is not None:
        if isinstance(sram, bool) or not isinstance(sram, int):
            raise UsageError(f"sram expects a byte count, got {sram!r}")
        o.sram = sram
    if utilization is not None:
        o.utilization = float(utilization)
    o.hw = _os.fspath(hw) if hw is not None else ""
    o.convention = _os.fspath(convention) if convention is not None else ""
    o.precision = precision or ""
    o.operating_point = operating_point or ""
    o.weight_dtype = weight_dtype or ""
    o.act_dtype = act_dtype or ""
    return o


def analyze(path_or_bytes, dims=None, inputs=None, input_values=None, convention=None,
            hw=None, batch=None, sram=None, precision=None, *, name=None,
            operating_point=None, utilization=None, weight_dtype=None, act_dtype=None,
            trip_counts=None):
    """Analyzes an ONNX model and returns an :class:`Analysis`.

    path_or_bytes: a path (str or os.PathLike) or the model's bytes.
    dims: {"batch": 1, "seq": 128}, as ``--dim``.
    inputs: {"input": "1x3x224x224"} or {"input": [1, 3, 224, 224]} or
        ["input:1x3x224x224"], as ``--input`` (a dim may be a name).
    input_values: {"shape": [1, 128]}, as ``--input-value``.
    convention: a built-in convention name (see :func:`conventions`) or a file.
    hw: a catalog name (``opaudit.hw.list()``) or a profile file, for roofline bounds.
    batch, sram, precision, operating_point, utilization, weight_dtype,
        act_dtype: as the CLI's options of the same names.
    trip_counts: {"NODE": K}, as ``--trip-count``.
    name: the name used in messages for bytes (default "<bytes>").

    Raises LoadError when the model cannot be read and UsageError for a bad
    option; both name the file. The GIL is released while the model is analyzed.
    """
    opts = _options(dims, inputs, input_values, convention, hw, batch, sram, precision,
                    operating_point, utilization, weight_dtype, act_dtype, trip_counts)
    source, label = _path_or_bytes(path_or_bytes, name, "analyze expects a path or bytes")
    return Analysis(_core.analyze(source, label, opts), label)


def diff(old, new, *, budgets=None, name_old=None, name_new=None, **analyze_kwargs):
    """Compares two models layer by layer, as ``opaudit diff OLD NEW``: the
    same library calls (diffReports, checkBudgets) and the same JSON.

    old, new: paths, bytes, or :class:`Analysis` objects (used as they are;
        give both the same options). Paths and bytes are analyzed with
        ``analyze_kwargs`` (dims, inputs, convention, hw, batch, ...).
    budgets: ["macs=+2%", "weight_bytes=+0", "latency=+5%"], as ``--budget``.

    Returns a :class:`DiffResult` (``r.totals.macs.delta``, ``r.layers``, ``r.verdicts``,
    ``r.passed``, ``r.to_json()``, ``r.to_markdown()``). Raises UsageError for
    a bad budget or one whose metric the options do not produce.
    """
    def side(m, name):
        if isinstance(m, Analysis):
            return m
        return analyze(m, name=name, **analyze_kwargs)
    a, b = side(old, name_old), side(new, name_new)
    text, md, table, verdicts = _core.diff(a._core, b._core, [str(x) for x in (budgets or [])])
    return DiffResult(text, md, table, verdicts)


def reconcile(model, *, dims=None, inputs=None, input_values=None, name=None):
    """The model's total under every built-in operation-counting convention,
    by operator class, as ``opaudit reconcile``: the same library call
    (reconcile) and the same JSON.

    model: a path, the model's bytes, or an :class:`Analysis` (its loaded
        model is reused with its dims and input shapes).
    dims, inputs, input_values: as :func:`analyze`.

    Returns a :class:`ReconcileResult` (``r.totals()["tops"]``,
    ``r.conventions``, ``r.to_json()``, ``r.to_table()``).
    """
    source, label = _source(model, name)
    opts = _options(dims, inputs, input_values, None, None, None, None, None, None, None, None,
                    None, None)
    text, table = _core.reconcile(source, label, opts)
    return ReconcileResult(text, table)


def conventions():
    """Names of the built-in operation-counting conventions, in reconcile order."""
    return list(_core.conventions())


def from_torch(module, example_inputs, *, opset_version=None, input_names=None,
               output_names=None, dynamic_axes=None, export_kwargs=None, **analyze_kwargs):
    """Exports a torch.nn.Module with ``torch.onnx.export`` into memory and
    analyzes the bytes (nothing is written to disk).

    example_inputs: a tensor or a tuple of tensors, as torch.onnx.export takes.
    analyze_kwargs: passed to :func:`analyze` (dims, convention, hw, ...).
    torch is imported only here.
    """
    try:
        import torch
    except ImportError as e:
        raise ImportError("opaudit.from_torch needs PyTorch (torch)") from e
    import io

    buf = io.BytesIO()
    kw = dict(export_kwargs or {})
    if opset_version is not None:
        kw["opset_version"] = opset_version
    if input_names is not None:
        kw["input_names"] = input_names
    if output_names is not None:
        kw["output_names"] = output_names
    if dynamic_axes is not None:
        kw["dynamic_axes"] = dynamic_axes
    args = example_inputs if isinstance(example_inputs, tuple) else (example_inputs,)
    was_training = getattr(module, "training", False)
    module.eval()
    try:
        torch.onnx.export(module, args, buf, **kw)
    finally:
        module.train(was_training)
    analyze_kwargs.setdefault("name", f"<torch {type(module).__name__}>")
    return analyze(buf.getvalue(), **analyze_kwargs)


def _path_or_bytes(model, name, expected):
    """(source, label) for a model given as its bytes (labelled ``name``, by
    default "<bytes>") or as a path (str or os.PathLike, labelled by itself),
    the two forms _core reads; UsageError "EXPECTED, got TYPE" otherwise."""
    if isinstance(model, (bytes, bytearray, memoryview)):
        return model, name or "<bytes>"
    try:
        path = _os.fspath(model)
    except TypeError:
        raise UsageError(f"{expected}, got {type(model).__name__}") from None
    if isinstance(path, bytes):
        path = _os.fsdecode(path)
    return path, path


def _source(model, name):
    """(source, label) for a command over a model: an Analysis (its loaded
    model is reused, the file is not read again), bytes, or a path."""
    if isinstance(model, Analysis):
        return model._core, model.path
    return _path_or_bytes(model, name, "expected a path, bytes or an opaudit.Analysis")


def _positive(what, v, cls=(int,)):
    if isinstance(v, bool) or not isinstance(v, cls) or v <= 0:
        raise UsageError(f"{what} must be a number > 0, got {v!r}")
    return v


def _fraction(v):
    """0.4, "0.4" or "40%" -> 0.4, as the CLI's --utilization."""
    if isinstance(v, str):
        s = v.strip()
        pct = s.endswith("%")
        try:
            f = float(s[:-1] if pct else s)
        except ValueError:
            raise UsageError("utilization expects a fraction (0.4) or a percentage (40%), "
                             f"got {v!r}") from None
        f = f / 100 if pct else f
    else:
        f = v
    return float(_positive("utilization", f, (int, float)))


def claim(model, *, peak_tops=None, hw=None, fps=None, utilization=None, batch=1,
          claim_convention="tops", precision=None, sparsity=None, operating_point=None,
          dims=None, name=None):
    """Checks a throughput claim, as ``opaudit claim``: the same library call
    (evaluateClaim) and the same JSON.

    model: a path, the model's bytes, or an :class:`Analysis` (its loaded model
        is reused, with its dims and input shapes, under the claim's batch).
    peak_tops or hw: the quoted peak TOPS, or a catalog part / profile file
        whose dense peak at ``precision`` (default: the graph's) is used.
    fps or utilization: the claimed images/s, or a MAC utilization (0.4 or
        "40%") to turn into images/s.
    batch: the claim's batch (binds a symbolic batch dim); claim_convention:
        how the quoted TOPS count operations; sparsity: "2:4" for sparse TOPS.

    Returns a :class:`ClaimResult`: ``r.mac_utilization``, ``r["plausible"]``,
    ``r.to_json()``. An impossible claim is a result with ``plausible`` False,
    not an exception (the CLI exits 1). Raises UsageError for inconsistent
    options and LoadError for an unreadable model, naming the model.
    """
    source, label = _source(model, name)
    if peak_tops is not None:
        peak_tops = float(_positive("peak_tops", peak_tops, (int, float)))
    if fps is not None:
        fps = float(_positive("fps", fps, (int, float)))
    if utilization is not None:
        utilization = _fraction(utilization)
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise UsageError(f"{label}: batch must be a count >= 1, got {batch!r}")
    if sparsity not in (None, "none", "dense", "2:4"):
        raise UsageError(f"{label}: sparsity supports '2:4' (sparse TOPS, twice the dense rate) "
                         f"or 'none', got {sparsity!r}")
    text, notes = _core.claim(
        source, label, label, _check_dims(dict(dims or {})), batch, peak_tops,
        _os.fspath(hw) if hw is not None else "", operating_point or "", fps, utilization,
        _os.fspath(claim_convention), precision or "", sparsity == "2:4")
    return ClaimResult(text, notes)


def llm(model, *, hw=None, precision=None, operating_point=None, batch=1, prompt=2048,
        context=4096, kv_dtype=None, devices=1, fused_attention=True, name=None):
    """The serving estimate of an exported decoder, as ``opaudit llm``: the same
    library call (estimateLlm) and the same JSON.

    model: a path, the model's bytes, or an :class:`Analysis` (its loaded model
        is reused).
    hw: a catalog part or profile file (without it: counts and formulas only).
    batch: a count or a list of counts (one point per batch); prompt: prefill
        tokens; context: positions a decode step attends to; kv_dtype: count
        the cache at this dtype; devices: tensor-parallel split;
        fused_attention=False charges score matrices as traffic.

    Returns an :class:`LlmResult` (``r.decoder``, ``r.decode.tokens_per_second``
    for one batch, ``r.points[i]`` for several, ``r.to_json()``, ``r.to_svg()``). A model that is not a decoder is a result
    with ``decoder`` False and a ``reason``.
    """
    source, label = _source(model, name)
    batches = [batch] if isinstance(batch, int) and not isinstance(batch, bool) else list(batch)
    for what, v in [("prompt", prompt), ("context", context), ("devices", devices)] + \
            [("batch", b) for b in batches]:
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise UsageError(f"{label}: {what} must be a count >= 1, got {v!r}")
    if not batches:
        raise UsageError(f"{label}: batch must name at least one count")
    text, svg = _core.llm(source, label, batches, prompt, context, devices, bool(fused_attention),
                          _os.fspath(hw) if hw is not None else "", precision or "",
                          operating_point or "", kv_dtype or "")
    return LlmResult(text, svg)


class _Hw:
    """The hardware catalog: the same data as ``opaudit hw list/show -f json``."""

    def list(self):
        """Every catalog part, as the records of ``opaudit hw list -f json``."""
        return _records(_core.hw_list_json())

    def show(self, name, operating_point=None):
        """One part (a catalog name or a profile file): its dense peaks per
        precision, memory, sources and consistency findings, as
        ``opaudit hw show NAME -f json``."""
        return _records(_core.hw_show_json(_os.fspath(name), operating_point or ""))


hw = _Hw()
