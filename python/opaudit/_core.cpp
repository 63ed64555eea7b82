// The Python binding (issue 15): a thin shell over the same library the CLI
// uses. One call opens an Analysis and builds its Report with the GIL
// released; everything Python sees comes from that Report through the C++
// JSON writer (so field names and values are the CLI's by construction) or,
// for evaluate(), from the MAC total expressions the analysis already holds.
// claim() and llm() return the JSON of the commands' own writers.
// Option parsing that is plain string work lives in python/opaudit/__init__.py;
// the traffic and hardware checks and the check of option names against the
// model are the library's (analyzer/Options.h), the same the CLI runs.
//
// diff() compares two CoreAnalysis objects with the library's diffReports
// and checkBudgets, as `opaudit diff` does, and returns its writers' texts.
//
// The commands over a model (claim, llm) share one shape, runOnModel below:
// the model is a path, bytes, or an already analyzed CoreAnalysis (its loaded
// model is reused, Analysis::withOptions); the library call and its JSON
// writer run with the GIL released; the result is the writer's text. Binding
// another such command is one function that fills the library's options,
// calls it inside runOnModel and returns its writer's JSON, plus a wrapper in
// __init__.py that returns a Result (reconcile() below is one).
#include "analyzer/Analysis.h"
#include "analyzer/Claim.h"
#include "analyzer/Llm.h"
#include "analyzer/Options.h"
#include "analyzer/Reconcile.h"
#include "analyzer/Sweep.h"
#include "passes/Conventions.h"
#include "passes/Roofline.h"
#include "passes/Traffic.h"
#include "reports/ClaimWriters.h"
#include "reports/Diff.h"
#include "reports/HardwareReport.h"
#include "reports/LlmWriters.h"
#include "reports/ReconcileWriters.h"
#include "reports/Report.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mutex>

namespace py = pybind11;
using namespace opaudit;

namespace {

// opaudit.Error and its subclasses; created in PYBIND11_MODULE.
PyObject *ErrorType = nullptr, *LoadErrorType = nullptr, *UsageErrorType = nullptr;

/// Raised from C++ with the GIL held: the category picks the Python class.
struct PyOpauditError {
  ErrorCategory Cat;
  std::string Msg;
};

/// An llvm::Error as Python will see it. An error that is not the library's
/// (no category) becomes a plain opaudit.Error with the error's own message.
PyOpauditError unpack(llvm::Error E) {
  PyOpauditError Out{ErrorCategory::Internal, {}};
  llvm::handleAllErrors(
      std::move(E),
      [&](const OpauditError &O) {
        Out.Cat = O.category();
        Out.Msg = O.text();
      },
      [&](const llvm::ErrorInfoBase &B) { Out.Msg = B.message(); });
  return Out;
}

[[noreturn]] void raise(llvm::Error E) { throw unpack(std::move(E)); }

/// Runs \p Fn, which returns an llvm::Error, with the GIL released, and
/// raises its error once the GIL is held again (see PyOpauditError).
template <typename F> void runWithoutGil(F Fn) {
  std::optional<llvm::Error> Err;
  {
    py::gil_scoped_release NoGil;
    if (llvm::Error E = Fn())
      Err.emplace(std::move(E));
  }
  if (Err)
    raise(std::move(*Err));
}

/// Prefixes the model's name to an error that does not name it already (the
/// library's option checks do not know the file), so every exception from a
/// command over a model says which model.
llvm::Error namingFile(llvm::Error E, const std::string &File) {
  PyOpauditError P = unpack(std::move(E));
  if (!File.empty() && P.Msg.find(File) == std::string::npos)
    P.Msg = File + ": " + P.Msg;
  return makeError(P.Cat, P.Msg);
}

/// The value of \p X, or raises its error named after \p File (namingFile).
template <typename T> T valueOrRaise(llvm::Expected<T> X, const std::string &File) {
  if (!X)
    raise(namingFile(X.takeError(), File));
  return std::move(*X);
}

/// Options as the Python layer passes them: already split into names and values.
struct PyOptions {
  std::map<std::string, int64_t> Dims;
  std::map<std::string, std::vector<std::string>> Inputs;
  std::map<std::string, std::vector<double>> InputValues;
  std::map<std::string, int64_t> TripCounts;
  std::optional<int64_t> Batch, Sram;
  std::string Hw, OperatingPoint, Precision, WeightDType, ActDType, Convention;
  std::optional<double> Utilization;
};

/// The options that say what the model computes (dims, input shapes and
/// values, trip counts, batch) in the library's form; the traffic settings
/// are analyze()'s alone and go through applyTrafficSettings. reconcile() in
/// __init__.py sets only dims, inputs and input values, the options `opaudit
/// reconcile` takes.
AnalysisOptions analysisOptions(const PyOptions &P) {
  AnalysisOptions O;
  for (const auto &[K, V] : P.Dims)
    O.Dims[K] = V;
  for (const auto &[K, V] : P.Inputs)
    O.InputShapes[K] = V;
  for (const auto &[K, V] : P.InputValues)
    O.InputValues[K] = V;
  for (const auto &[K, V] : P.TripCounts)
    O.TripCounts[K] = V;
  O.Batch = P.Batch;
  return O;
}

/// A model given as bytes (bytes, bytearray, memoryview) or as a path (any
/// other object, by its str(); __init__.py has checked the type). It is read
/// off the Python object with the GIL held, the bytes copied once, so that
/// open() can run without the GIL.
class ModelSource {
public:
  ModelSource(const py::object &Source, std::string Name) : Name(std::move(Name)) {
    if (py::isinstance<py::bytes>(Source) || py::isinstance<py::bytearray>(Source) ||
        py::isinstance<py::memoryview>(Source)) {
      py::buffer_info I = py::buffer(Source).request();
      Buf = llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(static_cast<const char *>(I.ptr),
                          static_cast<size_t>(I.size * I.itemsize)),
          this->Name);
    } else {
      Path = py::str(Source);
    }
  }

