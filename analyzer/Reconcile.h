// Reconcile: one model's total under every built-in operation-counting
// convention, broken down by operator class, so that figures such as
// 4.09 G, 4.12 G and 8.18 G for one ResNet-50 can be traced to what each
// convention counts. Also the graph form several published figures depend on
// (bias inputs, unfolded BatchNorm). Pure: the CLI and the Python module print
// the result.
#pragma once

#include "analyzer/Analysis.h"

#include <optional>
#include <string>
#include <vector>

namespace opaudit {

/// A count: an exact integer, a formula in unbound dims, or unknown (both empty).
struct ReconcileCount {
  std::optional<int64_t> Value;
  std::string Formula;
  bool known() const { return Value || !Formula.empty(); }
  bool isZero() const { return Value && *Value == 0; }
};

struct ReconcileRow {
  std::string Convention, Meaning, Source;
  ReconcileCount Total;
  std::vector<ReconcileCount> ByClass; ///< Parallel to ReconcileResult::Buckets.
};

struct ReconcileResult {
  std::string Model;
  size_t MacNodes = 0;         ///< MAC-class nodes of the main graph.
  size_t MacNodesWithBias = 0; ///< Conv, ConvTranspose, Gemm, QLinearConv with a bias input.
  size_t ConvNodes = 0;        ///< MAC-class nodes of class conv.
  size_t BatchNorms = 0;       ///< BatchNormalization nodes (not folded).
  /// The graph form in one sentence; BatchNorm folding is mentioned only for
  /// a model with convolutions, where a folded BatchNorm would have been.
  std::string GraphForm;
  /// Operator classes with a non-zero count under some convention: MAC
  /// classes, bias, then the others.
  std::vector<std::string> Buckets;
  std::vector<ReconcileRow> Rows; ///< One per built-in convention.
  size_t UnknownNodes = 0;        ///< Nodes whose counts are unknown (totals then unknown).
};

/// The reconciliation of \p A's model. Errors only if a built-in convention
/// fails to load (an internal error).
llvm::Expected<ReconcileResult> reconcile(Analysis &A);

} // namespace opaudit
