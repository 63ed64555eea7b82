// Builds the presentation view: group, sort, cut to --top N, and sum the rows
// into the totals with overflow checks.
#include "reports/Presentation.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

namespace opaudit {

namespace {
bool addChecked(int64_t &Acc, int64_t V) { return __builtin_add_overflow(Acc, V, &Acc); }

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
}

ViewRow layerRow(const LayerRow &L) {
  ViewRow V;
  V.K = ViewRow::Layer;
  V.Label = L.Name;
  V.OpType = L.Domain.empty() ? L.OpType : L.Domain + "::" + L.OpType;
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
    default: {
      auto M = R.macs();
      return M ? std::pair<int, int64_t>{1, *M} : std::pair<int, int64_t>{0, R.KnownMacs};
    }
    }
  };
  auto KA = Key(A), KB = Key(B);
  if (KA != KB)
    return KA > KB;
  return A.Label < B.Label;
}
} // namespace

std::string ViewRow::macsText() const {
  if (!MacClass)
    return "-";
  if (auto M = macs())
    return groupDigits(*M);
  if (K == Layer && Source && !Source->MacsExpr.empty())
    return Source->MacsExpr;
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
      const std::string &D = (*O.Dims)[I];
      bool Atom = llvm::all_of(
          D, [](char C) { return isalnum(static_cast<unsigned char>(C)) || C == '_' || C == '?'; });
      S += (I ? "x" : "") + (Atom ? D : "(" + D + ")");
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
  return std::nullopt;
}

View present(const Report &R) {
  const ViewOptions &O = R.View;
  View V;
  V.Heading = O.Group == GroupBy::OpType  ? "op type"
              : O.Group == GroupBy::Scope ? "scope"
                                          : "layer";
  SortBy S = O.Sort;
  if (S == SortBy::Auto)
    S = O.Top || O.Group != GroupBy::None ? SortBy::Macs : SortBy::Order;
  // Subgraph rows are details under their control-flow row, which carries their cost.
  bool Details = O.ShowSubgraphs && S == SortBy::Order && !O.Top && O.Group == GroupBy::None;
  if (O.Group == GroupBy::None) {
    for (const LayerRow &L : R.Rows) {
      if (L.Depth && !Details)
        continue;
      ViewRow Row = layerRow(L);
      if (L.Depth) {
        Row.Depth = L.Depth;
        Row.Label = std::string(2 * L.Depth, ' ') + "[" + L.Graph + "] " + L.Name;
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
                            ? (L.Domain.empty() ? L.OpType : L.Domain + "::" + L.OpType)
                            : scopeOf(L.Name, O.ScopeDepth);
      auto [It, New] = Index.try_emplace(Key, V.Rows.size());
      if (New) {
        ViewRow G;
        G.K = ViewRow::Group;
        G.Label = Key;
        V.Rows.push_back(G);
      }
      accumulate(V.Rows[It->second], layerRow(L));
    }
  }
  if (S != SortBy::Order)
    std::stable_sort(V.Rows.begin(), V.Rows.end(),
                     [&](const ViewRow &A, const ViewRow &B) { return heavier(S, A, B); });
  if (O.Top && V.Rows.size() > O.Top) {
    ViewRow Other;
    Other.K = ViewRow::Other;
    Other.Label = "[other]";
    for (size_t I = O.Top; I < V.Rows.size(); ++I)
      accumulate(Other, V.Rows[I]);
    V.Rows.resize(O.Top);
    V.Rows.push_back(std::move(Other));
  }
  V.Total.K = ViewRow::Group;
  V.Total.Label = "TOTAL";
  for (const ViewRow &Row : V.Rows)
    if (!Row.Depth)
      accumulate(V.Total, Row);
  // A model without any MAC-class layer still has a known total of 0.
  V.Total.MacClass = true;
  if (!V.Total.macs())
    V.TotalMacsExpr = R.TotalMacsExpr;
  return V;
}

} // namespace opaudit