  /// Loads and analyzes the model under \p O; call once.
  llvm::Expected<std::unique_ptr<Analysis>> open(AnalysisOptions O) {
    return Buf ? Analysis::fromBuffer(std::move(Buf), Name, std::move(O))
               : Analysis::open(Path, std::move(O));
  }

private:
  std::string Name; ///< The bytes' name in messages and in the report.
  std::unique_ptr<llvm::MemoryBuffer> Buf;
  std::string Path;
};

/// The Python-side Analysis: the library's Analysis kept alive with its Report,
/// so evaluate() works on the same symbolic expressions without re-reading.
class PyAnalysis {
public:
  std::unique_ptr<Analysis> A;
  std::optional<Convention> Conv;
  Report R;
  std::string HeadJson; ///< The JSON report without layers and diagnostics.
  std::mutex M;         ///< evaluate() and the lazy JSON may run from several threads.
  std::string FullJson;
  std::optional<Expr> OpsTotal; ///< The convention's total, computed at the first evaluate().

  const std::string &json() {
    std::lock_guard<std::mutex> L(M);
    if (FullJson.empty()) {
      FullJson.reserve(R.Rows.size() * 512);
      llvm::raw_string_ostream OS(FullJson);
      OS.SetBuffered(); // raw_string_ostream writes through otherwise: one append per token.
      writeJson(R, OS);
      OS.flush();
    }
    return FullJson;
  }

  py::list diagnostics() const {
    py::list Out;
    for (const Diagnostic &D : R.Diags)
      Out.append(py::make_tuple(severityName(D.Level).str(), D.Code, D.Path,
                                D.Node.empty() ? py::object(py::none()) : py::str(D.Node),
                                D.Message, D.Dependents));
    return Out;
  }

  /// Graph inputs that are not initializers: (name, dtype, dims) with each
  /// dim an int, a formula string, or "?" (the JSON writer's rule for shapes).
  py::list inputs() {
    const Graph &G = A->model().Main;
    const ShapeInfo &SI = A->get<ShapeInference>();
    SymContext &S = A->sym();
    py::list Out;
    for (ValueId V : G.Inputs) {
      const Value &Val = G.value(V);
      if (Val.Initializer >= 0)
        continue;
      const TensorType &T = SI.Types[static_cast<size_t>(V)];
      py::object Dims = py::none();
      if (T.Dims) {
        py::list L;
        for (Expr D : *T.Dims) {
          if (!D || S.dependsOnFresh(D))
            L.append("?");
          else if (auto C = S.evaluate(D, {}))
            L.append(*C);
          else
            L.append(D.str());
        }
        Dims = L;
      }
      Out.append(py::make_tuple(Val.Name.str(), dtypeName(T.Elem).str(), Dims));
    }
    return Out;
  }

