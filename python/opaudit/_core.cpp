// The Python binding (issue 15): a thin shell over the same library the CLI
// uses. One call opens an Analysis and builds its Report with the GIL
// released; everything Python sees comes from that Report through the C++
// JSON writer (so field names and values are the CLI's by construction) or,
// for evaluate(), from the MAC total expressions the analysis already holds.
// Option parsing that is plain string work lives in python/opaudit/__init__.py;
// the traffic and hardware checks and the check of option names against the
// model are the library's (analyzer/Options.h), the same the CLI runs.
#include "analyzer/Analysis.h"
#include "analyzer/Options.h"
#include "passes/Conventions.h"
#include "reports/HardwareReport.h"
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

[[noreturn]] void raise(llvm::Error E) {
  ErrorCategory Cat = ErrorCategory::Internal;
  std::string Msg;
  llvm::handleAllErrors(
      std::move(E),
      [&](const OpauditError &O) {
        Cat = O.category();
        Msg = O.text();
      },
      [&](const llvm::ErrorInfoBase &B) { Msg = B.message(); });
  throw PyOpauditError{Cat, std::move(Msg)};
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
      Out.append(py::make_tuple(severityName(D.Level).str(),
                                D.Node.empty() ? py::object(py::none()) : py::str(D.Node),
                                D.Message));
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
      Out.append(py::make_tuple(Val.Name, dtypeName(T.Elem).str(), Dims));
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
    py::dict Bound;
    for (const auto &E : B)
      Bound[py::str(E.first().str())] = E.second;
    D["dims"] = Bound;
    return D;
  }
};

std::unique_ptr<PyAnalysis> analyze(py::object Source, const std::string &Name,
                                    const PyOptions &P) {
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
  // Bytes are copied once while the GIL is held; the path form never touches Python.
  std::unique_ptr<llvm::MemoryBuffer> Buf;
  std::string Path;
  if (py::isinstance<py::bytes>(Source) || py::isinstance<py::bytearray>(Source) ||
      py::isinstance<py::memoryview>(Source)) {
    py::buffer_info I = py::buffer(Source).request();
    Buf = llvm::MemoryBuffer::getMemBufferCopy(
        llvm::StringRef(static_cast<const char *>(I.ptr), static_cast<size_t>(I.size * I.itemsize)),
        Name);
  } else {
    Path = py::str(Source);
  }
  auto Out = std::make_unique<PyAnalysis>();
  std::optional<llvm::Error> Err;
  {
    py::gil_scoped_release NoGil;
    auto Run = [&]() -> llvm::Error {
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
      auto An = Buf ? Analysis::fromBuffer(std::move(Buf), Name, std::move(O))
                    : Analysis::open(Path, std::move(O));
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
    };
    if (llvm::Error E = Run())
      Err.emplace(std::move(E));
  }
  if (Err)
    raise(std::move(*Err));
  return Out;
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
