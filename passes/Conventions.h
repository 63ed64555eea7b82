// Operations per node under an operation-counting convention. Built on
// MacCount's per-node MACs, element counts, pooling windows and operator
// classes: a MAC-class node contributes ops_per_mac per MAC (plus the bias
// cost when it has a bias input), every other node its convention cost by op
// type or class. The result keeps a breakdown by bucket (conv, matmul, bias,
// then the non-MAC operator classes) so that two conventions' totals can be
// reconciled line by line. Unlike the cached analyses this one is
// parameterised by the convention, so it is a plain function.
#pragma once

#include "passes/ConventionFile.h"
#include "passes/MacCount.h"

#include <map>

namespace opaudit {

struct ConventionCounts {
  std::vector<Expr> Nodes; ///< Ops per node (indexed by NodeId); null when unknown.
  Expr Total;              ///< Sum of Nodes; null when any node is unknown.
  size_t UnknownNodes = 0; ///< Nodes whose ops are unknown.
  /// Ops by bucket: "conv", "matmul", ... (MACs of MAC-class nodes), "bias", then
  /// the other operator class names. Null when a node of the bucket is unknown.
  std::map<std::string, Expr> ByBucket;
  /// Ops by precision ("fp32", "int8", ...): MAC nodes by operand precision,
  /// other nodes by their first output's dtype.
  std::map<std::string, Expr> ByPrecision;
  /// The MACs that this convention counts (MAC-class nodes of counted classes).
  Expr CountedMacs;
  std::vector<Diagnostic> Diags;
};

/// Counts operations of the model in AM under convention C.
ConventionCounts countOps(AnalysisManager &AM, const Convention &C);

/// The bucket a node's ops go to: its class name, except that the bias of a MAC
/// node is the "bias" bucket.
constexpr llvm::StringLiteral kBiasBucket = "bias";

} // namespace opaudit