  /// The MAC (and, with a convention, ops) totals under extra dim bindings,
  /// from the expressions of this analysis: nothing is re-analyzed.
  py::dict evaluate(const std::map<std::string, int64_t> &Dims) {
    std::lock_guard<std::mutex> L(M);
    llvm::StringMap<int64_t> B;
    for (const auto &E : A->options().Dims)
      B[E.first()] = E.second;
    for (const auto &[K, V] : Dims)
      B[K] = V;
    SymContext &S = A->sym();
    auto Subst = [&](Expr E) -> Expr {
      if (!E)
        return E;
      return S.substitute(E, [&](llvm::StringRef Name) -> Expr {
        auto It = B.find(Name);
        return It == B.end() ? Expr() : S.constant(It->second);
      });
    };
    // The same text rule as the report: no formula that hides an unknown dim.
    auto Put = [&](py::dict &D, const char *Key, Expr E) {
      Expr X = Subst(E);
      auto V = X ? S.evaluate(X, B) : std::nullopt;
      D[Key] = V ? py::object(py::int_(*V)) : py::object(py::none());
      std::string K = std::string(Key) + "_expr";
      D[K.c_str()] = (!X || S.dependsOnFresh(X)) ? py::object(py::none()) : py::str(X.str());
    };
    const MacCounts &MC = A->get<MacCount>();
    py::dict D;
    Put(D, "macs", MC.Total);
    if (!R.TotalMacsMinExpr.empty() || !R.TotalMacsMaxExpr.empty()) {
      Put(D, "macs_min", MC.Min);
      Put(D, "macs_max", MC.Max);
    }
    if (!R.TotalMacsKnownExpr.empty())
      Put(D, "macs_known", MC.Known);
    D["params"] = R.TotalParams;
    D["weight_bytes"] = R.TotalWeightBytes;
    if (Conv) {
      if (!OpsTotal)
        OpsTotal = countOps(A->manager(), *Conv).Total;
      Put(D, "ops", *OpsTotal);
    }
    if (A->options().wantsTraffic())
      evaluateTraffic(Dims, D);
    py::dict Bound;
    for (const auto &E : B)
      Bound[py::str(E.first().str())] = E.second;
    D["dims"] = Bound;
    return D;
  }

  /// Traffic and roofline totals under \p Dims, as a sweep point evaluates
  /// them (analyzer/Sweep): the analysis evaluated under a phase, or analyzed
  /// afresh (the file is not read again) when the symbolic analysis cannot
  /// answer: value propagation stopped at a symbolic dim, or a figure stays
  /// unknown under the binding. "reanalyzed" says which.
  void evaluateTraffic(const std::map<std::string, int64_t> &Dims, py::dict &D) {
    Phase P;
    P.Name = "evaluate";
    for (const auto &[K, V] : Dims)
      P.Dims[K] = V;
    std::unique_ptr<Analysis> PA;
    bool Fresh = !symbolicValueStop(*A).empty();
    if (!Fresh) {
      PA = A->phase(P);
      const TrafficInfo &T = PA->get<Traffic>();
      Fresh = !PA->reanalyzed() && (!T.OffchipBytes || !T.PeakActivationBytes);
    }
    if (Fresh) {
      AnalysisOptions O = A->options();
      for (const auto &[K, V] : Dims)
        O.Dims[K] = V;
      PA = A->withOptions(std::move(O));
    }
    auto Opt = [](auto V) { return V ? py::cast(*V) : py::object(py::none()); };
    const TrafficInfo &T = PA->get<Traffic>();
    D["offchip_bytes"] = Opt(T.OffchipBytes);
    D["peak_activation_bytes"] = Opt(T.PeakActivationBytes);
    D["weight_traffic_per_batch"] = T.WeightTrafficPerBatch;
    const RooflineInfo &Ro = PA->get<Roofline>();
    if (Ro.Available) {
      D["latency_seconds"] = Opt(Ro.LatencySeconds);
      D["inferences_per_second"] = Opt(Ro.InferencesPerSecond);
      D["bound"] = !Ro.LatencySeconds ? "?" : Ro.MemoryBound ? "memory" : "compute";
    }
    D["reanalyzed"] = Fresh || PA->reanalyzed();
  }
};

