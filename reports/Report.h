// The presentation model between the analyses and the writers (in the spirit
// of bloaty's RollupOutput): one row per node in topological order with every
// figure a writer prints, the totals, and the diagnostics of all passes.
// Writers only serialize this; they compute nothing. Totals always equal the
// sum of the rows.
#pragma once

#include "analyzer/Analysis.h"
#include "passes/ConventionFile.h"
#include "passes/MacCount.h"
#include "passes/Roofline.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace opaudit {

/// Storage for the text of a report's rows: names, formulas, op types and
/// output dims. One arena instead of a heap block per string (a 1M-node
/// report holds millions of them); repeated text (op types, formulas, shapes)
/// is kept once. Reports share it by pointer, so a copied or moved Report's
/// rows stay valid.
class ReportText : public StringArena {
public:
  /// The arena's one copy of a list of dims (each "?" when unknown).
  llvm::ArrayRef<llvm::StringRef> internDims(llvm::ArrayRef<std::string> Dims);

private:
  llvm::StringMap<llvm::ArrayRef<llvm::StringRef>> Shapes;
};

struct OutputInfo {
  llvm::StringRef Name; ///< In the report's ReportText.
  /// Each dim as text ("?" when unknown); unset when the rank is unknown.
  std::optional<llvm::ArrayRef<llvm::StringRef>> Dims;
  DType Elem = DType::Undefined;
};

/// The bounds of a layer's MACs when they are a range.
struct MacRange {
  std::optional<int64_t> Min, Max; ///< Exact bounds, when known and concrete.
  std::string MinExpr, MaxExpr;    ///< Their formulas; empty when unknown.
};

/// One row per node. Its text lives in the report's ReportText (Report::Text):
/// rows are made by buildReport only, and hold no heap block of their own
/// unless a rare part (a MAC range, traffic, roofline) is set.
struct LayerRow {
  llvm::StringRef Name; ///< Node name, or its first output's name when the file has none.
  /// The graph the node sits in: "" for the main graph, else a path such as
  /// "/If_0/then_branch". Rows of a subgraph follow their control-flow row
  /// and are details of it: the totals are the sum of the main-graph rows.
  llvm::StringRef Graph;
  llvm::StringRef OpType;
  llvm::StringRef Domain;
  /// The MAC formula ("4089184256*N"); empty when unknown (then shown as "?").
  llvm::StringRef MacsExpr;
  llvm::ArrayRef<OutputInfo> Outputs;
  /// Exact MACs when every dim is bound; nullopt when unknown or symbolic.
  std::optional<int64_t> Macs;
  int64_t Params = 0;
  int64_t WeightBytes = 0;
  int64_t SharedParams = 0;
  /// Bounds of the MACs when they are a range (an If whose condition depends
  /// on the data); unset otherwise. Boxed: few rows have one.
  Boxed<MacRange> Range;
  // Traffic and roofline (docs/traffic-model.md): set only when a traffic option was given.
  // Boxed (ir/IR.h): most reports have neither, and inline they would add 208
  // bytes to every row.
  Boxed<LayerTraffic> Traffic;
  Boxed<LayerRoofline> Roof; ///< Also needs --hw.
  /// Operations under the report's convention (only with --convention, and
  /// only on main-graph rows).
  struct ConventionOps {
    std::optional<int64_t> Ops; ///< Exact ops when known and concrete.
    llvm::StringRef Expr;       ///< The ops formula; empty when unknown.
  };
  Boxed<ConventionOps> Conv;
  unsigned Depth = 0;    ///< Nesting depth of Graph (0 for the main graph).
  NodeId Node = kNoNode; ///< The node in its graph (a stable reference with Graph).
  OpClass Class = OpClass::Other;
  SubgraphRole RoleKind = SubgraphRole::Always; ///< Meaningful for subgraph rows only.
  bool Counted = true; ///< False: no rule knows the operator; nothing was counted.
  bool MacClass = false;
  bool Shared = false;
  bool Inferred = true; ///< false: shapes partially or not inferred.
  bool Unnamed = false; ///< The file gives no name; Name was made up from the op type.

  /// For subgraph rows: "runs", "taken", "not taken", "conditional"; else "".
  llvm::StringRef role() const { return Depth ? subgraphRoleName(RoleKind) : ""; }
  std::optional<int64_t> ops() const { return Conv ? Conv->Ops : std::nullopt; }
  llvm::StringRef opsExpr() const { return Conv ? Conv->Expr : ""; }
};

