// The presentation view that every writer serializes (table, CSV, Markdown,
// HTML, JSON's "view", Netron, Model Explorer): the Report's rows sorted,
// grouped by op type or name scope, trivial rows folded, cut to --top N with
// the remainder in one `[other]` row, and the analysis columns the options
// asked for (ops under a convention, off-chip traffic, roofline bound and
// time). Built once, in the spirit of bloaty's RollupOutput, so that every
// format shows the same rows and the same columns.
// Invariant (tested on every sample): the totals are the sum of the rows,
// `[other]` and rows with unknown MACs included.
#pragma once

#include "reports/Report.h"

#include <deque>

namespace opaudit {

/// An exact integer summed over rows: the known part and how many members were unknown.
struct KnownSum {
  int64_t Known = 0;
  uint32_t Unknown = 0; ///< 16 bytes in all: a view holds eight per row.
  bool Overflow = false;
  void add(std::optional<int64_t> V);
  void add(const KnownSum &B);
  /// The sum when every member is known and it did not overflow.
  std::optional<int64_t> value() const {
    if (Unknown || Overflow)
      return std::nullopt;
    return Known;
  }
};

/// Seconds summed over rows (roofline times are real numbers).
struct SecondsSum {
  double Known = 0;
  size_t Unknown = 0;
  void add(std::optional<double> V) {
    if (V)
      Known += *V;
    else
      ++Unknown;
  }
  void add(const SecondsSum &B) {
    Known += B.Known;
    Unknown += B.Unknown;
  }
  std::optional<double> value() const {
    if (Unknown)
      return std::nullopt;
    return Known;
  }
};

/// The sums of the analysis columns (ops, traffic, roofline) over a row's
/// members. Only a view with one of those columns keeps them: boxed in each
/// row, because inline they would be 184 of a row's bytes in every report.
struct ViewSums {
  KnownSum Ops;                                     ///< Operations under the convention.
  KnownSum TrafficWeightBytes, ResidentWeightBytes; ///< At the traffic dtype.
  KnownSum ActIn, ActOut, Offchip;  ///< Activation bytes and off-chip bytes, per batch.
  KnownSum BatchMacs;               ///< MACs of the whole batch (the intensity's numerator).
  SecondsSum Compute, Memory, Time; ///< Roofline seconds per batch; Time = sum of the max.
  void add(const ViewSums &B);
};

/// One presented row: a single layer, a group of layers, or `[other]`.
struct ViewRow {
  enum Kind : uint8_t { Layer, Group, Other };
  Kind K = Layer;
  bool MacClass = false; ///< Some member counts MACs.
  bool Overflow = false; ///< A sum overflowed int64 (then the MACs are shown as unknown).
  /// A subgraph node's row (If branch, Loop body, function body): a detail of
  /// the control-flow row above it, left out of the totals.
  unsigned Depth = 0;
  /// Layer name, op type, scope, "[other]" or "TOTAL": the layer's own name for
  /// a layer row, else text the View owns (View::Texts); not copied per row.
  llvm::StringRef Label;
  /// The op (with "domain::" when not ONNX) for a layer row, pointing at the
  /// layer's op type or at View::Texts; else empty.
  llvm::StringRef OpType;
  const LayerRow *Source = nullptr; ///< The layer behind a Layer row (shapes, formula).
  size_t Layers = 0;                ///< How many layers the row stands for.
  int64_t KnownMacs = 0;            ///< Sum of the members' concrete MACs.
  size_t UnknownMacLayers = 0;      ///< MAC-class members whose count is unknown or symbolic.
  int64_t Params = 0;
  int64_t SharedParams = 0;
  int64_t WeightBytes = 0;
  /// The analysis columns' sums, set when the view has one (View::HasOps,
  /// HasTraffic, HasRoof say which).
  Boxed<ViewSums> Sums;

