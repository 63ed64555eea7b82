// Builds the presentation view: group, sort, fold trivial rows, cut to --top
// N, sum the rows into the totals with overflow checks, and lay out the
// analysis columns every writer prints.
#include "reports/Presentation.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <set>

namespace opaudit {

namespace {
bool addChecked(int64_t &Acc, int64_t V) { return __builtin_add_overflow(Acc, V, &Acc); }
} // namespace

void KnownSum::add(std::optional<int64_t> V) {
  if (V)
    Overflow |= addChecked(Known, *V);
  else
    ++Unknown;
}

void KnownSum::add(const KnownSum &B) {
  Unknown += B.Unknown;
  Overflow |= B.Overflow;
  Overflow |= addChecked(Known, B.Known);
}

namespace {

/// Adds the figures of B into A (A stands for more layers afterwards).
void accumulate(ViewRow &A, const ViewRow &B) {
  A.Layers += B.Layers;
  A.MacClass |= B.MacClass;
  A.UnknownMacLayers += B.UnknownMacLayers;
  A.Overflow |= B.Overflow;
  A.Overflow |= addChecked(A.KnownMacs, B.KnownMacs);
  A.Overflow |= addChecked(A.Params, B.Params);
  A.Overflow |= addChecked(A.SharedParams, B.SharedParams);
  A.Overflow |= addChecked(A.WeightBytes, B.WeightBytes);
  if (B.Sums) {
    if (!A.Sums)
      A.Sums.emplace();
    A.Sums->add(*B.Sums);
  }
}

/// The view row of one layer. Analyses: the view has an analysis column, so
/// the row keeps its sums (an unknown figure counts there as an unknown member).
ViewRow layerRow(const LayerRow &L, bool Analyses) {
  ViewRow V;
  V.K = ViewRow::Layer;
  V.Label = L.Name;
  V.Source = &L;
  V.Layers = 1;
  V.MacClass = L.MacClass;
  if (L.MacClass) {
    if (L.Macs)
      V.KnownMacs = *L.Macs;
    else
      V.UnknownMacLayers = 1;
  }
  V.Params = L.Params;
  V.SharedParams = L.SharedParams;
  V.WeightBytes = L.WeightBytes;
  if (!Analyses)
    return V;
  ViewSums &S = V.Sums.emplace();
  S.Ops.add(L.ops());
  if (L.Traffic) {
    const LayerTraffic &T = *L.Traffic;
    S.TrafficWeightBytes.add(T.WeightBytes);
    S.ResidentWeightBytes.add(T.Resident ? T.WeightBytes : 0);
    S.ActIn.add(T.InBytes);
    S.ActOut.add(T.OutBytes);
    S.Offchip.add(T.OffchipBytes);
    S.BatchMacs.add(L.MacClass ? T.Macs : std::optional<int64_t>(0));
  }
  if (L.Roof) {
    S.Compute.add(L.Roof->ComputeSeconds);
    S.Memory.add(L.Roof->MemorySeconds);
    S.Time.add(L.Roof->Seconds);
  }
  return V;
}

/// Sort key: larger first, unknown MACs after every known count, ties by label.
bool heavier(SortBy S, const ViewRow &A, const ViewRow &B) {
  auto Key = [&](const ViewRow &R) -> std::pair<int, int64_t> {
    switch (S) {
    case SortBy::Params:
      return {1, R.Params};
    case SortBy::WeightBytes:
      return {1, R.WeightBytes};
    case SortBy::Time: {
      // Nanoseconds keep the key an integer; sub-ns differences do not order layers.
      const SecondsSum &Time = R.sums().Time;
      auto T = Time.value();
      return T ? std::pair<int, int64_t>{1, static_cast<int64_t>(*T * 1e12)}
               : std::pair<int, int64_t>{0, static_cast<int64_t>(Time.Known * 1e12)};
    }
    default: {
      auto M = R.macs();
      return M ? std::pair<int, int64_t>{1, *M} : std::pair<int, int64_t>{0, R.KnownMacs};
    }
    }
  };
  auto KA = Key(A), KB = Key(B);
  if (KA != KB)
    return KA > KB;
  return naturalLess(A.Label, B.Label);
}

std::string fixed(double V, int Digits) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << llvm::format("%.*f", Digits, V);
  return OS.str();
}

std::string shortest(double V) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << llvm::format("%.6g", V);
  return OS.str();
}

