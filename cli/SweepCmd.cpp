// `opaudit sweep MODEL --hw PROFILE --batch 1,2,4,...`: the roofline bound at
// each batch size, as a table on stdout and an SVG plot (--svg). The model is
// loaded once; each batch gets its own analysis manager, because --batch
// changes the dims that shape inference binds.
#include "cli/Commands.h"
#include "cli/TrafficOptions.h"
#include "ir/Loader.h"
#include "passes/ActivationMemory.h"
#include "reports/Report.h"
#include "reports/Sweep.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

namespace {

struct SweepArgs {
  std::vector<std::string> Models;
  std::string Batches;
  std::string Svg = "sweep.svg";
  std::vector<std::string> Dims;
  std::vector<std::string> Inputs;
  TrafficArgs Traffic;
};

llvm::Expected<std::vector<int64_t>> parseBatches(llvm::StringRef S) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  S.split(Parts, ',');
  std::vector<int64_t> R;
  for (llvm::StringRef P : Parts) {
    int64_t N;
    if (P.trim().getAsInteger(10, N) || N < 1)
      return makeError(ErrorCategory::Usage,
                       "--batch expects a comma-separated list of counts >= 1, got '" + S + "'");
    R.push_back(N);
  }
  return R;
}

int run(const SweepArgs &A) {
  auto Batches = parseBatches(A.Batches);
  if (!Batches)
    return reportError(Batches.takeError());
  if (A.Traffic.Hw.empty())
    return reportError(makeError(ErrorCategory::Usage, "sweep needs --hw PROFILE"));
  AnalysisOptions Base;
  for (llvm::StringRef D : A.Dims) {
    auto [K, V] = D.split('=');
    int64_t N;
    if (K.empty() || V.getAsInteger(10, N) || N < 0)
      return reportError(makeError(ErrorCategory::Usage,
                                   "--dim expects NAME=VALUE with VALUE >= 0, got '" + D + "'"));
    Base.Dims[K] = N;
  }
  for (llvm::StringRef I : A.Inputs) {
    auto [K, V] = I.rsplit(':');
    llvm::SmallVector<llvm::StringRef, 6> Parts;
    V.split(Parts, 'x');
    std::vector<std::string> Dims;
    for (llvm::StringRef P : Parts)
      Dims.push_back(P.str());
    if (K.empty() || V.empty() || llvm::is_contained(Parts, ""))
      return reportError(
          makeError(ErrorCategory::Usage, "--input expects NAME:D1xD2x..., got '" + I + "'"));
    Base.InputShapes[K] = std::move(Dims);
  }
  if (llvm::Error E = applyTrafficArgs(A.Traffic, Base))
    return reportError(std::move(E));
  auto Base0 = openChecked(A.Models.front(), Base);
  if (!Base0)
    return reportError(Base0.takeError());

  SweepResult S;
  S.Model = A.Models.front();
  S.Utilization = Base.Utilization;
  std::vector<Diagnostic> Diags;
  for (int64_t B : *Batches) {
    AnalysisOptions O = Base;
    O.Batch = B;
    auto An = (*Base0)->withOptions(std::move(O));
    Report R = buildReport(*An);
    if (S.Points.empty()) {
      S.InputShape = R.Cond->InputShape;
      S.Hardware = R.Roof->Profile + " (" + A.Traffic.Hw + ")";
      S.Precision = R.Cond->Precision;
      S.OperatingPoint = R.Cond->OperatingPoint;
      S.Dtypes = "weights " + R.Cond->WeightDType + ", activations " + R.Cond->ActDType +
                 ", SRAM " + groupDigits(R.Cond->SramBytes) + " bytes";
      Diags = R.Diags;
    }
    SweepPoint P;
    P.Batch = B;
    P.InferencesPerSecond = R.Roof->InferencesPerSecond;
    P.InferencesPerSecondAtUtilization = R.Roof->InferencesPerSecondAtUtilization;
    P.ComputeCeiling = R.Roof->ComputeCeiling;
    P.LatencySeconds = R.Roof->LatencySeconds;
    P.WeightTrafficPerBatch = R.Traffic->WeightTrafficPerBatch;
    P.WeightTrafficPerInference = R.Traffic->WeightTrafficPerInference;
    P.OffchipBytesPerBatch = R.Traffic->OffchipBytes;
    P.PeakActivationBytes = R.Traffic->PeakActivationBytes;
    P.Bound = !R.Roof->LatencySeconds ? "?" : R.Roof->MemoryBound ? "memory" : "compute";
    S.Points.push_back(std::move(P));
  }
  for (const Diagnostic &D : Diags)
    llvm::errs() << S.Model << ": " << D.str() << "\n";
  writeSweepTable(S, llvm::outs());
  llvm::outs().flush();
  std::error_code EC;
  llvm::raw_fd_ostream OS(A.Svg, EC, llvm::sys::fs::OF_None);
  if (EC) {
    llvm::errs() << "opaudit: error: cannot write '" << A.Svg << "': " << EC.message() << "\n";
    return kExitUsage;
  }
  writeSweepSvg(S, OS);
  llvm::errs() << "opaudit: wrote the plot to " << A.Svg << "\n";
  return kExitOk;
}

} // namespace

RunFn setupSweep(CLI::App &Sub) {
  auto A = std::make_shared<SweepArgs>();
  Sub.add_option("model", A->Models, "ONNX model file")->required()->expected(1);
  Sub.add_option("--batch", A->Batches, "batch sizes, comma-separated: 1,2,4,8")->required();
  Sub.add_option("--svg", A->Svg, "write the plot to FILE")->capture_default_str();
  Sub.add_option("--dim", A->Dims, "bind a symbolic dim: NAME=VALUE (repeatable)");
  Sub.add_option("--input", A->Inputs, "override an input's shape: NAME:1x3x224x224 (repeatable)");
  addTrafficOptions(Sub, A->Traffic);
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