/// A graph input (initializers excluded): its dtype and dims as the analysis
/// used them, and which dims the file leaves symbolic.
struct ReportInput {
  std::string Name;
  DType Elem = DType::Undefined;
  std::optional<std::vector<std::string>> Dims; ///< As analyzed: numbers, symbols, "?".
  /// Per dim: the file's dim_param name ("" when the file gives a number or nothing).
  std::vector<std::string> Symbols;
};

/// Every condition a traffic or roofline figure depends on, stated in the report.
struct Conditions {
  std::string Model;
  std::string InputShape; ///< "input:1x3x224x224" per graph input, comma-separated.
  std::optional<int64_t> Batch;
  std::string WeightDType, ActDType; ///< "stored" or a dtype name.
  int64_t SramBytes = 0;
  std::string Hardware;       ///< Profile file; empty without --hw.
  std::string Precision;      ///< Empty without --hw.
  std::string OperatingPoint; ///< "name (F MHz, V V, process, T C)"; empty without --hw.
  double Utilization = 1.0;
  std::string Convention;
};

/// How the rows are grouped for the writers that use the presentation view.
enum class GroupBy { None, OpType, Scope };
/// The order of the presented rows.
enum class SortBy { Auto, Order, Macs, Params, WeightBytes, Time };

/// Presentation choices: sorting, --top N (the rest folded into `[other]`)
/// and --group-by. Defaults show every layer in topological order.
struct ViewOptions {
  size_t Top = 0; ///< 0: every row.
  GroupBy Group = GroupBy::None;
  unsigned ScopeDepth = 1;    ///< Name-scope components kept by GroupBy::Scope.
  SortBy Sort = SortBy::Auto; ///< Auto: topological unless --top/--group-by, then by MACs.
  /// Rows of subgraph nodes under their control-flow row (--subgraphs show|fold).
  /// They are shown only in topological order without grouping or --top.
  bool ShowSubgraphs = true;
  /// --hide-trivial: rows whose every figure is a known zero are folded into `[other]`.
  bool HideTrivial = false;
  /// True when an option changed the rows from "every layer in order" (JSON then adds "view").
  bool customized() const {
    return Top || Group != GroupBy::None || Sort != SortBy::Auto || HideTrivial;
  }
};

struct Report {
  std::string Path;
  std::string Producer;
  std::vector<std::pair<std::string, int64_t>> Opsets; ///< Sorted by domain.
  size_t NumNodes = 0;
  std::vector<std::pair<std::string, int64_t>> Dims; ///< Bound symbolic dims, sorted.
  std::vector<ReportInput> Inputs;                   ///< The main graph's inputs, in order.
  std::string GraphName;                             ///< The main graph's name in the file.
  /// The rows' text; shared by copies of the report.
  std::shared_ptr<ReportText> Text = std::make_shared<ReportText>();
  std::vector<LayerRow> Rows;
  std::optional<int64_t> TotalMacs;
  std::string TotalMacsExpr; ///< Empty when unknown.
  size_t UnknownMacRows = 0;
  /// Bounds of the total when it is a range; the known part (a lower bound)
  /// when operators are not counted. Exact and concrete values only.
  std::optional<int64_t> TotalMacsMin, TotalMacsMax, TotalMacsKnown;
  std::string TotalMacsMinExpr, TotalMacsMaxExpr, TotalMacsKnownExpr;
  /// Coverage: operator types no rule knows, with node counts and their share
  /// of the graph's tensor volume (output elements), when known.
  struct Gap {
    std::string OpType; ///< "domain::op" outside the default domain.
    size_t Nodes = 0;
    std::optional<double> VolumeShare;
    std::vector<std::string> Labels; ///< The nodes, with their graph path.
  };
  std::vector<Gap> Uncounted;
  size_t SubgraphRows = 0; ///< Rows of nodes inside subgraphs.
  int64_t TotalParams = 0;
  int64_t TotalWeightBytes = 0;
  std::vector<Diagnostic> Diags;

