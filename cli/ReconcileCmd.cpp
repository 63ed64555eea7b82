// `opaudit reconcile MODEL...`: each model's total under every built-in
// convention, one row each, broken down by operator class, with a line on
// the graph form (bias inputs, unfolded BatchNorm). The table is computed by
// analyzer/Reconcile; this file parses the options and prints it, one block
// (or JSON object) per model.
#include "analyzer/Reconcile.h"
#include "cli/ConventionCli.h"
#include "cli/TrafficOptions.h"
#include "reports/ReconcileWriters.h"
#include "reports/Report.h"

#include "llvm/Support/JSON.h"

namespace opaudit::cli {

namespace {

struct ReconcileArgs {
  std::vector<std::string> Models;
  std::string Format = "table";
  ShapeArgs Shape;
  bool Quiet = false;
};

int run(const ReconcileArgs &A) {
  if (A.Format != "table" && A.Format != "json") {
    llvm::errs() << "opaudit: error: unknown format '" << A.Format << "' (known: table, json)\n";
    return kExitUsage;
  }
  AnalysisOptions Opts;
  if (llvm::Error E = applyShapeArgs(A.Shape, Opts))
    return reportError(std::move(E));
  // Every model is reconciled before anything is printed, so that a bad file
  // among several gives its error and exit code without a partial JSON array.
  std::vector<ReconcileResult> Results;
  for (const std::string &Path : A.Models) {
    auto An = openChecked(Path, Opts);
    if (!An)
      return reportError(An.takeError());
    auto R = reconcile(**An);
    if (!R)
      return reportError(R.takeError());
    printModelDiagnostics((*An)->manager(), A.Quiet);
    if (!A.Quiet && R->UnknownNodes)
      llvm::errs() << Path << ": warning: " << R->UnknownNodes
                   << " node(s) have unknown counts; affected totals show '?'\n";
    Results.push_back(std::move(*R));
  }

  auto &OS = llvm::outs();
  if (A.Format == "json") {
    // One model: its object; several: an array of them, in the order given.
    llvm::json::OStream J(OS, 2);
    if (Results.size() == 1)
      writeReconcileJson(J, Results.front());
    else
      J.array([&] {
        for (const ReconcileResult &R : Results)
          writeReconcileJson(J, R);
      });
    OS << "\n";
    return kExitOk;
  }
  for (size_t I = 0; I < Results.size(); ++I) {
    if (I)
      OS << "\n";
    writeReconcileTable(Results[I], OS);
  }
  return kExitOk;
}

} // namespace

RunFn setupReconcile(CLI::App &Sub) {
  auto A = std::make_shared<ReconcileArgs>();
  Sub.add_option("model", A->Models, "ONNX model file(s)")->required();
  Sub.add_option("-f,--format", A->Format, "output format: table or json")->capture_default_str();
  addShapeOptions(Sub, A->Shape);
  Sub.add_flag("-q,--quiet", A->Quiet, "do not print diagnostics to stderr");
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
