// The diff of two reports: figures and their checked differences, layer
// matching (by name, then by op type and position), budgets, and the two
// graph pictures coloured by delta. See reports/Diff.h.
#include "reports/Diff.h"
#include "reports/Graph.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <deque>
#include <map>

namespace opaudit {

std::string DiffFigure::text() const {
  switch (K) {
  case Kind::None:
    return "-";
  case Kind::Exact:
    return groupDigits(Lo);
  case Kind::Range:
    return groupDigits(Lo) + ".." + groupDigits(Hi);
  case Kind::Formula:
    return Expr;
  case Kind::Unknown:
    return "?";
  }
  return "?";
}

namespace {
using Kind = DiffFigure::Kind;

/// A figure as a formula operand: exact values as their digits.
std::string operand(const DiffFigure &F) {
  return F.K == Kind::Exact ? std::to_string(F.Lo) : F.Expr;
}

DiffFigure asZero(const DiffFigure &F) { return F.K == Kind::None ? DiffFigure::exact(0) : F; }
} // namespace

DiffFigure diffFigures(const DiffFigure &Old, const DiffFigure &New) {
  if (Old.K == Kind::Unknown || New.K == Kind::Unknown)
    return DiffFigure::unknown();
  if (Old.K == Kind::None && New.K == Kind::None)
    return DiffFigure::none();
  DiffFigure O = asZero(Old), N = asZero(New);
  if (O.K == Kind::Formula || N.K == Kind::Formula) {
    if (O == N)
      return DiffFigure::exact(0);
    if (O.K == Kind::Range || N.K == Kind::Range)
      return DiffFigure::unknown(); // a range of formulas has no one formula
    DiffFigure F{Kind::Formula, 0, 0, {}};
    if (O.K == Kind::Exact && O.Lo == 0)
      F.Expr = N.Expr;
    else if (N.K == Kind::Exact && N.Lo == 0)
      F.Expr = "-(" + O.Expr + ")";
    else
      F.Expr = "(" + operand(N) + ") - (" + operand(O) + ")";
    return F;
  }
  DiffFigure D{Kind::Range, 0, 0, {}};
  if (__builtin_sub_overflow(N.Lo, O.Hi, &D.Lo) || __builtin_sub_overflow(N.Hi, O.Lo, &D.Hi))
    return DiffFigure::unknown();
  if (D.Lo == D.Hi)
    D.K = Kind::Exact;
  return D;
}

DiffFigure addFigures(const DiffFigure &A, const DiffFigure &B) {
  if (A.K == Kind::Unknown || B.K == Kind::Unknown)
    return DiffFigure::unknown();
  if (A.K == Kind::None)
    return B;
  if (B.K == Kind::None)
    return A;
  if (A.K == Kind::Formula || B.K == Kind::Formula) {
    if (A.K == Kind::Range || B.K == Kind::Range)
      return DiffFigure::unknown();
    return {Kind::Formula, 0, 0, operand(A) + " + " + operand(B)};
  }
  DiffFigure S{Kind::Range, 0, 0, {}};
  if (__builtin_add_overflow(A.Lo, B.Lo, &S.Lo) || __builtin_add_overflow(A.Hi, B.Hi, &S.Hi))
    return DiffFigure::unknown();
  if (S.Lo == S.Hi)
    S.K = Kind::Exact;
  return S;
}

llvm::StringRef diffMetricName(DiffMetric M) {
  static const llvm::StringRef Names[] = {"macs", "params",  "weight_bytes",
                                          "ops",  "traffic", "latency"};
  return Names[static_cast<size_t>(M)];
}

llvm::StringRef diffStatusName(DiffRow::Status S) {
  switch (S) {
  case DiffRow::Status::Unchanged:
    return "unchanged";
  case DiffRow::Status::Changed:
    return "changed";
  case DiffRow::Status::Added:
    return "added";
  case DiffRow::Status::Removed:
    return "removed";
  }
  return "";
}

namespace {

/// MACs of a row: "-" for layers that count none, "?" for an operator no rule knows.
DiffFigure rowMacs(const LayerRow &R) {
  if (!R.Counted)
    return DiffFigure::unknown();
  if (!R.MacClass)
    return DiffFigure::none();
  const MacRange *B = R.Range.get();
  if (B && B->Min && B->Max)
    return *B->Min == *B->Max ? DiffFigure::exact(*B->Min)
                              : DiffFigure{Kind::Range, *B->Min, *B->Max, {}};
  if (B && (!B->MinExpr.empty() || !B->MaxExpr.empty()))
    return DiffFigure::unknown(); // a range with an open dim: no single formula
  if (R.Macs)
    return DiffFigure::exact(*R.Macs);
  if (!R.MacsExpr.empty())
    return {Kind::Formula, 0, 0, R.MacsExpr.str()};
  return DiffFigure::unknown();
}

DiffFigure totalMacs(const Report &R) {
  if (R.TotalMacsMin && R.TotalMacsMax)
    return {Kind::Range, *R.TotalMacsMin, *R.TotalMacsMax, {}};
  if (R.TotalMacs)
    return DiffFigure::exact(*R.TotalMacs);
  if (!R.TotalMacsExpr.empty() && R.TotalMacsMinExpr.empty())
    return {Kind::Formula, 0, 0, R.TotalMacsExpr};
  return DiffFigure::unknown();
}

DiffFigure exprFigure(const std::optional<int64_t> &V, llvm::StringRef E) {
  if (V)
    return DiffFigure::exact(*V);
  if (!E.empty())
    return {Kind::Formula, 0, 0, E.str()};
  return DiffFigure::unknown();
}

DiffFigure optFigure(const std::optional<int64_t> &V) {
  return V ? DiffFigure::exact(*V) : DiffFigure::unknown();
}

std::string shapeText(const LayerRow &R) {
  if (R.Outputs.empty())
    return "";
  const OutputInfo &O = R.Outputs.front();
  if (!O.Dims)
    return "?";
  std::string S;
  for (size_t I = 0; I < O.Dims->size(); ++I)
    S += (I ? "x" : "") + (*O.Dims)[I].str();
  return S;
}

/// One side's figures of a row, or of the totals when Row is null.
void fillSide(const DiffReport &D, const Report &Rep, const LayerRow *Row,
              std::array<DiffCell, kNumDiffMetrics> &Cells, bool OldSide) {
  auto Set = [&](DiffMetric M, DiffFigure F) {
    DiffCell &C = Cells[static_cast<size_t>(M)];
    (OldSide ? C.Old : C.New) = std::move(F);
  };
  Set(DiffMetric::Macs, Row ? rowMacs(*Row) : totalMacs(Rep));
  Set(DiffMetric::Params, DiffFigure::exact(Row ? Row->Params : Rep.TotalParams));
  Set(DiffMetric::WeightBytes, DiffFigure::exact(Row ? Row->WeightBytes : Rep.TotalWeightBytes));
  if (D.has(DiffMetric::Ops))
    Set(DiffMetric::Ops,
        Row ? exprFigure(Row->ops(), Row->opsExpr()) : exprFigure(Rep.TotalOps, Rep.TotalOpsExpr));
  if (D.has(DiffMetric::Traffic))
    Set(DiffMetric::Traffic,
        Row ? (Row->Traffic ? optFigure(Row->Traffic->OffchipBytes) : DiffFigure::unknown())
            : optFigure(Rep.Traffic->OffchipBytes));
  if (D.has(DiffMetric::Latency)) {
    DiffCell &C = Cells[static_cast<size_t>(DiffMetric::Latency)];
    std::optional<double> S =
        Row ? (Row->Roof ? Row->Roof->Seconds : std::nullopt) : Rep.Roof->LatencySeconds;
    (OldSide ? C.OldSeconds : C.NewSeconds) = S;
    (OldSide ? C.OldHas : C.NewHas) = true;
  }
}

/// Deltas of every cell; true when any figure or time differs.
bool finishCells(const DiffReport &D, std::array<DiffCell, kNumDiffMetrics> &Cells) {
  bool Differs = false;
  for (size_t M = 0; M < kNumDiffMetrics; ++M) {
    if (!D.Has[M])
      continue;
    DiffCell &C = Cells[M];
    if (static_cast<DiffMetric>(M) == DiffMetric::Latency) {
      std::optional<double> O = C.OldHas ? C.OldSeconds : std::optional<double>(0.0);
      std::optional<double> N = C.NewHas ? C.NewSeconds : std::optional<double>(0.0);
      if (O && N)
        C.DeltaSeconds = *N - *O;
      Differs |= C.OldSeconds != C.NewSeconds || C.OldHas != C.NewHas;
      continue;
    }
    C.Delta = diffFigures(C.Old, C.New);
    Differs |= !(C.Old == C.New);
  }
  return Differs;
}

} // namespace

DiffReport diffReports(const Report &Old, const Report &New) {
  DiffReport D;
  D.OldPath = Old.Path;
  D.NewPath = New.Path;
  D.Has[static_cast<size_t>(DiffMetric::Ops)] = !Old.Convention.empty() && !New.Convention.empty();
  D.Has[static_cast<size_t>(DiffMetric::Traffic)] = Old.Traffic && New.Traffic;
  D.Has[static_cast<size_t>(DiffMetric::Latency)] =
      Old.Roof && New.Roof && Old.Roof->Available && New.Roof->Available;
  if (D.has(DiffMetric::Ops))
    D.Convention = New.Convention;
  if (D.has(DiffMetric::Latency))
    D.Hardware = New.Roof->Profile;

  // Main-graph rows: a control-flow row carries the cost of its bodies.
  std::vector<size_t> OldRows, NewRows;
  for (size_t I = 0; I < Old.Rows.size(); ++I)
    if (Old.Rows[I].Graph.empty())
      OldRows.push_back(I);
  for (size_t I = 0; I < New.Rows.size(); ++I)
    if (New.Rows[I].Graph.empty())
      NewRows.push_back(I);
  constexpr size_t kNone = ~size_t(0);
  std::vector<size_t> MatchOfNew(NewRows.size(), kNone), MatchOfOld(OldRows.size(), kNone);
  std::vector<bool> ByName(NewRows.size(), false);
  // 1. By name (names the file gives; made-up names of unnamed nodes do not count).
  llvm::StringMap<std::deque<size_t>> OldByName;
  for (size_t K = 0; K < OldRows.size(); ++K)
    if (!Old.Rows[OldRows[K]].Unnamed)
      OldByName[Old.Rows[OldRows[K]].Name].push_back(K);
  for (size_t K = 0; K < NewRows.size(); ++K) {
    const LayerRow &R = New.Rows[NewRows[K]];
    if (R.Unnamed)
      continue;
    auto It = OldByName.find(R.Name);
    if (It == OldByName.end() || It->second.empty())
      continue;
    size_t O = It->second.front();
    It->second.pop_front();
    MatchOfNew[K] = O;
    MatchOfOld[O] = K;
    ByName[K] = true;
  }
  // 2. Structure: the k-th unmatched node of an op type in each model's order.
  std::map<std::string, std::deque<size_t>> OldByOp;
  for (size_t K = 0; K < OldRows.size(); ++K)
    if (MatchOfOld[K] == kNone) {
      const LayerRow &R = Old.Rows[OldRows[K]];
      OldByOp[(R.Domain + "::" + R.OpType).str()].push_back(K);
    }
  for (size_t K = 0; K < NewRows.size(); ++K) {
    if (MatchOfNew[K] != kNone)
      continue;
    const LayerRow &R = New.Rows[NewRows[K]];
    auto It = OldByOp.find((R.Domain + "::" + R.OpType).str());
    if (It == OldByOp.end() || It->second.empty())
      continue;
    MatchOfNew[K] = It->second.front();
    MatchOfOld[It->second.front()] = K;
    It->second.pop_front();
  }
  // Removed rows follow the new row matched to their nearest matched old predecessor.
  std::vector<std::vector<size_t>> RemovedAfter(NewRows.size() + 1);
  size_t Anchor = 0; // 0: before every new row; K + 1: after new row K.
  for (size_t K = 0; K < OldRows.size(); ++K) {
    if (MatchOfOld[K] != kNone)
      Anchor = MatchOfOld[K] + 1;
    else
      RemovedAfter[Anchor].push_back(K);
  }
  auto MakeRow = [&](size_t OK, size_t NK) {
    DiffRow Row;
    const LayerRow *O = OK == kNone ? nullptr : &Old.Rows[OldRows[OK]];
    const LayerRow *N = NK == kNone ? nullptr : &New.Rows[NewRows[NK]];
    if (O) {
      Row.OldName = O->Name.str();
      Row.OldShape = shapeText(*O);
      fillSide(D, Old, O, Row.Cells, true);
    }
    if (N) {
      Row.NewName = N->Name.str();
      Row.NewShape = shapeText(*N);
      fillSide(D, New, N, Row.Cells, false);
    }
    Row.OpType = (N ? N->OpType : O->OpType).str();
    bool Differs = finishCells(D, Row.Cells);
    if (!O) {
      Row.St = DiffRow::Status::Added;
      ++D.Added;
    } else if (!N) {
      Row.St = DiffRow::Status::Removed;
      ++D.Removed;
    } else {
      Row.MatchedBy = ByName[NK] ? "name" : "structure";
      ++(ByName[NK] ? D.ByName : D.ByStructure);
      Row.St = Differs || Row.OldShape != Row.NewShape ? DiffRow::Status::Changed
                                                       : DiffRow::Status::Unchanged;
      ++(Row.St == DiffRow::Status::Changed ? D.Changed : D.Unchanged);
    }
    D.Rows.push_back(std::move(Row));
  };
  for (size_t R : RemovedAfter[0])
    MakeRow(R, kNone);
  for (size_t K = 0; K < NewRows.size(); ++K) {
    MakeRow(MatchOfNew[K], K);
    for (size_t R : RemovedAfter[K + 1])
      MakeRow(R, kNone);
  }
  fillSide(D, Old, nullptr, D.Totals, true);
  fillSide(D, New, nullptr, D.Totals, false);
  finishCells(D, D.Totals);
  return D;
}

// --- Budgets ---------------------------------------------------------------

llvm::ArrayRef<llvm::StringRef> budgetMetricNames() {
  static const llvm::StringRef Names[] = {"macs",    "params",  "weight_bytes", "ops",
                                          "traffic", "latency", "time"};
  return Names;
}

llvm::Expected<Budget> parseBudget(llvm::StringRef Spec) {
  auto Bad = [&](const llvm::Twine &Why) {
    return makeError(ErrorCategory::Usage, "budget '" + Spec + "': " + Why);
  };
  auto [Name, Value] = Spec.split('=');
  Name = Name.trim();
  Value = Value.trim();
  if (!Spec.contains('='))
    return Bad("expected METRIC=LIMIT, e.g. macs=+2% or weight_bytes=+0");
  Budget B;
  B.Text = Spec.str();
  llvm::StringRef Metric = Name == "time" ? llvm::StringRef("latency") : Name;
  bool Found = false;
  for (size_t M = 0; M < kNumDiffMetrics; ++M)
    if (diffMetricName(static_cast<DiffMetric>(M)) == Metric) {
      B.Metric = static_cast<DiffMetric>(M);
      Found = true;
    }
  if (!Found) {
    std::string Known, Best;
    unsigned BestD = ~0u;
    for (llvm::StringRef K : budgetMetricNames()) {
      Known += (Known.empty() ? "" : ", ") + K.str();
      unsigned Dist = Name.edit_distance(K);
      if (Dist < BestD)
        BestD = Dist, Best = K.str();
    }
    std::string Hint = BestD <= 3 ? "did you mean '" + Best + "'? " : "";
    return Bad("unknown metric '" + Name + "' (" + Hint + "known: " + Known + ")");
  }
  llvm::StringRef Num = Value;
  double Scale = 1;
  if (Num.consume_back("%")) {
    B.Relative = true;
  } else if (B.Metric == DiffMetric::Latency) {
    if (Num.consume_back("ms"))
      Scale = 1e-3;
    else if (Num.consume_back("us"))
      Scale = 1e-6;
    else if (Num.consume_back("ns"))
      Scale = 1e-9;
    else
      Num.consume_back("s");
  }
  bool Neg = false;
  if (Num.consume_front("-"))
    Neg = true;
  else
    Num.consume_front("+");
  double V;
  if (Num.empty() || Num.getAsDouble(V) || !std::isfinite(V) || V < 0)
    return Bad("expected a limit such as +2%, +0, -5% or (latency) +1ms, got '" + Value + "'");
  B.Limit = (Neg ? -V : V) * Scale;
  if (!B.Relative && B.Metric != DiffMetric::Latency && B.Limit != std::floor(B.Limit))
    return Bad("an absolute limit on " + diffMetricName(B.Metric) + " is a whole number");
  return B;
}

namespace {
std::string percentText(long double Delta, long double Base) {
  if (Base == 0)
    return Delta == 0 ? "0%" : "from 0";
  return llvm::formatv("{0}{1:f2}%", Delta >= 0 ? "+" : "", double(Delta * 100 / Base)).str();
}
std::string signedCount(int64_t V) { return (V > 0 ? "+" : "") + groupDigits(V); }
} // namespace

std::vector<BudgetVerdict> checkBudgets(const DiffReport &D, llvm::ArrayRef<Budget> Budgets) {
  std::vector<BudgetVerdict> Out;
  for (const Budget &B : Budgets) {
    BudgetVerdict V;
    V.B = B;
    std::string Name = diffMetricName(B.Metric).str();
    if (!D.has(B.Metric)) {
      V.Message = Name + " is not in this diff (ops needs --convention, traffic a traffic "
                         "option, latency --hw)";
      Out.push_back(std::move(V));
      continue;
    }
    const DiffCell &C = D.total(B.Metric);
    bool Exceeded = false;
    if (B.Metric == DiffMetric::Latency) {
      if (!C.OldSeconds || !C.NewSeconds) {
        V.Message = "latency of " + (!C.OldSeconds ? D.OldPath : D.NewPath) +
                    " is unknown (see its diagnostics)";
        Out.push_back(std::move(V));
        continue;
      }
      double Delta = *C.NewSeconds - *C.OldSeconds;
      double Limit = B.Relative ? *C.OldSeconds * B.Limit / 100 : B.Limit;
      Exceeded = Delta > Limit;
      V.Message = "latency " + secondsText(*C.OldSeconds) + " -> " + secondsText(*C.NewSeconds) +
                  " (" + percentText(Delta, *C.OldSeconds) + ")";
    } else {
      const DiffFigure &Dl = C.Delta;
      if (Dl.K != Kind::Exact && Dl.K != Kind::Range && Dl.K != Kind::None) {
        const DiffFigure &Bad =
            C.New.K == Kind::Unknown || C.New.K == Kind::Formula ? C.New : C.Old;
        const std::string &Path = &Bad == &C.New ? D.NewPath : D.OldPath;
        V.Message = Name + " of " + Path +
                    (Bad.K == Kind::Formula
                         ? " is a formula (" + Bad.Expr + "); bind its dims with --dim or --input"
                         : std::string(" is unknown (see its diagnostics)"));
        Out.push_back(std::move(V));
        continue;
      }
      int64_t Worst = Dl.K == Kind::None ? 0 : Dl.Hi; // the largest growth
      std::optional<int64_t> Base;
      if (C.Old.K == Kind::Exact || C.Old.K == Kind::Range)
        Base = C.Old.Lo;
      else if (C.Old.K == Kind::None)
        Base = 0;
      if (B.Relative && !Base) {
        // Equal formulas: no growth, which meets any budget that allows none.
        if (Worst <= 0 && B.Limit >= 0) {
          V.R = BudgetVerdict::Result::Within;
          V.Message = Name + " unchanged (" + C.Old.text() + ")";
        } else {
          V.Message = Name + " of " + D.OldPath + " is not a number; a relative budget needs one";
        }
        Out.push_back(std::move(V));
        continue;
      }
      long double Limit = B.Relative ? (long double)*Base * B.Limit / 100 : B.Limit;
      Exceeded = (long double)Worst > Limit;
      V.Message = Name + " " + C.Old.text() + " -> " + C.New.text() + " (" + signedCount(Worst) +
                  (Base ? ", " + percentText(Worst, *Base) : "") +
                  (Dl.K == Kind::Range ? ", worst case of a range" : "") + ")";
    }
    V.R = Exceeded ? BudgetVerdict::Result::Exceeded : BudgetVerdict::Result::Within;
    Out.push_back(std::move(V));
  }
  return Out;
}

void writeBudgetVerdicts(llvm::ArrayRef<BudgetVerdict> Vs, llvm::raw_ostream &OS) {
  for (const BudgetVerdict &V : Vs) {
    llvm::StringRef R = V.R == BudgetVerdict::Result::Within     ? "ok"
                        : V.R == BudgetVerdict::Result::Exceeded ? "EXCEEDED"
                                                                 : "cannot be checked";
    OS << "budget " << V.B.Text << ": " << R << ": " << V.Message << "\n";
  }
}

// --- Pictures coloured by delta ------------------------------------------------

namespace {
/// A picture and a fill per box; everything else is the picture's own.
struct DiffPicture {
  const PictureGraph *P;
  std::vector<std::string> Attrs;
};
} // namespace

template <> struct DotGraphTraits<DiffPicture> {
  using Base = DotGraphTraits<PictureGraph>;
  static std::string graphName(const DiffPicture &G) { return Base::graphName(*G.P); }
  static std::string graphAttributes(const DiffPicture &G) { return Base::graphAttributes(*G.P); }
  static size_t size(const DiffPicture &G) { return Base::size(*G.P); }
  static bool isHidden(const DiffPicture &G, size_t N) { return Base::isHidden(*G.P, N); }
  static std::string nodeLabel(const DiffPicture &G, size_t N) { return Base::nodeLabel(*G.P, N); }
  static std::string nodeTooltip(const DiffPicture &G, size_t N) {
    return Base::nodeTooltip(*G.P, N);
  }
  static std::string nodeAttributes(const DiffPicture &G, size_t N) { return G.Attrs[N]; }
  static llvm::ArrayRef<std::string> clusterPath(const DiffPicture &G, size_t N) {
    return Base::clusterPath(*G.P, N);
  }
  static std::string clusterLabel(const DiffPicture &G, llvm::ArrayRef<std::string> Path) {
    return Base::clusterLabel(*G.P, Path);
  }
  static std::string clusterAttributes(const DiffPicture &G, llvm::ArrayRef<std::string> Path) {
    return Base::clusterAttributes(*G.P, Path);
  }
  static std::vector<std::pair<size_t, size_t>> edges(const DiffPicture &G) {
    return Base::edges(*G.P);
  }
};

namespace {
/// The fill of a changed box: red for growth, green for shrinkage, the
/// saturation by the relative change of MACs (weight bytes when no MACs).
std::string deltaFill(const DiffRow &Row) {
  for (DiffMetric M : {DiffMetric::Macs, DiffMetric::WeightBytes}) {
    const DiffCell &C = Row.cell(M);
    if (C.Delta.K != Kind::Exact || C.Delta.Lo == 0)
      continue;
    if (C.Old.K != Kind::Exact || C.New.K != Kind::Exact)
      continue;
    double Base = std::max<double>(std::abs(double(C.Old.Lo)), std::abs(double(C.New.Lo)));
    double Rel = Base > 0 ? std::abs(double(C.Delta.Lo)) / Base : 1;
    return llvm::formatv("fillcolor=\"{0} {1:f3} 1.000\"", C.Delta.Lo > 0 ? "0.000" : "0.333",
                         0.15 + 0.75 * Rel)
        .str();
  }
  // Changed in shape, ops, traffic or time only: a pale yellow.
  return "fillcolor=\"0.150 0.250 1.000\"";
}
} // namespace

llvm::Expected<std::string> drawDiffPicture(Analysis &A, const Report &R, const DiffReport &D,
                                            DiffSide Side) {
  GraphOptions GO;
  GO.CollapseRepeats = R.NumNodes > 400;
  PictureGraph P = buildPicture(A.manager(), R, GO);
  llvm::StringMap<const DiffRow *> ByName;
  for (const DiffRow &Row : D.Rows) {
    const std::string &N = Side == DiffSide::Old ? Row.OldName : Row.NewName;
    if (!N.empty())
      ByName.try_emplace(N, &Row);
  }
  DiffPicture DP{&P, {}};
  for (const PictureNode &PN : P.Nodes) {
    auto It = ByName.find(PN.Tooltip);
    std::string A = "fillcolor=\"0.000 0.000 1.000\""; // unchanged, or a folded box
    if (It != ByName.end()) {
      const DiffRow &Row = *It->second;
      if (Row.St == DiffRow::Status::Added)
        A = "fillcolor=\"0.000 0.450 1.000\", color=\"#c00000\", penwidth=3";
      else if (Row.St == DiffRow::Status::Removed)
        A = "fillcolor=\"0.600 0.300 1.000\", color=\"#0050c0\", penwidth=2, "
            "style=\"rounded,filled,dashed\"";
      else if (Row.St == DiffRow::Status::Changed)
        A = deltaFill(Row);
    }
    if (PN.Members > 1)
      A += ", shape=box3d";
    DP.Attrs.push_back(std::move(A));
  }
  std::string Dot;
  llvm::raw_string_ostream OS(Dot);
  emitDot(DP, OS);
  OS.flush();
  return renderDot(Dot, "svg");
}

} // namespace opaudit