/// A cell of an exact count: digits, "?" when unknown.
ViewCell countCell(const KnownSum &S, llvm::StringRef Expr = "") {
  if (auto V = S.value())
    return {groupDigits(*V), std::to_string(*V), static_cast<double>(*V)};
  if (!Expr.empty())
    return {Expr.str(), Expr.str(), std::nullopt};
  return {"?", "?", std::nullopt};
}
} // namespace

std::vector<std::string> conditionLines(const Report &R) {
  std::vector<std::string> L;
  if (!R.Convention.empty())
    L.push_back("ops: under convention '" + R.Convention + "': " + R.ConventionMeaning);
  if (R.Traffic) {
    const TrafficInfo &T = *R.Traffic;
    L.push_back("traffic: batch " + (T.Batch ? std::to_string(*T.Batch) : std::string("?")) +
                ", weights at " + T.WeightDType + " dtype, activations at " + T.ActDType +
                " dtype, SRAM " + groupDigits(T.SramBytes) + " bytes, " + T.Schedule +
                " schedule; off-chip bytes and time are per batch");
  }
  if (R.Roof && R.Roof->Available && R.Cond)
    L.push_back("hardware: " + R.Roof->Profile + " (" + R.Cond->Hardware + "), precision " +
                R.Roof->Precision + (R.Roof->PrecisionFromGraph ? " (the graph's)" : "") +
                ", operating point " + R.Cond->OperatingPoint + "; times at 100% MAC utilization");
  return L;
}

std::vector<std::string> summaryLines(const Report &R, const View &V) {
  std::vector<std::string> L;
  if (V.HasOps) {
    std::string S = "ops: ";
    if (auto O = V.Total.sums().Ops.value())
      S += humanCount(static_cast<double>(*O)) + " (" + groupDigits(*O) + ")";
    else
      S += V.TotalOpsExpr.empty() ? "?" : V.TotalOpsExpr;
    L.push_back(S + " under convention '" + R.Convention + "'");
  }
  if (V.HasTraffic) {
    auto B = V.Total.sums().Offchip.value();
    std::string S = "off-chip: " + (B ? groupDigits(*B) : std::string("?")) + " bytes per batch";
    if (auto X = V.Total.intensity())
      S += ", " + fixed(*X, 2) + " MACs per byte";
    L.push_back(S);
  }
  if (V.HasRoof) {
    const RooflineInfo &F = *R.Roof;
    auto Sec = [](std::optional<double> X) { return X ? secondsText(*X) : std::string("?"); };
    std::string Bound = !F.LatencySeconds ? "?" : F.MemoryBound ? "memory" : "compute";
    L.push_back("roofline: " + Bound + "-bound; latency " + Sec(F.LatencySeconds) +
                " per batch (compute " + Sec(F.ComputeSeconds) + ", memory " +
                Sec(F.MemorySeconds) + ", overlapped across layers); the time column sums to " +
                Sec(V.Total.sums().Time.value()) + ", each layer's max without overlap");
    L.push_back("inferences/s: <= " +
                (F.InferencesPerSecond ? fixed(*F.InferencesPerSecond, 2) : std::string("?")) +
                " at 100% MAC utilization");
  }
  if (V.TrivialLayers)
    L.push_back(std::to_string(V.TrivialLayers) +
                " layer(s) whose every figure is zero are folded into [other] (--hide-trivial)");
  return L;
}

bool naturalLess(llvm::StringRef A, llvm::StringRef B) {
  size_t I = 0, J = 0;
  auto Digit = [](char C) { return C >= '0' && C <= '9'; };
  while (I < A.size() && J < B.size()) {
    if (Digit(A[I]) && Digit(B[J])) {
      size_t I0 = I, J0 = J;
      while (I < A.size() && Digit(A[I]))
        ++I;
      while (J < B.size() && Digit(B[J]))
        ++J;
      llvm::StringRef X = A.slice(I0, I).ltrim('0'), Y = B.slice(J0, J).ltrim('0');
      if (X.size() != Y.size())
        return X.size() < Y.size();
      if (int C = X.compare(Y))
        return C < 0;
      continue;
    }
    if (A[I] != B[J])
      return static_cast<unsigned char>(A[I]) < static_cast<unsigned char>(B[J]);
    ++I, ++J;
  }
  if ((A.size() - I) != (B.size() - J))
    return A.size() - I < B.size() - J;
  return A < B;
}

