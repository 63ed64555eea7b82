// The per-model summary of a multi-model run (`opaudit analyze a.onnx b.onnx dir/`):
// one row per model with its headline figures, or a failed row with the error
// that stopped it, and the table, CSV and JSON writers for it. Rows come from
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
  size_t Errors = 0;   ///< Diagnostics of severity error.
  size_t Warnings = 0; ///< Diagnostics of severity warning.

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

} // namespace opaudit
