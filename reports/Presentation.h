// The presentation view that the human-readable writers (CSV, Markdown, HTML)
// serialize: the Report's rows sorted, grouped by op type or name scope, cut
// to --top N with the remainder in one `[other]` row. Built once, in the
// spirit of bloaty's RollupOutput, so that every writer shows the same rows.
// Invariant (tested on every sample): the totals are the sum of the rows,
// `[other]` and rows with unknown MACs included.
#pragma once

#include "reports/Report.h"

namespace opaudit {

/// One presented row: a single layer, a group of layers, or `[other]`.
struct ViewRow {
  enum Kind { Layer, Group, Other };
  Kind K = Layer;
  std::string Label;  ///< Layer name, op type, scope, or "[other]".
  std::string OpType; ///< The op (with "domain::" when not ONNX) for a layer row; else empty.
  const LayerRow *Source = nullptr; ///< The layer behind a Layer row (shapes, formula).
  size_t Layers = 0;                ///< How many layers the row stands for.
  /// A subgraph node's row (If branch, Loop body, function body): a detail of
  /// the control-flow row above it, left out of the totals.
  unsigned Depth = 0;
  bool MacClass = false;       ///< Some member counts MACs.
  int64_t KnownMacs = 0;       ///< Sum of the members' concrete MACs.
  size_t UnknownMacLayers = 0; ///< MAC-class members whose count is unknown or symbolic.
  int64_t Params = 0;
  int64_t SharedParams = 0;
  int64_t WeightBytes = 0;
  bool Overflow = false; ///< A sum overflowed int64 (then the MACs are shown as unknown).

  /// The exact MACs when every member's count is known.
  std::optional<int64_t> macs() const {
    if (!MacClass)
      return 0;
    if (UnknownMacLayers || Overflow)
      return std::nullopt;
    return KnownMacs;
  }
  /// MACs as a report cell: digits, the formula of a symbolic layer, "?" or "-".
  std::string macsText() const;
  /// Fraction of the concrete total, when both are known and the total is positive.
  std::optional<double> share(const ViewRow &Total) const;
};

struct View {
  std::vector<ViewRow> Rows;
  ViewRow Total;             ///< The sum of Rows (never read from the Report).
  std::string TotalMacsExpr; ///< The model's MAC formula when the total is symbolic.
  std::string Heading;       ///< "layer", "op type" or "scope": what a row is.
};

/// Builds the view of R under R.View.
View present(const Report &R);

/// Name scope of a node name at most Depth components deep: "/layer1/layer1.0/conv1/Conv"
/// -> "/layer1" at depth 1; names without a scope give "[root]".
std::string scopeOf(llvm::StringRef Name, unsigned Depth);

/// The first output's shape as "1x64x56x56" ("?" unknown, "scalar", " +K" more outputs).
std::string shapeText(const LayerRow &L);

/// Human bytes: 102121888 -> "102.1 MB".
std::string humanBytes(int64_t V);

/// Parses the --group-by and --sort values; nullopt on an unknown name.
std::optional<GroupBy> groupByFromName(llvm::StringRef S);
std::optional<SortBy> sortByFromName(llvm::StringRef S);

} // namespace opaudit
