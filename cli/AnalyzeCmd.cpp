// `opaudit analyze`: options -> AnalysisOptions, one call into the library,
// then the chosen writer. Diagnostics go to stderr, the report to stdout or -o.
#include "cli/Commands.h"
#include "cli/TrafficOptions.h"
#include "cli/ZooRun.h"
#include "reports/Graph.h"
#include "reports/Presentation.h"
#include "reports/Report.h"

#include "onnx/onnx_pb.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

namespace opaudit::cli {

namespace {

struct AnalyzeArgs {
  std::vector<std::string> Models;
  std::string Format = "table";
  std::string Output;
  ShapeArgs Shape; // --dim, --input, --input-value
  // Issue 3: control flow and shape-carrying inputs from files.
  std::vector<std::string> TripCounts;
  std::vector<std::string> InputData;
  std::string Branch = "range";
  std::string Subgraphs = "show";
  bool Quiet = false;
  unsigned MaxDiags = 20;
  // Traffic, memory and roofline (docs/traffic-model.md).
  std::optional<int64_t> Batch;
  TrafficArgs Traffic;
  std::string Convention; ///< --convention NAME|FILE; empty: no ops column.
  // Presentation (issue 6): --top, --group-by, --sort, --scope-depth.
  size_t Top = 0;
  std::string GroupBy = "none";
  std::string Sort = "auto";
  unsigned ScopeDepth = 1;
  bool HideTrivial = false;
  unsigned Jobs = 0; // Several models: worker threads (ZooRun.cpp).
};

/// Decodes a small TensorProto file (--input-data) into values and dims.
llvm::Error readInputData(llvm::StringRef Spec, AnalysisOptions &O) {
  auto [K, Path] = Spec.split('=');
  if (K.empty() || Path.empty())
    return makeError(ErrorCategory::Usage, "--input-data expects NAME=FILE.pb, got '" + Spec + "'");
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return makeError(ErrorCategory::Usage,
                     "--input-data: cannot read '" + Path + "': " + Buf.getError().message());
  onnx::TensorProto T;
  if (!T.ParseFromArray((*Buf)->getBufferStart(), static_cast<int>((*Buf)->getBufferSize())))
    return makeError(ErrorCategory::Usage, "--input-data: '" + Path + "' is not a TensorProto");
  int64_t N = 1;
  for (int64_t D : T.dims())
    if (D < 0 || __builtin_mul_overflow(N, D, &N) || N > TensorData::kKeepElements)
      return makeError(ErrorCategory::Usage,
                       "--input-data: '" + Path + "' holds more than " +
                           llvm::Twine(TensorData::kKeepElements) +
                           " elements; only small shape-carrying tensors are read");
  std::vector<double> Vals;
  const std::string &Raw = T.raw_data();
  auto FromRaw = [&](auto Zero) {
    using E = decltype(Zero);
    for (size_t I = 0; I + sizeof(E) <= Raw.size(); I += sizeof(E)) {
      E X;
      std::memcpy(&X, Raw.data() + I, sizeof(E));
      Vals.push_back(static_cast<double>(X));
    }
  };
  using TP = onnx::TensorProto;
  switch (T.data_type()) {
  case TP::FLOAT:
    Raw.empty() ? (void)Vals.assign(T.float_data().begin(), T.float_data().end()) : FromRaw(0.0f);
    break;
  case TP::DOUBLE:
    Raw.empty() ? (void)Vals.assign(T.double_data().begin(), T.double_data().end()) : FromRaw(0.0);
    break;
  case TP::INT64:
    Raw.empty() ? (void)Vals.assign(T.int64_data().begin(), T.int64_data().end())
                : FromRaw(int64_t(0));
    break;
  case TP::INT32:
  case TP::BOOL:
  case TP::INT8:
  case TP::UINT8:
  case TP::INT16:
  case TP::UINT16:
    if (!Raw.empty() && T.data_type() == TP::INT32)
      FromRaw(int32_t(0));
    else if (!Raw.empty() && (T.data_type() == TP::INT8))
      FromRaw(int8_t(0));
    else if (!Raw.empty() && (T.data_type() == TP::INT16))
      FromRaw(int16_t(0));
    else if (!Raw.empty() && T.data_type() == TP::UINT16)
      FromRaw(uint16_t(0));
    else if (!Raw.empty())
      FromRaw(uint8_t(0));
    else
      Vals.assign(T.int32_data().begin(), T.int32_data().end());
    break;
  default:
    return makeError(ErrorCategory::Usage, "--input-data: '" + Path +
                                               "' has a data type that is not read (use an "
                                               "integer or float tensor)");
  }
  if (static_cast<int64_t>(Vals.size()) != N)
    return makeError(ErrorCategory::Usage, "--input-data: '" + Path + "' holds " +
                                               llvm::Twine(Vals.size()) + " values for " +
                                               llvm::Twine(N) + " elements");
  O.InputValues[K] = std::move(Vals);
  if (!O.InputShapes.count(K) && T.dims_size() != 1) {
    std::vector<std::string> Dims;
    for (int64_t D : T.dims())
      Dims.push_back(std::to_string(D));
    O.InputShapes[K] = std::move(Dims);
  }
  return llvm::Error::success();
}

/// --trip-count NODE=K and --input-data NAME=FILE.pb.
llvm::Error addControlFlowOptions(const AnalyzeArgs &A, AnalysisOptions &O) {
  for (llvm::StringRef T : A.TripCounts) {
    auto [K, V] = T.rsplit('=');
    int64_t N;
    if (K.empty() || V.getAsInteger(10, N) || N < 0)
      return makeError(ErrorCategory::Usage,
                       "--trip-count expects NODE=K with K >= 0, got '" + T + "'");
    O.TripCounts[K] = N;
  }
  for (llvm::StringRef D : A.InputData)
    if (auto E = readInputData(D, O))
      return E;
  using BC = AnalysisOptions::BranchChoice;
  O.Branch = A.Branch == "then"   ? BC::Then
             : A.Branch == "else" ? BC::Else
             : A.Branch == "max"  ? BC::Max
                                  : BC::Range;
  return llvm::Error::success();
}

/// The options as AnalysisOptions (values already checked by the validators).
llvm::Expected<AnalysisOptions> toOptions(const AnalyzeArgs &A) {
  AnalysisOptions O;
  if (llvm::Error E = applyShapeArgs(A.Shape, O))
    return std::move(E);
  O.Batch = A.Batch;
  if (llvm::Error E = applyTrafficArgs(A.Traffic, O))
    return std::move(E);
  if (auto E = addControlFlowOptions(A, O))
    return std::move(E);
  return O;
}

void printDiagnostics(const Report &R, const AnalyzeArgs &A) {
  if (A.Quiet)
    return;
  size_t Shown = 0;
  for (const Diagnostic &D : R.Diags) {
    if (Shown++ == A.MaxDiags) {
      llvm::errs() << R.Path << ": note: " << (R.Diags.size() - A.MaxDiags)
                   << " more diagnostic(s); --format json lists them all\n";
      break;
    }
    llvm::errs() << R.Path << ": " << D.str() << "\n";
  }
}

int run(const AnalyzeArgs &A) {
  // Several models or a directory: the parallel runner in ZooRun.cpp.
  if (isZooRun(A.Models)) {
    if (A.Top || A.GroupBy != "none" || A.Sort != "auto" || A.HideTrivial) {
      llvm::errs() << "opaudit: error: --top, --group-by, --sort and --hide-trivial shape one "
                      "model's rows; several models give one summary row each\n";
      return kExitUsage;
    }
    auto Opts = toOptions(A);
    if (!Opts)
      return reportError(Opts.takeError());
    return runZoo({A.Models, std::move(*Opts), A.Format, A.Output, A.Quiet, A.MaxDiags, A.Jobs,
                   A.Convention});
  }
  const FormatInfo *F = findFormat(A.Format);
  if (!F) {
    std::string Names;
    for (const FormatInfo &FI : formats())
      Names += (Names.empty() ? "" : ", ") + FI.Name.str();
    llvm::errs() << "opaudit: error: unknown format '" << A.Format << "' (known: " << Names
                 << ")\n";
    return kExitUsage;
  }
  auto Opts = toOptions(A);
  if (!Opts)
    return reportError(Opts.takeError());
  std::optional<Convention> Conv;
  if (!A.Convention.empty()) {
    auto C = loadConvention(A.Convention);
    if (!C)
      return reportError(C.takeError());
    Conv = std::move(*C);
  }
  auto An = openChecked(A.Models.front(), *Opts);
  if (!An)
    return reportError(An.takeError());
  auto R = std::make_optional(buildReport(**An, Conv ? &*Conv : nullptr));
  printDiagnostics(*R, A);
  // Presentation choices and, for formats that embed it, the graph picture.
  auto G = groupByFromName(A.GroupBy);
  auto S = A.Sort == "auto" ? std::optional<SortBy>(SortBy::Auto) : sortByFromName(A.Sort);
  if (!G || !S) {
    llvm::errs() << "opaudit: error: "
                 << (!G ? "unknown --group-by '" + A.GroupBy + "' (known: none, op_type, scope)"
                        : "unknown --sort '" + A.Sort +
                              "' (known: auto, order, macs, params, weights, time)")
                 << "\n";
    return kExitUsage;
  }
  // Say what a format cannot show rather than dropping it silently.
  if ((F->Name == "netron" || F->Name == "model-explorer") && *G != GroupBy::None)
    llvm::errs() << "opaudit: warning: " << F->Name
                 << " attaches figures to nodes; a group has no node, so --group-by leaves only "
                    "--top and --hide-trivial to choose the nodes\n";
  if (F->Name == "csv" && !A.Quiet && (R->Traffic || !R->Convention.empty()))
    llvm::errs() << "opaudit: note: CSV has no place for the conditions (convention, batch, "
                    "hardware, precision, operating point); -f md, html and json state them\n";
  if (*S == SortBy::Time && !(R->Roof && R->Roof->Available)) {
    llvm::errs() << "opaudit: error: --sort time needs --hw (a time per layer)\n";
    return kExitUsage;
  }
  R->View.Top = A.Top;
  R->View.Group = *G;
  R->View.Sort = *S;
  R->View.ScopeDepth = A.ScopeDepth;
  R->View.ShowSubgraphs = A.Subgraphs == "show";
  R->View.HideTrivial = A.HideTrivial;
  if (F->EmbedsGraph) {
    // Big graphs are drawn with repeated blocks folded so the page stays light.
    GraphOptions GO;
    GO.CollapseRepeats = R->NumNodes > 400;
    auto Svg = drawModel(**An, *R, GO, "svg");
    if (Svg)
      R->GraphSvg = std::move(*Svg);
    else
      llvm::errs() << R->Path << ": warning: no graph picture: " << llvm::toString(Svg.takeError())
                   << "\n";
  }
  // The writers read the report alone (its text lives in its own arena):
  // the model and its analyses, most of the memory on a large graph, are
  // freed before the writers build their view.
  An->reset();
  if (A.Output.empty() || A.Output == "-") {
    if (F->Name == "model-explorer" && !A.Quiet)
      llvm::errs() << "opaudit: note: stdout holds the MACs node data only; -o FILE also writes "
                      "one file per other metric\n";
    F->Write(*R, llvm::outs());
    llvm::outs().flush();
    return kExitOk;
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(A.Output, EC, llvm::sys::fs::OF_None);
  if (EC) {
    llvm::errs() << "opaudit: error: cannot write '" << A.Output << "': " << EC.message() << "\n";
    return kExitUsage;
  }
  F->Write(*R, OS);
  if (F->Name == "model-explorer") {
    // One metric per node-data file: MACs in FILE, the others beside it.
    llvm::StringRef Out = A.Output;
    std::string Stem = Out.endswith(".json") ? Out.drop_back(5).str() : Out.str();
    for (const std::string &M : modelExplorerMetrics(*R)) {
      if (M == "macs")
        continue;
      std::string Path = Stem + "." + M + ".json";
      llvm::raw_fd_ostream MS(Path, EC, llvm::sys::fs::OF_None);
      if (EC) {
        llvm::errs() << "opaudit: error: cannot write '" << Path << "': " << EC.message() << "\n";
        return kExitUsage;
      }
      writeModelExplorerMetric(*R, M, MS);
      if (!A.Quiet)
        llvm::errs() << "opaudit: note: wrote " << Path << "\n";
    }
  }
  return kExitOk;
}

} // namespace

RunFn setupAnalyze(CLI::App &Sub) {
  auto A = std::make_shared<AnalyzeArgs>();
  Sub.add_option("model", A->Models,
                 "ONNX model file; several files or a directory give one summary row per model")
      ->required();
  std::string FormatHelp = "output format:";
  for (const FormatInfo &F : formats())
    FormatHelp += "\n  " + F.Name.str() + ": " + F.Description.str();
  Sub.add_option("-f,--format", A->Format, FormatHelp)->capture_default_str();
  Sub.add_option("-o,--output", A->Output, "write the report to FILE instead of stdout");
  addShapeOptions(Sub, A->Shape);
  addBatchOption(Sub, A->Batch,
                 "inferences per batch: binds a symbolic batch dim, or scales a fixed-batch model");
  addTrafficOptions(Sub, A->Traffic);
  Sub.add_option("--convention", A->Convention,
                 "also count operations under a convention: a built-in name (macs, tops, flops, "
                 "torchvision, fvcore, darknet, deepspeed, thop, ptflops, onnx-tool, openvino) "
                 "or a convention file");
  Sub.add_option("--trip-count", A->TripCounts,
                 "iterations of a Loop whose count is not a constant: NODE=K (repeatable)");
  Sub.add_option("--branch", A->Branch,
                 "an If whose condition depends on the data costs: range (min..max of its "
                 "branches), then, else, or max")
      ->check(CLI::IsMember({"range", "then", "else", "max"}))
      ->capture_default_str();
  Sub.add_option("--subgraphs", A->Subgraphs,
                 "rows of If/Loop/Scan bodies and function bodies under their node: show or fold")
      ->check(CLI::IsMember({"show", "fold"}))
      ->capture_default_str();
  Sub.add_option("--input-data", A->InputData,
                 "values of a shape-carrying input from a TensorProto file: NAME=FILE.pb "
                 "(repeatable)");
  Sub.add_flag("-q,--quiet", A->Quiet, "do not print diagnostics to stderr");
  Sub.add_option("--top", A->Top, "show the N heaviest rows and fold the rest into [other]");
  Sub.add_option("--group-by", A->GroupBy, "rows per layer (none), per op_type or per name scope")
      ->capture_default_str();
  Sub.add_option("--sort", A->Sort,
                 "row order: auto (topological, or by MACs with --top/--group-by), order, macs, "
                 "params, weights, time (with --hw)")
      ->capture_default_str();
  Sub.add_flag("--hide-trivial", A->HideTrivial,
               "fold rows whose every figure is zero (Identity, Reshape, ...) into [other]");
  Sub.add_option("--scope-depth", A->ScopeDepth, "name-scope components kept by --group-by scope")
      ->capture_default_str();
  Sub.add_option("--max-diagnostics", A->MaxDiags, "diagnostics printed to stderr")
      ->capture_default_str();
  Sub.add_option("-j,--jobs", A->Jobs, "several models: threads to use (0: all cores)")
      ->capture_default_str();
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