std::unique_ptr<PyAnalysis> analyze(py::object Source, const std::string &Name,
                                    const PyOptions &P) {
  AnalysisOptions O = analysisOptions(P);
  ModelSource Src(Source, Name);
  auto Out = std::make_unique<PyAnalysis>();
  runWithoutGil([&]() -> llvm::Error {
    TrafficSettings T;
    T.Hw = P.Hw;
    T.OperatingPoint = P.OperatingPoint;
    T.Precision = P.Precision;
    T.WeightDType = P.WeightDType;
    T.ActDType = P.ActDType;
    T.Sram = P.Sram;
    T.Utilization = P.Utilization;
    std::vector<std::string> Warnings;
    llvm::Error TE = applyTrafficSettings(T, O, &Warnings);
    for (const std::string &W : Warnings)
      llvm::errs() << "opaudit: warning: " << W << "\n";
    if (TE)
      return TE;
    if (!P.Convention.empty()) {
      auto C = loadConvention(P.Convention);
      if (!C)
        return C.takeError();
      Out->Conv = std::move(*C);
    }
    auto An = Src.open(std::move(O));
    if (!An)
      return An.takeError();
    if (llvm::Error E = checkOptionsAgainstModel((*An)->model(), (*An)->options()))
      return E;
    Out->A = std::move(*An);
    Out->R = buildReport(*Out->A, Out->Conv ? &*Out->Conv : nullptr);
    // The head of the report (model, dims, totals, coverage, convention,
    // roofline, conditions) without the rows: cheap for any graph size.
    std::vector<LayerRow> Rows = std::move(Out->R.Rows);
    std::vector<Diagnostic> Diags = std::move(Out->R.Diags);
    Out->R.Rows.clear();
    Out->R.Diags.clear();
    llvm::raw_string_ostream OS(Out->HeadJson);
    writeJson(Out->R, OS);
    OS.flush();
    Out->R.Rows = std::move(Rows);
    Out->R.Diags = std::move(Diags);
    return llvm::Error::success();
  });
  return Out;
}

/// Runs \p Fn(Analysis&, JSON out) on the model \p Source (a path, bytes
/// named \p Name, or a CoreAnalysis whose loaded model is reused) analyzed
/// under \p O, with the GIL released. With \p KeepShapes a CoreAnalysis's
/// dims, input shapes and values and trip counts carry over. Returns the JSON
/// Fn wrote.
template <typename F>
std::string runOnModel(py::object Source, const std::string &Name, AnalysisOptions O,
                       bool KeepShapes, F Fn) {
  PyAnalysis *Prior = py::isinstance<PyAnalysis>(Source) ? Source.cast<PyAnalysis *>() : nullptr;
  std::optional<ModelSource> Src;
  if (!Prior)
    Src.emplace(Source, Name);
  std::string Out;
  auto Run = [&]() -> llvm::Error {
    std::unique_ptr<Analysis> A;
    if (Prior) {
      if (KeepShapes) {
        // The analysis' own shape bindings still hold (dims given here win).
        const AnalysisOptions &P = Prior->A->options();
        for (const auto &E : P.Dims)
          O.Dims.try_emplace(E.first(), E.second);
        O.InputShapes = P.InputShapes;
        O.InputValues = P.InputValues;
        O.TripCounts = P.TripCounts;
      }
      A = Prior->A->withOptions(std::move(O));
    } else {
      auto An = Src->open(std::move(O));
      if (!An)
        return An.takeError();
      A = std::move(*An);
    }
    llvm::raw_string_ostream OS(Out);
    OS.SetBuffered();
    if (llvm::Error E = Fn(*A, OS))
      return E;
    OS.flush();
    return llvm::Error::success();
  };
  runWithoutGil([&]() -> llvm::Error {
    if (llvm::Error E = Run())
      return namingFile(std::move(E), Name);
    return llvm::Error::success();
  });
  return Out;
}

