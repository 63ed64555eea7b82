// The per-model summary of a multi-model run (`opaudit analyze a.onnx b.onnx dir/`):
// one row per model with its headline figures (MACs, weights; with
// --convention the ops; with --hw the bound, latency and inferences/s), or a
// failed row with the error that stopped it, and the table, CSV, JSON,
// Markdown and HTML writers for it. A symbolic total too long for a cell is
// shortened to f(batch, seq) with a hint to bind its dims. Rows come from
// full Reports (summarize) so a summary can never disagree with the per-model
// report; the writers only serialize and own their escaping.
#pragma once

#include "reports/Report.h"

namespace opaudit {

/// One model of a multi-model run.
struct ModelSummary {
  std::string Path;
  bool Ok = false;
  std::string Error; ///< Why the model could not be analyzed (only when !Ok).
  size_t Nodes = 0;
  std::optional<int64_t> Macs; ///< Exact total when every dim is bound.
  std::string MacsExpr;        ///< Total MAC formula; empty when unknown.
  size_t UnknownMacRows = 0;   ///< Layers whose MACs are unknown.
  int64_t Params = 0;
  int64_t WeightBytes = 0;
  // With --convention: the ops total. With --hw (and --batch): the roofline.
  std::string Convention;                    ///< Empty without --convention.
  std::optional<int64_t> Ops;                ///< Exact ops total when known and concrete.
  std::string OpsExpr;                       ///< The ops formula; empty when unknown.
  bool HasRoof = false;                      ///< --hw was given and the profile had the precision.
  std::optional<int64_t> Batch;              ///< The batch the roofline figures are for.
  std::string Bound;                         ///< "compute", "memory" or "?".
  std::optional<double> LatencySeconds;      ///< Per batch.
  std::optional<double> InferencesPerSecond; ///< At 100% MAC utilization.
  size_t Errors = 0;                         ///< Diagnostics of severity error.
  size_t Warnings = 0;                       ///< Diagnostics of severity warning.

  bool operator==(const ModelSummary &) const = default;
};

/// The summary row of an analyzed model.
ModelSummary summarize(const Report &R);
/// The row of a model that could not be analyzed.
ModelSummary failedSummary(std::string Path, std::string Error);

/// One summary format: name as given to --format, description, writer.
struct SummaryFormatInfo {
  llvm::StringRef Name;
  llvm::StringRef Description;
  void (*Write)(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS);
};

/// The summary formats (table, csv, json) in the order --help lists them.
llvm::ArrayRef<SummaryFormatInfo> summaryFormats();
const SummaryFormatInfo *findSummaryFormat(llvm::StringRef Name);

void writeSummaryTable(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS);
void writeSummaryCsv(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS);
void writeSummaryJson(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS);
void writeSummaryMarkdown(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS);
void writeSummaryHtml(llvm::ArrayRef<ModelSummary> Rows, llvm::raw_ostream &OS);

} // namespace opaudit
