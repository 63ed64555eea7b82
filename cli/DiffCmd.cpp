// `opaudit diff OLD NEW`: analyzes both models with the same options, diffs
// their reports (reports/Diff.h), writes the diff, and exits 1 when a
// --budget is exceeded or cannot be checked (README, "Comparing two models").
#include "cli/Commands.h"
#include "cli/TrafficOptions.h"
#include "reports/Diff.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace opaudit::cli {

namespace {

struct DiffArgs {
  std::string Old, New;
  std::string Format = "table";
  std::string Output;
  std::vector<std::string> Budgets;
  ShapeArgs Shape;
  std::optional<int64_t> Batch;
  TrafficArgs Traffic;
  std::string Convention;
  bool All = false;
  bool Quiet = false;
};

/// --dim, --input and --input-value (the shared parsers), applied to both models.
llvm::Expected<AnalysisOptions> toOptions(const DiffArgs &A) {
  AnalysisOptions O;
  if (llvm::Error E = applyShapeArgs(A.Shape, O))
    return std::move(E);
  O.Batch = A.Batch;
  if (llvm::Error E = applyTrafficArgs(A.Traffic, O))
    return std::move(E);
  return O;
}

using Writer = void (*)(const DiffReport &, llvm::raw_ostream &);

int run(const DiffArgs &A) {
  Writer W = A.Format == "json"   ? writeDiffJson
             : A.Format == "md"   ? writeDiffMarkdown
             : A.Format == "html" ? writeDiffHtml
                                  : writeDiffTable;
  std::vector<Budget> Budgets;
  for (const std::string &S : A.Budgets) {
    auto B = parseBudget(S); // already validated by CLI11; kept for the message
    if (!B)
      return reportError(B.takeError());
    Budgets.push_back(*B);
  }
  auto Opts = toOptions(A);
  if (!Opts)
    return reportError(Opts.takeError());
  // A budget on a metric the options do not produce is a usage error, before any model is read.
  for (const Budget &B : Budgets) {
    const char *Needs = B.Metric == DiffMetric::Ops && A.Convention.empty()       ? "--convention"
                        : B.Metric == DiffMetric::Latency && A.Traffic.Hw.empty() ? "--hw"
                        : B.Metric == DiffMetric::Traffic && !Opts->wantsTraffic()
                            ? "--hw, --batch or --sram"
                            : nullptr;
    if (Needs) {
      llvm::errs() << "opaudit: error: --budget '" << B.Text << "': " << diffMetricName(B.Metric)
                   << " needs " << Needs << "\n";
      return kExitUsage;
    }
  }
  std::optional<Convention> Conv;
  if (!A.Convention.empty()) {
    auto C = loadConvention(A.Convention);
    if (!C)
      return reportError(C.takeError());
    Conv = std::move(*C);
  }
  auto OldA = Analysis::open(A.Old, *Opts);
  if (!OldA)
    return reportError(OldA.takeError());
  auto NewA = Analysis::open(A.New, *Opts);
  if (!NewA)
    return reportError(NewA.takeError());
  Report OldR = buildReport(**OldA, Conv ? &*Conv : nullptr);
  Report NewR = buildReport(**NewA, Conv ? &*Conv : nullptr);
  if (!A.Quiet)
    for (const Report *R : {&OldR, &NewR})
      for (const Diagnostic &D : R->Diags)
        if (D.Level == Severity::Error)
          llvm::errs() << R->Path << ": " << D.str() << "\n";
  DiffReport D = diffReports(OldR, NewR);
  D.ShowUnchanged = A.All;
  D.Verdicts = checkBudgets(D, Budgets);
  if (A.Format == "html") {
    for (DiffSide S : {DiffSide::Old, DiffSide::New}) {
      auto Svg = S == DiffSide::Old ? drawDiffPicture(**OldA, OldR, D, S)
                                    : drawDiffPicture(**NewA, NewR, D, S);
      if (Svg)
        (S == DiffSide::Old ? D.OldSvg : D.NewSvg) = std::move(*Svg);
      else
        llvm::errs() << (S == DiffSide::Old ? A.Old : A.New)
                     << ": warning: no graph picture: " << llvm::toString(Svg.takeError()) << "\n";
    }
  }
  if (A.Output.empty() || A.Output == "-") {
    W(D, llvm::outs());
    llvm::outs().flush();
  } else {
    std::error_code EC;
    llvm::raw_fd_ostream OS(A.Output, EC, llvm::sys::fs::OF_None);
    if (EC) {
      llvm::errs() << "opaudit: error: cannot write '" << A.Output << "': " << EC.message() << "\n";
      return kExitUsage;
    }
    W(D, OS);
  }
  int Code = kExitOk;
  for (const BudgetVerdict &V : D.Verdicts)
    if (V.R != BudgetVerdict::Result::Within) {
      llvm::errs() << "opaudit: budget " << V.B.Text << " "
                   << (V.R == BudgetVerdict::Result::Exceeded ? "exceeded" : "cannot be checked")
                   << ": " << V.Message << "\n";
      Code = kExitBudget;
    }
  return Code;
}

} // namespace

RunFn setupDiff(CLI::App &Sub) {
  auto A = std::make_shared<DiffArgs>();
  Sub.add_option("old", A->Old, "the model before (e.g. main's)")->required();
  Sub.add_option("new", A->New, "the model after (e.g. the pull request's)")->required();
  Sub.add_option("-f,--format", A->Format,
                 "output format: table, json, md (a pull-request comment), html (both graphs "
                 "coloured by delta)")
      ->check(CLI::IsMember({"table", "json", "md", "html"}))
      ->capture_default_str();
  Sub.add_option("-o,--output", A->Output, "write the diff to FILE instead of stdout");
  std::string Metrics;
  for (llvm::StringRef M : budgetMetricNames())
    Metrics += (Metrics.empty() ? "" : ", ") + M.str();
  Sub.add_option("--budget", A->Budgets,
                 "METRIC=LIMIT: exit 1 when the total grows more, e.g. macs=+2%, "
                 "weight_bytes=+0, latency=+5% (repeatable; metrics: " +
                     Metrics + ")")
      ->check(CLI::Validator(
          [](std::string &S) -> std::string {
            auto B = parseBudget(S);
            if (B)
              return "";
            std::string Msg = llvm::toString(B.takeError());
            return Msg;
          },
          "METRIC=LIMIT", "budget"));
  Sub.add_option("--convention", A->Convention,
                 "also diff the operations under a convention (a built-in name or a file)");
  addShapeOptions(Sub, A->Shape);
  addBatchOption(Sub, A->Batch, "inferences per batch (traffic and time)");
  addTrafficOptions(Sub, A->Traffic);
  Sub.add_flag("--all", A->All, "also list unchanged layers in the table and Markdown");
  Sub.add_flag("-q,--quiet", A->Quiet, "do not print the models' errors to stderr");
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