/// Loads the hardware profile \p Hw, if any, with the GIL held (a small file);
/// an error names the model \p File.
std::optional<HardwareProfile> hardwareOrNone(const std::string &Hw, const std::string &File) {
  if (Hw.empty())
    return std::nullopt;
  return valueOrRaise(loadHardware(Hw), File);
}

/// `opaudit claim`: evaluateClaim on the model, written by writeClaimJson.
/// Returns (JSON, notes); the notes are what the CLI prints to stderr.
py::tuple claim(py::object Source, const std::string &Name, const std::string &Model,
                const std::map<std::string, int64_t> &Dims, int64_t Batch,
                std::optional<double> PeakTops, const std::string &Hw,
                const std::string &OperatingPoint, std::optional<double> Fps,
                std::optional<double> Utilization, const std::string &ClaimConvention,
                const std::string &Precision, bool Sparse) {
  ClaimInputs In;
  In.PeakTops = PeakTops;
  In.Fps = Fps;
  In.Utilization = Utilization;
  In.Batch = Batch;
  In.Sparse = Sparse;
  In.Precision = Precision;
  In.OperatingPoint = OperatingPoint;
  In.ClaimConvention = valueOrRaise(loadConvention(ClaimConvention), Name);
  std::optional<HardwareProfile> H = hardwareOrNone(Hw, Name);
  In.Hardware = H ? &*H : nullptr;
  AnalysisOptions O;
  for (const auto &[K, V] : Dims)
    O.Dims[K] = V;
  // As the CLI: the claim's batch binds a symbolic batch dim.
  if (Batch >= 1)
    O.Batch = Batch;
  std::vector<std::string> Notes;
  std::string J = runOnModel(Source, Name, std::move(O), /*KeepShapes=*/true,
                             [&](Analysis &A, llvm::raw_ostream &OS) -> llvm::Error {
                               auto R = evaluateClaim(A, In);
                               if (!R)
                                 return R.takeError();
                               Notes = R->Notes;
                               writeClaimJson(Model, Hw, *R, OS);
                               return llvm::Error::success();
                             });
  return py::make_tuple(J, Notes);
}

/// `opaudit llm`: estimateLlm on the model. Returns (JSON, SVG); the SVG is
/// empty when the model is not a decoder.
py::tuple llm(py::object Source, const std::string &Name, const std::vector<int64_t> &Batches,
              int64_t Prompt, int64_t Context, int64_t Devices, bool FusedAttention,
              const std::string &Hw, const std::string &Precision,
              const std::string &OperatingPoint, const std::string &KvDType) {
  LlmOptions O;
  O.Batches = Batches;
  O.Prompt = Prompt;
  O.Context = Context;
  O.Devices = Devices;
  O.FusedAttention = FusedAttention;
  O.Precision = Precision;
  O.OperatingPoint = OperatingPoint;
  if (!KvDType.empty()) {
    O.KvDType = dtypeFromString(KvDType);
    if (!O.KvDType || dtypeBits(*O.KvDType) == 0)
      raise(makeError(ErrorCategory::Usage, Name + ": kv_dtype: unknown dtype '" + KvDType + "'"));
  }
  O.Hw = hardwareOrNone(Hw, Name);
  O.HwName = Hw;
  std::string Svg;
  std::string J = runOnModel(Source, Name, {}, /*KeepShapes=*/false,
                             [&](Analysis &A, llvm::raw_ostream &OS) -> llvm::Error {
                               auto R = estimateLlm(A, O);
                               if (!R)
                                 return R.takeError();
                               writeLlmJson(*R, OS);
                               if (R->Decoder) {
                                 llvm::raw_string_ostream SO(Svg);
                                 writeLlmSvg(*R, SO);
                               }
                               return llvm::Error::success();
                             });
  return py::make_tuple(J, Svg);
}

