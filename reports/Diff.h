// `opaudit diff`: the layer-by-layer comparison of two models' reports, and
// the budgets a CI job checks against it (issue 14).
//
// The diff is computed from two Reports (reports/Report.h), not from the
// analyses directly: the rows a user reads (names, MACs as exact values,
// ranges or formulas, parameters, weight bytes, ops, traffic, time) are the
// Report's, so a diff says exactly what two `analyze` runs would. That puts it
// in reports/ (analyzer/ may not include reports/). Like the Report it is a
// pure result: the writers in reports/DiffWriters.cpp only serialize it, and
// the CLI (cli/DiffCmd.cpp) and, later, the Python module call the same
// diffReports()/checkBudgets().
//
// Matching (docs in README "Comparing two models"): main-graph rows only (a
// control-flow row carries its subgraphs' cost). First by node name, for rows
// the file names; then, among the rows still unmatched, structurally: the
// k-th unmatched node of an op type in the old model's topological order
// pairs with the k-th unmatched node of that op type in the new one. What is
// left is added (new only) or removed (old only).
#pragma once

#include "reports/Report.h"

#include "llvm/Support/Error.h"

#include <array>

namespace opaudit {

/// One figure of one side of a diff: nothing (the layer is absent or does not
/// count this metric, shown "-", adds as 0), an exact integer, a range, a
/// formula over unbound dims, or unknown ("?", never 0).
struct DiffFigure {
  enum class Kind { None, Exact, Range, Formula, Unknown };
  Kind K = Kind::None;
  int64_t Lo = 0, Hi = 0; ///< Exact: Lo == Hi; Range: the bounds.
  std::string Expr;       ///< Formula text (Formula only).
  /// "-", "1,234", "10..20", "(2*N) - (N)" or "?".
  std::string text() const;
  bool operator==(const DiffFigure &) const = default;