  // Traffic, memory and roofline: set only when a traffic option was given
  // (Traffic->Nodes and Roof->Nodes are left empty: the rows carry them).
  std::optional<TrafficInfo> Traffic;
  std::optional<RooflineInfo> Roof; ///< Also needs --hw.
  std::optional<Conditions> Cond;
  // Operation-counting convention (only with --convention; empty name otherwise).
  std::string Convention;        ///< Its name.
  std::string ConventionMeaning; ///< One line: what one operation means.
  std::string ConventionSource;  ///< Where its rules come from.
  std::optional<int64_t> TotalOps;
  std::string TotalOpsExpr; ///< Empty when unknown.
  size_t UnknownOpsRows = 0;
  /// Ops by precision, for conventions that split float from integer ops.
  std::vector<std::pair<std::string, std::string>> OpsByPrecision;
  // --- Human-readable reports (issue 6): how writers present the rows, and
  // the graph picture the HTML report embeds. Both are filled by the CLI.
  /// --top/--group-by/--sort for the writers that go through present().
  ViewOptions View;
  /// SVG of the graph picture; empty unless the chosen format embeds it.
  std::string GraphSvg;
};

/// Builds the report of an analysis: the analyses its options ask for, with
/// operation counts under convention C when it is not null.
Report buildReport(Analysis &A, const Convention *C = nullptr);
/// Adds the ops of every row and the total under convention C to R (built from A).
void addConventionOps(Report &R, Analysis &A, const Convention &C);

/// The coverage line every report carries: "every operator counted", or the
/// operator types not counted with their node counts and tensor-volume shares.
std::string coverageText(const Report &R);

/// Appends a pass's diagnostics to the report, coding those without a more
/// specific code by the pass's name.
void appendDiags(Report &R, llvm::ArrayRef<Diagnostic> Ds, llvm::StringRef Pass);

/// Text of a dim for reports: the number, the symbol, or a parenthesized formula.
std::string dimText(Expr D);

/// "input_ids: int64 [batch, seq] (symbolic: batch, seq)": an input for a report header.
std::string inputText(const ReportInput &In);

/// One output format: its name (as given to --format), what it is, and its writer.
struct FormatInfo {
  llvm::StringRef Name;
  llvm::StringRef Description;
  void (*Write)(const Report &R, llvm::raw_ostream &OS);
  /// The writer embeds the graph picture (Report::GraphSvg), so the CLI renders it first.
  bool EmbedsGraph = false;
  /// The writer presents rows through present(), so --top/--group-by/--sort apply.
  bool UsesView = false;
};

/// The format registry; drives --help, --list and the error for an unknown format.
llvm::ArrayRef<FormatInfo> formats();
const FormatInfo *findFormat(llvm::StringRef Name);

void writeTable(const Report &R, llvm::raw_ostream &OS);
void writeJson(const Report &R, llvm::raw_ostream &OS);
/// Fills the traffic, roofline and conditions parts of R (reports/TrafficReport.cpp).
void addTrafficToReport(Analysis &A, Report &R);
/// 0.0123 -> "12.3 ms": three significant digits in s, ms, us or ns.
std::string secondsText(double Seconds);
/// 1595654.5 -> "1,595,654.5": grouped, up to three decimals (a per-inference share of bytes).
std::string fractionalBytesText(double Bytes);
// Writers of the human-readable reports (issue 6); each owns its escaping.
void writeCsv(const Report &R, llvm::raw_ostream &OS);
void writeMarkdown(const Report &R, llvm::raw_ostream &OS);
void writeHtml(const Report &R, llvm::raw_ostream &OS);
void writeNetron(const Report &R, llvm::raw_ostream &OS);
/// Google Model Explorer node data (reports/ModelExplorerWriter.cpp): one
/// metric per file; writeModelExplorer writes "macs".
void writeModelExplorer(const Report &R, llvm::raw_ostream &OS);
/// The metrics the report can give Model Explorer: macs, weight_bytes, and the
/// analysis columns (ops, offchip_bytes, arithmetic_intensity, bound, latency_seconds).
std::vector<std::string> modelExplorerMetrics(const Report &R);
void writeModelExplorerMetric(const Report &R, llvm::StringRef Metric, llvm::raw_ostream &OS);

/// 1234567 -> "1,234,567".
std::string groupDigits(int64_t V);
/// 4089184256 -> "4.09 G" (SI prefixes, three significant digits).
std::string humanCount(double V);

} // namespace opaudit
