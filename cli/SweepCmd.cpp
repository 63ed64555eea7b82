// `opaudit sweep MODEL --hw PROFILE --batch 1,2,4,...`: the roofline bound at
// each batch size. The loop is analyzer/Sweep (one symbolic analysis, one
// phase per batch); this file parses the options, calls it and picks a writer:
// a table, JSON or CSV on stdout, and an SVG plot only when --svg asks.
#include "analyzer/Sweep.h"
#include "cli/Commands.h"
#include "cli/TrafficOptions.h"
#include "reports/Sweep.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

namespace {

struct SweepArgs {
  std::vector<std::string> Models;
  std::string Batches;
  std::string Format; ///< Empty: table (and not given, for the --svg - check).
  std::string Svg;
  ShapeArgs Shape;
  bool Quiet = false;
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
  if (!A.Format.empty() && A.Format != "table" && A.Format != "json" && A.Format != "csv")
    return reportError(makeError(ErrorCategory::Usage,
                                 "unknown format '" + A.Format + "' (known: table, json, csv)"));
  if (A.Svg == "-" && !A.Format.empty())
    return reportError(
        makeError(ErrorCategory::Usage, "--svg - writes the plot to stdout, which --format " +
                                            A.Format + " also uses; give --svg a file name"));
  AnalysisOptions Base;
  if (llvm::Error E = applyShapeArgs(A.Shape, Base))
    return reportError(std::move(E));
  if (llvm::Error E = applyTrafficArgs(A.Traffic, Base))
    return reportError(std::move(E));
  auto An = openChecked(A.Models.front(), Base);
  if (!An)
    return reportError(An.takeError());
  auto S = sweep(**An, *Batches);
  if (!S)
    return reportError(S.takeError());
  if (!A.Quiet)
    for (const Diagnostic &D : S->Diags)
      llvm::errs() << S->Model << ": " << D.str() << "\n";

  if (A.Svg == "-") {
    writeSweepSvg(*S, llvm::outs());
    return kExitOk;
  }
  if (A.Format == "json")
    writeSweepJson(*S, llvm::outs());
  else if (A.Format == "csv")
    writeSweepCsv(*S, llvm::outs());
  else
    writeSweepTable(*S, llvm::outs());
  llvm::outs().flush();
  if (A.Svg.empty())
    return kExitOk;
  std::error_code EC;
  llvm::raw_fd_ostream OS(A.Svg, EC, llvm::sys::fs::OF_None);
  if (EC) {
    llvm::errs() << "opaudit: error: cannot write '" << A.Svg << "': " << EC.message() << "\n";
    return kExitUsage;
  }
  writeSweepSvg(*S, OS);
  if (!A.Quiet)
    llvm::errs() << "opaudit: wrote the plot to " << A.Svg << "\n";
  return kExitOk;
}

} // namespace

RunFn setupSweep(CLI::App &Sub) {
  auto A = std::make_shared<SweepArgs>();
  Sub.add_option("model", A->Models, "ONNX model file")->required()->expected(1);
  Sub.add_option("--batch", A->Batches, "batch sizes, comma-separated: 1,2,4,8 (any order)")
      ->required();
  Sub.add_option("-f,--format", A->Format, "output format: table (default), json or csv");
  Sub.add_option("--svg", A->Svg,
                 "also write the plot to FILE; '-' writes only the plot to stdout");
  addShapeOptions(Sub, A->Shape);
  Sub.add_flag("-q,--quiet", A->Quiet, "do not print diagnostics to stderr");
  addTrafficOptions(Sub, A->Traffic);
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