  static DiffFigure none() { return {}; }
  static DiffFigure exact(int64_t V) { return {Kind::Exact, V, V, {}}; }
  static DiffFigure unknown() { return {Kind::Unknown, 0, 0, {}}; }
};

/// new - old with overflow checks: unknown stays unknown; a range gives the
/// range of differences; formulas give the formula "(new) - (old)" (equal
/// formulas give exactly 0). An overflow gives Unknown.
DiffFigure diffFigures(const DiffFigure &Old, const DiffFigure &New);
/// A + B under the same rules (the totals of the rows).
DiffFigure addFigures(const DiffFigure &A, const DiffFigure &B);

/// The metrics a diff compares and a budget may limit.
enum class DiffMetric { Macs, Params, WeightBytes, Ops, Traffic, Latency };
constexpr size_t kNumDiffMetrics = 6;
/// "macs", "params", "weight_bytes", "ops", "traffic", "latency".
llvm::StringRef diffMetricName(DiffMetric M);

/// One metric of one row or of the totals: both sides and the difference.
/// Latency is in seconds, a real number: Old/New/Delta Seconds are set for it
/// instead of the integer figures.
struct DiffCell {
  DiffFigure Old, New, Delta;
  std::optional<double> OldSeconds, NewSeconds, DeltaSeconds;
  bool OldHas = false, NewHas = false; ///< Latency: the side has the row.
  bool operator==(const DiffCell &) const = default;
};

struct DiffRow {
  enum class Status { Unchanged, Changed, Added, Removed };
  Status St = Status::Unchanged;
  /// How the row was matched: "name", "structure", or "" (added/removed).
  std::string MatchedBy;
  std::string OldName, NewName; ///< Empty on the side the row is absent from.
  std::string OpType;
  std::string OldShape, NewShape; ///< First output's dims ("1x64x56x56"), "" when absent.
  /// Indexed by DiffMetric.
  std::array<DiffCell, kNumDiffMetrics> Cells;
  const DiffCell &cell(DiffMetric M) const { return Cells[static_cast<size_t>(M)]; }
  /// The name to show: the new one, or the old one for a removed row.
  const std::string &name() const { return NewName.empty() ? OldName : NewName; }
};

llvm::StringRef diffStatusName(DiffRow::Status S);

/// A limit on one metric's growth: `macs=+2%` (relative to the old value),
/// `weight_bytes=+0` (absolute), `latency=-5%` (must shrink by 5%);
/// latency absolutes take s, ms, us or ns.
struct Budget {
  DiffMetric Metric = DiffMetric::Macs;
  bool Relative = false;
  double Limit = 0; ///< Percent when Relative; else units of the metric (seconds for latency).
  std::string Text; ///< As given.
};

/// Parses NAME=[+|-]NUMBER[%|unit]; an unknown metric names the closest one.
llvm::Expected<Budget> parseBudget(llvm::StringRef Spec);
/// The metric names parseBudget accepts (aliases included: time = latency).
llvm::ArrayRef<llvm::StringRef> budgetMetricNames();

struct BudgetVerdict {
  enum class Result { Within, Exceeded, Unknown };
  Budget B;
  Result R = Result::Unknown;
  std::string Message; ///< One line: the figures compared, or why they cannot be.
};

struct DiffReport {
  std::string OldPath, NewPath;
  /// Which metrics both reports carry: MACs, parameters and weight bytes
  /// always; ops with a convention, traffic with a traffic option, latency
  /// with --hw.
  std::array<bool, kNumDiffMetrics> Has{true, true, true, false, false, false};
  bool has(DiffMetric M) const { return Has[static_cast<size_t>(M)]; }
  std::string Convention; ///< Ops convention name, when Has[Ops].
  std::string Hardware;   ///< Roofline profile, when Has[Latency].
  /// New model's topological order; a removed row follows the row that
  /// matched its old predecessor.
  std::vector<DiffRow> Rows;
  /// The reports' totals and their difference. For every integer metric
  /// the delta equals the sum of the rows' deltas (tests check it). The
  /// latency total is the roofline latency per batch (compute and memory
  /// overlap), so it is not the sum of the rows' times.
  std::array<DiffCell, kNumDiffMetrics> Totals;
  const DiffCell &total(DiffMetric M) const { return Totals[static_cast<size_t>(M)]; }
  size_t ByName = 0, ByStructure = 0, Added = 0, Removed = 0, Changed = 0, Unchanged = 0;
  /// SVG pictures of both graphs coloured by delta (HTML only; filled by the caller).
  std::string OldSvg, NewSvg;
  /// Write unchanged rows too (table and Markdown; JSON and HTML always do).
  bool ShowUnchanged = false;
  /// Budget verdicts the writers show (filled by the caller from checkBudgets).
  std::vector<BudgetVerdict> Verdicts;
};

/// Compares two reports (built with the same options) row by row.
DiffReport diffReports(const Report &Old, const Report &New);

/// Checks every budget against the diff's totals. A range is checked at its
/// worst case (largest growth); a formula or an unknown total cannot be
/// checked and gives Result::Unknown.
std::vector<BudgetVerdict> checkBudgets(const DiffReport &D, llvm::ArrayRef<Budget> Budgets);

/// Colours of the pictures: which side, and the diff whose rows decide them.
enum class DiffSide { Old, New };
/// Draws one side's graph (A and R are that side's analysis and report)
/// with every box coloured by its row's MAC delta (weight bytes when it has
/// no MACs): red grows, green shrinks, white unchanged; added boxes are
/// outlined red in the new graph, removed ones dashed blue in the old.
llvm::Expected<std::string> drawDiffPicture(Analysis &A, const Report &R, const DiffReport &D,
                                            DiffSide Side);

// Writers; each owns its escaping.
void writeDiffTable(const DiffReport &D, llvm::raw_ostream &OS);
void writeDiffJson(const DiffReport &D, llvm::raw_ostream &OS);
void writeDiffMarkdown(const DiffReport &D, llvm::raw_ostream &OS);
void writeDiffHtml(const DiffReport &D, llvm::raw_ostream &OS);
/// The verdicts as lines ("budget macs=+5%: exceeded: ..."), for stderr or a report.
void writeBudgetVerdicts(llvm::ArrayRef<BudgetVerdict> V, llvm::raw_ostream &OS);

} // namespace opaudit