std::string shortFormula(llvm::StringRef Expr, size_t Max) {
  if (Expr.size() <= Max)
    return Expr.str();
  // The symbols, in order of first appearance: identifiers that do not start with a digit.
  std::vector<std::string> Names;
  std::set<std::string> Seen;
  for (size_t I = 0; I < Expr.size();) {
    char C = Expr[I];
    if (isalpha(static_cast<unsigned char>(C)) || C == '_') {
      size_t J = I;
      while (J < Expr.size() &&
             (isalnum(static_cast<unsigned char>(Expr[J])) || Expr[J] == '_' || Expr[J] == '.'))
        ++J;
      std::string N = Expr.slice(I, J).str();
      if (Seen.insert(N).second)
        Names.push_back(N);
      I = J;
    } else if (isdigit(static_cast<unsigned char>(C))) {
      while (I < Expr.size() && (isalnum(static_cast<unsigned char>(Expr[I])) || Expr[I] == '.'))
        ++I;
    } else {
      ++I;
    }
  }
  std::string S = "f(";
  for (size_t I = 0; I < Names.size(); ++I) {
    if (I == 4) {
      S += ", ...";
      break;
    }
    S += (I ? ", " : "") + Names[I];
  }
  return S + ")";
}

void ViewSums::add(const ViewSums &B) {
  Ops.add(B.Ops);
  TrafficWeightBytes.add(B.TrafficWeightBytes);
  ResidentWeightBytes.add(B.ResidentWeightBytes);
  ActIn.add(B.ActIn);
  ActOut.add(B.ActOut);
  Offchip.add(B.Offchip);
  BatchMacs.add(B.BatchMacs);
  Compute.add(B.Compute);
  Memory.add(B.Memory);
  Time.add(B.Time);
}

const ViewSums &ViewRow::sums() const {
  static const ViewSums None;
  return Sums ? *Sums : None;
}

std::optional<double> ViewRow::intensity() const {
  auto M = sums().BatchMacs.value();
  auto B = sums().Offchip.value();
  if (!M || !B || *B <= 0)
    return std::nullopt;
  return static_cast<double>(*M) / static_cast<double>(*B);
}

std::string ViewRow::bound() const {
  const ViewSums &S = sums();
  auto T = S.Time.value();
  if (!T)
    return "?";
  if (*T == 0)
    return "-";
  // A layer is bound by the larger of its two times; a group by the larger of their sums.
  if (K == Layer && Source && Source->Roof)
    return Source->Roof->MemoryBound ? "memory" : "compute";
  return S.Memory.Known > S.Compute.Known ? "memory" : "compute";
}

bool isTrivial(const View &V, const ViewRow &Row) {
  if (Row.K == ViewRow::Other || Row.macs() != std::optional<int64_t>(0) || Row.Params ||
      Row.WeightBytes || Row.SharedParams)
    return false;
  const ViewSums &S = Row.sums();
  if (V.HasOps && S.Ops.value() != std::optional<int64_t>(0))
    return false;
  if (V.HasTraffic && S.Offchip.value() != std::optional<int64_t>(0))
    return false;
  if (V.HasRoof && S.Time.value() != std::optional<double>(0))
    return false;
  return true;
}

ViewCell View::cell(const ViewRow &Row, size_t I) const {
  const std::string &Key = Columns[I].Key;
  bool IsTotal = &Row == &Total;
  const ViewSums &S = Row.sums();
  if (Key == "ops") {
    llvm::StringRef Expr = IsTotal                                 ? TotalOpsExpr
                           : Row.K == ViewRow::Layer && Row.Source ? Row.Source->opsExpr()
                                                                   : "";
    return countCell(S.Ops, S.Ops.value() ? llvm::StringRef() : Expr);
  }
  if (Key == "offchip_bytes")
    return countCell(S.Offchip);
  if (Key == "arithmetic_intensity") {
    if (auto X = Row.intensity())
      return {fixed(*X, 2), shortest(*X), *X};
    // Unknown bytes or MACs are "?"; nothing crossing the chip has no ratio.
    bool Unknown = !S.Offchip.value() || !S.BatchMacs.value();
    return {Unknown ? "?" : "-", Unknown ? "?" : "", std::nullopt};
  }
  if (Key == "bound") {
    std::string B = Row.bound();
    return {B, B == "-" ? "" : B, std::nullopt};
  }
  if (Key == "latency_seconds") {
    if (auto T = S.Time.value())
      return {secondsText(*T), shortest(*T), *T};
    return {"?", "?", std::nullopt};
  }
  return {"", "", std::nullopt};
}