  /// The analysis sums; all zero when the view has no analysis column.
  const ViewSums &sums() const;

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
  /// MACs per off-chip byte, when both are known and a byte crosses the chip.
  std::optional<double> intensity() const;
  /// "compute", "memory", "-" (no time at all) or "?".
  std::string bound() const;
};

/// One analysis column beyond MACs, params and weight bytes, the same in every format.
struct ViewColumn {
  std::string Key;   ///< Machine name (CSV header, JSON key): "ops", "bound", ...
  std::string Title; ///< Human heading: "ops", "off-chip bytes", "time", ...
  bool Numeric = true;
};

/// A cell of an analysis column: human text, machine text and a sort key.
struct ViewCell {
  std::string Text; ///< "1,234", "12.3 ms", "?", "" (not applicable).
  std::string Raw;  ///< "1234", "0.0123", "?", "": for CSV and data attributes.
  std::optional<double> Sort;
};

struct View {
  std::vector<ViewRow> Rows;
  ViewRow Total;             ///< The sum of Rows (never read from the Report).
  std::string TotalMacsExpr; ///< The model's MAC formula when the total is symbolic.
  std::string TotalOpsExpr;  ///< The model's ops formula when the ops total is symbolic.
  std::string Heading;       ///< "layer", "op type" or "scope": what a row is.
  bool HasOps = false;       ///< --convention: an ops column.
  bool HasTraffic = false;   ///< A traffic option: off-chip bytes and MACs/byte.
  bool HasRoof = false;      ///< --hw: bound and time.
  size_t TrivialLayers = 0;  ///< Layers folded into [other] by --hide-trivial.
  /// The analysis columns, in order; every writer prints all of them.
  std::vector<ViewColumn> Columns;
  /// The labels the rows point to that no LayerRow holds (groups, subgraph
  /// rows); a deque keeps them in place as it grows and when the View moves.
  std::deque<std::string> Texts;
  /// The cells of column I for Row.
  ViewCell cell(const ViewRow &Row, size_t I) const;
};

/// True when every figure the view shows for the row is a known zero (an
/// Identity, a Reshape without traffic): what --hide-trivial folds away.
bool isTrivial(const View &V, const ViewRow &Row);

/// Builds the view of R under R.View.
View present(const Report &R);
/// Builds the view of R under O instead of R.View (the HTML report's charts).
/// The view points into R's rows, so R must outlive it.
View present(const Report &R, const ViewOptions &O);

/// Name scope of a node name at most Depth components deep: "/layer1/layer1.0/conv1/Conv"
/// -> "/layer1" at depth 1; names without a scope give "[root]".
std::string scopeOf(llvm::StringRef Name, unsigned Depth);

/// The first output's shape as "1x64x56x56" ("?" unknown, "scalar", " +K" more outputs).
std::string shapeText(const LayerRow &L);

/// Human bytes: 102121888 -> "102.1 MB".
std::string humanBytes(int64_t V);

/// The conditions the analysis columns hold under, one line each: the
/// convention the ops count, the batch and traffic dtypes, the hardware,
/// precision and operating point. Empty without those options.
std::vector<std::string> conditionLines(const Report &R);
/// The totals of the analysis columns, one line each: ops under the
/// convention, off-chip bytes, the roofline bound, latency and inferences/s.
std::vector<std::string> summaryLines(const Report &R, const View &V);

/// The traffic, memory and roofline section the table writer appends
/// (reports/TrafficTable.cpp): the traffic detail of the view's rows, then the totals.
void writeTrafficSection(const Report &R, const View &V, llvm::raw_ostream &OS);

/// Natural order of labels: "layer2" before "layer10" (digit runs compare as numbers).
bool naturalLess(llvm::StringRef A, llvm::StringRef B);

/// A long formula shortened for a summary cell: kept when at most Max
/// characters, else "f(batch, seq)" naming its symbols.
std::string shortFormula(llvm::StringRef Expr, size_t Max = 40);

/// Parses the --group-by and --sort values; nullopt on an unknown name.
std::optional<GroupBy> groupByFromName(llvm::StringRef S);
std::optional<SortBy> sortByFromName(llvm::StringRef S);

} // namespace opaudit
