// `opaudit ledger [--format table|json] [--root DIR]`: the published results
// of samples/ledger/ against the catalog's dense peaks, as the table the
// article argues for: quoted TOPS, delivered TOPS, utilization, with the
// source of every figure. The arithmetic is analyzer/Ledger; results that
// cannot be evaluated are listed after the table with the reason.
#include "analyzer/Ledger.h"
#include "cli/Commands.h"
#include "reports/Report.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

namespace opaudit::cli {

namespace {

struct LedgerArgs {
  std::string Format = "table";
  std::string Root = OPAUDIT_SAMPLES_ROOT;
};

std::string f(double V, int Digits) {
  return Digits == 1 ? llvm::formatv("{0:f1}", V).str() : llvm::formatv("{0:f2}", V).str();
}

std::string rateText(const LedgerEntry &E) {
  std::string V = llvm::formatv("{0}", E.Figure).str();
  return E.Unit == "ms" ? V + " ms p90" : V + " " + E.Unit;
}

void writeTable(const std::vector<LedgerRow> &Rows, llvm::raw_ostream &OS) {
  std::vector<std::vector<std::string>> Cells = {{"part", "result", "batch", "precision", "figure",
                                                  "per accel./s", "quoted TOPS", "delivered TOPS",
                                                  "utilization", "source"}};
  for (const LedgerRow &R : Rows) {
    if (!R.evaluated())
      continue;
    const LedgerEntry &E = *R.Entry;
    Cells.push_back({E.Part + (E.Accelerators > 1 ? " x" + std::to_string(E.Accelerators) : ""),
                     E.Task + " " + E.Scenario + " " + E.Round,
                     E.Batch ? std::to_string(*E.Batch) : "-", E.Precision, rateText(E),
                     f(*R.Rate, 1), llvm::formatv("{0}", *R.QuotedTops).str(),
                     f(*R.DeliveredTops, 2), f(*R.Utilization * 100, 1) + "%", E.Source});
  }
  std::vector<size_t> W(Cells[0].size(), 0);
  for (const auto &Row : Cells)
    for (size_t I = 0; I < Row.size(); ++I)
      W[I] = std::max(W[I], Row[I].size());
  for (size_t R = 0; R < Cells.size(); ++R) {
    for (size_t I = 0; I < Cells[R].size(); ++I) {
      bool Left = I < 4 || I == Cells[R].size() - 1;
      if (I)
        OS << "  ";
      if (Left)
        OS << Cells[R][I]
           << std::string(I + 1 < Cells[R].size() ? W[I] - Cells[R][I].size() : 0, ' ');
      else
        OS.indent(W[I] - Cells[R][I].size()) << Cells[R][I];
    }
    OS << "\n";
    if (R == 0) {
      size_t Width = 0;
      for (size_t X : W)
        Width += X + 2;
      OS << std::string(Width - 2, '-') << "\n";
    }
  }
  OS << "\ndelivered TOPS = inferences/s per accelerator x 2 ops per MAC x the bundled model's "
        "MACs;"
        "\nutilization = delivered / quoted dense TOPS (the catalog part's, at the entry's "
        "precision and operating point)\n";
  OS << "\nnot evaluated:\n";
  for (const LedgerRow &R : Rows)
    if (!R.evaluated())
      OS << "  " << R.Entry->Id << ": " << R.Reason << "\n";
  OS << "\nsources:\n";
  std::vector<const LedgerSource *> Seen;
  for (const LedgerRow &R : Rows)
    if (R.evaluated() && R.Source && !llvm::is_contained(Seen, R.Source)) {
      Seen.push_back(R.Source);
      OS << "  " << R.Source->Id << ": " << R.Source->Title << ", " << R.Source->Url << "\n";
    }
}

void writeJson(const std::vector<LedgerRow> &Rows, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  auto Opt = [&](llvm::StringRef K, std::optional<double> V) {
    if (V)
      J.attribute(K, *V);
    else
      J.attribute(K, nullptr);
  };
  J.object([&] {
    J.attribute("schema_version", 1);
    J.attributeArray("results", [&] {
      for (const LedgerRow &R : Rows) {
        const LedgerEntry &E = *R.Entry;
        J.object([&] {
          J.attribute("id", E.Id);
          J.attribute("part", E.Part);
          J.attribute("accelerators", E.Accelerators);
          J.attribute("model", E.Model);
          J.attribute("model_sample", E.ModelSample.empty() ? llvm::json::Value(nullptr)
                                                            : llvm::json::Value(E.ModelSample));
          J.attribute("scenario", E.Scenario);
          if (E.Batch)
            J.attribute("batch", *E.Batch);
          else
            J.attribute("batch", nullptr);
          J.attribute("precision", E.Precision);
          J.attributeObject("figure", [&] {
            J.attribute("value", E.Figure);
            J.attribute("unit", E.Unit);
          });
          J.attribute("round", E.Round);
          Opt("inferences_per_second_per_accelerator", R.Rate);
          if (R.Macs)
            J.attribute("macs", *R.Macs);
          else
            J.attribute("macs", nullptr);
          Opt("quoted_dense_tops", R.QuotedTops);
          J.attribute("peak_basis", R.PeakBasis);
          Opt("delivered_tops", R.DeliveredTops);
          Opt("mac_utilization", R.Utilization);
          if (!R.Reason.empty())
            J.attribute("not_evaluated", R.Reason);
          J.attributeObject("source", [&] {
            J.attribute("id", E.Source);
            J.attribute("url", R.Source ? R.Source->Url : "");
            J.attribute("title", R.Source ? R.Source->Title : "");
            J.attribute("path", E.Path);
          });
        });
      }
    });
  });
  OS << "\n";
}

int run(const LedgerArgs &A) {
  if (A.Format != "table" && A.Format != "json") {
    llvm::errs() << "opaudit: error: unknown format '" << A.Format << "' (known: table, json)\n";
    return kExitUsage;
  }
  auto L = builtinLedger();
  if (!L)
    return reportError(L.takeError());
  std::vector<LedgerRow> Rows = evaluateLedger(*L, sampleMacsUnder(A.Root));
  if (A.Format == "json")
    writeJson(Rows, llvm::outs());
  else
    writeTable(Rows, llvm::outs());
  return kExitOk;
}

} // namespace

RunFn setupLedger(CLI::App &Sub) {
  auto A = std::make_shared<LedgerArgs>();
  Sub.add_option("-f,--format", A->Format, "output format: table or json")->capture_default_str();
  Sub.add_option("--root", A->Root,
                 "directory the ledger's model_sample paths are relative to (the source tree)")
      ->capture_default_str();
  return [A] { return run(*A); };
}

} // namespace opaudit::cli