std::string ViewRow::macsText() const {
  if (!MacClass)
    return "-";
  if (auto M = macs())
    return groupDigits(*M);
  if (K == Layer && Source && !Source->MacsExpr.empty())
    return Source->MacsExpr.str();
  const MacRange *B = K == Layer && Source ? Source->Range.get() : nullptr;
  if (B && B->Min && B->Max)
    return groupDigits(*B->Min) + ".." + groupDigits(*B->Max);
  if (B && !B->MinExpr.empty() && !B->MaxExpr.empty())
    return B->MinExpr + ".." + B->MaxExpr;
  return "?";
}

std::optional<double> ViewRow::share(const ViewRow &Total) const {
  auto M = macs();
  auto T = Total.macs();
  if (!MacClass || !M || !T || *T <= 0)
    return std::nullopt;
  return static_cast<double>(*M) / static_cast<double>(*T);
}

std::string scopeOf(llvm::StringRef Name, unsigned Depth) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Name.split(Parts, '/', -1, /*KeepEmpty=*/false);
  if (Parts.size() < 2 || Depth == 0)
    return "[root]";
  // The last component names the node itself, not a scope.
  size_t Keep = std::min<size_t>(Depth, Parts.size() - 1);
  std::string S;
  for (size_t I = 0; I < Keep; ++I)
    S += "/" + Parts[I].str();
  return S;
}

std::string shapeText(const LayerRow &L) {
  if (L.Outputs.empty())
    return "";
  const OutputInfo &O = L.Outputs.front();
  std::string S;
  if (!O.Dims) {
    S = "?";
  } else if (O.Dims->empty()) {
    S = "scalar";
  } else {
    for (size_t I = 0; I < O.Dims->size(); ++I) {
      llvm::StringRef D = (*O.Dims)[I];
      bool Atom = llvm::all_of(
          D, [](char C) { return isalnum(static_cast<unsigned char>(C)) || C == '_' || C == '?'; });
      S += (I ? "x" : "") + (Atom ? D.str() : "(" + D.str() + ")");
    }
  }
  if (L.Outputs.size() > 1)
    S += " +" + std::to_string(L.Outputs.size() - 1);
  return S;
}

std::string humanBytes(int64_t V) {
  std::string S = humanCount(static_cast<double>(V));
  return S + (S.back() >= '0' && S.back() <= '9' ? " B" : "B");
}

std::optional<GroupBy> groupByFromName(llvm::StringRef S) {
  if (S == "none")
    return GroupBy::None;
  if (S == "op_type")
    return GroupBy::OpType;
  if (S == "scope")
    return GroupBy::Scope;
  return std::nullopt;
}

std::optional<SortBy> sortByFromName(llvm::StringRef S) {
  if (S == "order")
    return SortBy::Order;
  if (S == "macs")
    return SortBy::Macs;
  if (S == "params")
    return SortBy::Params;
  if (S == "weights")
    return SortBy::WeightBytes;
  if (S == "time")
    return SortBy::Time;
  return std::nullopt;
}

View present(const Report &R) { return present(R, R.View); }