/// `opaudit reconcile`: the library's reconcile() on the model, written by
/// the command's own writers. Returns (JSON, table).
py::tuple reconcileModel(py::object Source, const std::string &Name, const PyOptions &P) {
  std::string Table;
  std::string J = runOnModel(Source, Name, analysisOptions(P), /*KeepShapes=*/true,
                             [&](Analysis &A, llvm::raw_ostream &OS) -> llvm::Error {
                               if (llvm::Error E = checkOptionsAgainstModel(A.model(), A.options()))
                                 return E;
                               auto R = reconcile(A);
                               if (!R)
                                 return R.takeError();
                               {
                                 llvm::json::OStream JS(OS, 2);
                                 writeReconcileJson(JS, *R);
                               }
                               OS << "\n";
                               llvm::raw_string_ostream TS(Table);
                               writeReconcileTable(*R, TS);
                               return llvm::Error::success();
                             });
  return py::make_tuple(J, Table);
}

/// `opaudit diff`: diffReports on two analyses' reports and checkBudgets on
/// the result, as the CLI. Returns (JSON, Markdown, table, verdicts); each
/// verdict is (budget text, "within"|"exceeded"|"unknown", message).
py::tuple diff(PyAnalysis &Old, PyAnalysis &New, const std::vector<std::string> &Budgets) {
  std::vector<Budget> Bs;
  for (const std::string &S : Budgets) {
    auto B = parseBudget(S);
    if (!B)
      raise(B.takeError());
    Bs.push_back(*B);
  }
  std::string Json, Md, Table;
  std::vector<std::tuple<std::string, std::string, std::string>> Verdicts;
  runWithoutGil([&]() -> llvm::Error {
    DiffReport D = diffReports(Old.R, New.R);
    // The first budget whose metric the options do not produce is the error.
    for (const Budget &B : Bs)
      if (!D.has(B.Metric))
        return makeError(ErrorCategory::Usage,
                         "budget '" + B.Text + "': both analyses need " +
                             (B.Metric == DiffMetric::Ops       ? "a convention"
                              : B.Metric == DiffMetric::Latency ? "hw"
                                                                : "hw, batch or sram") +
                             " for " + diffMetricName(B.Metric).str());
    D.Verdicts = checkBudgets(D, Bs);
    llvm::raw_string_ostream J(Json), M(Md), T(Table);
    writeDiffJson(D, J);
    writeDiffMarkdown(D, M);
    writeDiffTable(D, T);
    J.flush(), M.flush(), T.flush();
    for (const BudgetVerdict &V : D.Verdicts)
      Verdicts.emplace_back(V.B.Text,
                            V.R == BudgetVerdict::Result::Within     ? "within"
                            : V.R == BudgetVerdict::Result::Exceeded ? "exceeded"
                                                                     : "unknown",
                            V.Message);
    return llvm::Error::success();
  });
  return py::make_tuple(Json, Md, Table, Verdicts);
}

std::string hwListJson() {
  std::vector<HardwareProfile> Profiles;
  for (llvm::StringRef N : builtinHardwareNames()) {
    auto H = loadHardware(N);
    if (!H)
      raise(makeError(ErrorCategory::Internal, llvm::toString(H.takeError())));
    Profiles.push_back(std::move(*H));
  }
  // The CLI's order: real parts first, the illustrative profiles (no sources) last.
  std::stable_partition(Profiles.begin(), Profiles.end(),
                        [](const HardwareProfile &H) { return !H.Sources.empty(); });
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeHardwareList(Profiles, true, OS);
  return OS.str();
}

std::string hwShowJson(const std::string &Name, const std::string &Point) {
  auto H = loadHardware(Name);
  if (!H)
    raise(H.takeError());
  const OperatingPoint *P = H->operatingPoint(Point);
  if (!P) {
    std::string Names;
    for (const OperatingPoint &Q : H->OperatingPoints)
      Names += (Names.empty() ? "" : ", ") + Q.Name;
    raise(makeError(ErrorCategory::Usage, "hardware profile " + H->File +
                                              ": operating_points: no operating point '" + Point +
                                              "' (known: " + Names + ")"));
  }
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeHardwareShow(*H, *P, checkHardwareConsistency(*H), true, OS);
  return OS.str();
}

} // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "opaudit's C++ library (use the opaudit package, not this module)";
  ErrorType = PyErr_NewExceptionWithDoc(
      "opaudit.Error", "Base class of every error opaudit raises.", nullptr, nullptr);
  LoadErrorType = PyErr_NewExceptionWithDoc(
      "opaudit.LoadError", "The model cannot be read or is not ONNX; the message names it.",
      ErrorType, nullptr);
  UsageErrorType = PyErr_NewExceptionWithDoc(
      "opaudit.UsageError", "A bad option value (a dim, an input shape, a profile, ...).",
      ErrorType, nullptr);
  m.attr("Error") = py::handle(ErrorType);
  m.attr("LoadError") = py::handle(LoadErrorType);
  m.attr("UsageError") = py::handle(UsageErrorType);
  py::register_exception_translator([](std::exception_ptr P) {
    try {
      if (P)
        std::rethrow_exception(P);
    } catch (const PyOpauditError &E) {
      PyObject *T = E.Cat == ErrorCategory::Load    ? LoadErrorType
                    : E.Cat == ErrorCategory::Usage ? UsageErrorType
                                                    : ErrorType;
      PyErr_SetString(T, E.Msg.c_str());
    }
  });

  py::class_<PyOptions>(m, "Options")
      .def(py::init<>())
      .def_readwrite("dims", &PyOptions::Dims)
      .def_readwrite("inputs", &PyOptions::Inputs)
      .def_readwrite("input_values", &PyOptions::InputValues)
      .def_readwrite("trip_counts", &PyOptions::TripCounts)
      .def_readwrite("batch", &PyOptions::Batch)
      .def_readwrite("sram", &PyOptions::Sram)
      .def_readwrite("hw", &PyOptions::Hw)
      .def_readwrite("operating_point", &PyOptions::OperatingPoint)
      .def_readwrite("precision", &PyOptions::Precision)
      .def_readwrite("weight_dtype", &PyOptions::WeightDType)
      .def_readwrite("act_dtype", &PyOptions::ActDType)
      .def_readwrite("utilization", &PyOptions::Utilization)
      .def_readwrite("convention", &PyOptions::Convention);

  py::class_<PyAnalysis>(m, "CoreAnalysis")
      .def_property_readonly("head_json", [](const PyAnalysis &P) { return py::str(P.HeadJson); })
      .def("json",
           [](PyAnalysis &P) {
             std::string J;
             {
               py::gil_scoped_release NoGil;
               J = P.json();
             }
             return py::str(J);
           })
      .def("diagnostics", &PyAnalysis::diagnostics)
      .def("inputs", &PyAnalysis::inputs)
      .def("evaluate", &PyAnalysis::evaluate);

  m.def("analyze", &analyze, py::arg("source"), py::arg("name"), py::arg("options"),
        "Opens the model (a path, or bytes named `name`) and builds its report.");
  m.def("claim", &claim, py::arg("source"), py::arg("name"), py::arg("model"), py::arg("dims"),
        py::arg("batch"), py::arg("peak_tops"), py::arg("hw"), py::arg("operating_point"),
        py::arg("fps"), py::arg("utilization"), py::arg("claim_convention"), py::arg("precision"),
        py::arg("sparse"),
        "evaluateClaim on the model; returns (`opaudit claim -f json` text, notes).");
  m.def("llm", &llm, py::arg("source"), py::arg("name"), py::arg("batches"), py::arg("prompt"),
        py::arg("context"), py::arg("devices"), py::arg("fused_attention"), py::arg("hw"),
        py::arg("precision"), py::arg("operating_point"), py::arg("kv_dtype"),
        "estimateLlm on the model; returns (`opaudit llm --format json` text, SVG).");
  m.def("reconcile", &reconcileModel, py::arg("source"), py::arg("name"), py::arg("options"),
        "reconcile() on the model; returns (`opaudit reconcile -f json` text, table).");
  m.def("diff", &diff, py::arg("old"), py::arg("new"), py::arg("budgets"),
        "diffReports + checkBudgets on two analyses; returns (`opaudit diff -f json` text, "
        "Markdown, table, verdicts).");
  m.def("hw_list_json", &hwListJson, "The hardware catalog as `opaudit hw list -f json`.");
  m.def("hw_show_json", &hwShowJson, py::arg("name"), py::arg("operating_point") = "",
        "One profile as `opaudit hw show NAME -f json`.");
  m.def("conventions", [] {
    std::vector<std::string> N;
    for (llvm::StringRef S : builtinConventionNames())
      N.push_back(S.str());
    return N;
  });
}