View present(const Report &R, const ViewOptions &O) {
  View V;
  V.HasOps = !R.Convention.empty();
  V.HasTraffic = R.Traffic.has_value();
  V.HasRoof = R.Roof && R.Roof->Available;
  bool Analyses = V.HasOps || V.HasTraffic || V.HasRoof;
  if (V.HasOps)
    V.Columns.push_back({"ops", "ops", true});
  if (V.HasTraffic) {
    V.Columns.push_back({"offchip_bytes", "off-chip bytes", true});
    V.Columns.push_back({"arithmetic_intensity", "MACs/byte", true});
  }
  if (V.HasRoof) {
    V.Columns.push_back({"bound", "bound", false});
    V.Columns.push_back({"latency_seconds", "time", true});
  }
  V.Heading = O.Group == GroupBy::OpType  ? "op type"
              : O.Group == GroupBy::Scope ? "scope"
                                          : "layer";
  SortBy S = O.Sort;
  if (S == SortBy::Auto)
    S = O.Top || O.Group != GroupBy::None ? SortBy::Macs : SortBy::Order;
  // Subgraph rows are details under their control-flow row, which carries their cost.
  bool Details = O.ShowSubgraphs && S == SortBy::Order && !O.Top && O.Group == GroupBy::None;
  if (O.Group == GroupBy::None) {
    // One row per layer: reserved, since growing by doubling would hold one and
    // a half times the rows at the peak.
    V.Rows.reserve(Details ? R.Rows.size()
                           : llvm::count_if(R.Rows, [](const LayerRow &L) { return !L.Depth; }));
    for (const LayerRow &L : R.Rows) {
      if (L.Depth && !Details)
        continue;
      ViewRow Row = layerRow(L, Analyses);
      Row.OpType = L.Domain.empty()
                       ? llvm::StringRef(L.OpType)
                       : llvm::StringRef(V.Texts.emplace_back((L.Domain + "::" + L.OpType).str()));
      if (L.Depth) {
        Row.Depth = L.Depth;
        Row.Label = V.Texts.emplace_back(
            std::string(2 * L.Depth, ' ') + "[" + L.Graph.str() +
            (L.role() == "runs" || L.role().empty() ? "" : ", " + L.role().str()) + "] " +
            L.Name.str());
      }
      V.Rows.push_back(std::move(Row));
    }
  } else {
    // Groups appear in order of their first layer, so Sort=Order stays meaningful.
    llvm::StringMap<size_t> Index;
    for (const LayerRow &L : R.Rows) {
      if (L.Depth)
        continue;
      std::string Key = O.Group == GroupBy::OpType
                            ? (L.Domain.empty() ? L.OpType : L.Domain + "::" + L.OpType).str()
                            : scopeOf(L.Name, O.ScopeDepth);
      auto [It, New] = Index.try_emplace(Key, V.Rows.size());
      if (New) {
        ViewRow G;
        G.K = ViewRow::Group;
        G.Label = V.Texts.emplace_back(std::move(Key));
        V.Rows.push_back(G);
      }
      accumulate(V.Rows[It->second], layerRow(L, Analyses));
    }
  }
  ViewRow Other;
  Other.K = ViewRow::Other;
  Other.Label = "[other]";
  if (O.HideTrivial) {
    // Trivial rows cost nothing, so folding them keeps the totals; a subgraph
    // detail row is not part of the totals and is simply left out.
    std::vector<ViewRow> Kept;
    for (ViewRow &Row : V.Rows) {
      if (!isTrivial(V, Row)) {
        Kept.push_back(std::move(Row));
        continue;
      }
      if (!Row.Depth) {
        V.TrivialLayers += Row.Layers;
        accumulate(Other, Row);
      }
    }
    V.Rows = std::move(Kept);
  }
  if (S != SortBy::Order)
    std::stable_sort(V.Rows.begin(), V.Rows.end(),
                     [&](const ViewRow &A, const ViewRow &B) { return heavier(S, A, B); });
  if (O.Top && V.Rows.size() > O.Top) {
    for (size_t I = O.Top; I < V.Rows.size(); ++I)
      accumulate(Other, V.Rows[I]);
    V.Rows.resize(O.Top);
  }
  if (Other.Layers)
    V.Rows.push_back(std::move(Other));
  V.Total.K = ViewRow::Group;
  V.Total.Label = "TOTAL";
  for (const ViewRow &Row : V.Rows)
    if (!Row.Depth)
      accumulate(V.Total, Row);
  // A model without any MAC-class layer still has a known total of 0.
  V.Total.MacClass = true;
  if (!V.Total.macs())
    V.TotalMacsExpr = R.TotalMacsExpr;
  if (!V.Total.sums().Ops.value())
    V.TotalOpsExpr = R.TotalOpsExpr;
  return V;
}

} // namespace opaudit
