// Builds the presentation model from the shape, MAC and weight analyses, and
// holds the format registry.
#include "reports/Report.h"
#include "passes/Conventions.h"
#include "passes/Weights.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"

namespace opaudit {

std::string dimText(Expr D) {
  if (!D)
    return "?";
  if (D.isConst() || D.isSymbol())
    return D.str();
  return "(" + D.str() + ")";
}

std::string groupDigits(int64_t V) {
  std::string Digits = std::to_string(V < 0 ? -(V + 1) + 1ull : static_cast<uint64_t>(V));
  std::string Out;
  int N = 0;
  for (size_t I = Digits.size(); I-- > 0;) {
    Out.insert(Out.begin(), Digits[I]);
    if (++N % 3 == 0 && I > 0)
      Out.insert(Out.begin(), ',');
  }
  return V < 0 ? "-" + Out : Out;
}

std::string humanCount(double V) {
  static const char *Units[] = {"", " K", " M", " G", " T", " P", " E"};
  int U = 0;
  while (std::abs(V) >= 1000.0 && U < 6) {
    V /= 1000.0;
    ++U;
  }
  std::string S;
  llvm::raw_string_ostream OS(S);
  if (U == 0)
    OS << llvm::format("%.0f", V);
  else
    OS << llvm::format(std::abs(V) >= 100 ? "%.1f" : "%.2f", V) << Units[U];
  return OS.str();
}

namespace {
/// A formula is shown only when it does not hide an unknown dim.
std::string exprText(SymContext &S, Expr E) {
  if (!E || S.dependsOnFresh(E))
    return "";
  return E.str();
}
} // namespace

Report buildReport(Analysis &A, const Convention *Conv) {
  AnalysisManager &AM = A.manager();
  const Model &M = AM.model();
  const Graph &G = M.Main;
  SymContext &S = AM.sym();
  const ShapeInfo &SI = AM.get<ShapeInference>();
  const MacCounts &MC = AM.get<MacCount>();
  const WeightInfo &WI = AM.get<Weights>();
  Report R;
  R.Path = M.Path;
  R.Producer = M.ProducerName + (M.ProducerVersion.empty() ? "" : " " + M.ProducerVersion);
  for (const auto &E : M.Opsets)
    R.Opsets.emplace_back(E.first().empty() ? "ai.onnx" : E.first().str(), E.second);
  llvm::sort(R.Opsets);
  R.NumNodes = G.Nodes.size();
  for (const auto &E : SI.BoundDims)
    R.Dims.emplace_back(E.first().str(), E.second);
  llvm::sort(R.Dims);
  R.TotalMacs = MC.Total ? MC.Total.asConst() : std::nullopt;
  R.TotalMacsExpr = exprText(S, MC.Total);
  R.UnknownMacRows = MC.UnknownNodes;
  R.TotalParams = WI.TotalParams;
  R.TotalWeightBytes = WI.TotalBytes;
  R.Rows.reserve(SI.Order.size());
  for (NodeId Id : SI.Order) {
    const Node &N = G.node(Id);
    const NodeCost &C = MC.Nodes[static_cast<size_t>(Id)];
    const NodeWeights &W = WI.Nodes[static_cast<size_t>(Id)];
    LayerRow Row;
    Row.Name = N.Name.empty() ? N.OpType + "_" + std::to_string(Id) : N.Name;
    Row.OpType = N.OpType;
    Row.Domain = N.Domain;
    Row.Class = C.Class;
    for (ValueId Out : N.Outputs) {
      if (Out == kNoValue)
        continue;
      const TensorType &T = SI.Types[static_cast<size_t>(Out)];
      OutputInfo O;
      O.Name = G.value(Out).Name;
      O.Elem = T.Elem;
      if (T.Dims) {
        O.Dims.emplace();
        for (Expr D : *T.Dims)
          O.Dims->push_back(S.dependsOnFresh(D)           ? "?"
                            : D.isConst() || D.isSymbol() ? D.str()
                                                          : D.str());
      }
      Row.Outputs.push_back(std::move(O));
    }
    Row.MacClass = C.MacClass;
    Row.Macs = C.Macs ? C.Macs.asConst() : std::nullopt;
    Row.MacsExpr = exprText(S, C.Macs);
    if (Row.MacClass && Row.Macs && R.TotalMacs && *R.TotalMacs > 0)
      Row.MacShare = static_cast<double>(*Row.Macs) / static_cast<double>(*R.TotalMacs);
    Row.Params = W.Params;
    Row.WeightBytes = W.Bytes;
    Row.SharedParams = W.SharedParams;
    Row.Shared = W.Shared;
    NodeStatus St = SI.Status[static_cast<size_t>(Id)];
    Row.Inferred = St == NodeStatus::Inferred;
    Row.Unnamed = N.Name.empty();
    R.Rows.push_back(std::move(Row));
  }
  for (const Diagnostic &D : M.LoadDiagnostics)
    R.Diags.push_back(D);
  for (const auto *Ds : {&SI.Diags, &MC.Diags, &WI.Diags})
    R.Diags.insert(R.Diags.end(), Ds->begin(), Ds->end());
  if (AM.options().wantsTraffic())
    addTrafficToReport(A, R);
  if (Conv)
    addConventionOps(R, A, *Conv);
  return R;
}

void addConventionOps(Report &R, Analysis &A, const Convention &C) {
  AnalysisManager &AM = A.manager();
  SymContext &S = AM.sym();
  const ShapeInfo &SI = AM.get<ShapeInference>();
  ConventionCounts CC = countOps(AM, C);
  R.Convention = C.Name;
  if (R.Cond) // Traffic and roofline figures count MACs; the ops convention is stated beside them.
    R.Cond->Convention += "; ops under convention '" + C.Name + "'";
  R.ConventionMeaning = C.Meaning;
  R.ConventionSource = C.Source;
  R.TotalOps = CC.Total ? CC.Total.asConst() : std::nullopt;
  R.TotalOpsExpr = exprText(S, CC.Total);
  R.UnknownOpsRows = CC.UnknownNodes;
  // Rows were built in topological order, one per node.
  for (size_t I = 0; I < SI.Order.size() && I < R.Rows.size(); ++I) {
    Expr E = CC.Nodes[static_cast<size_t>(SI.Order[I])];
    R.Rows[I].Ops = E ? E.asConst() : std::nullopt;
    R.Rows[I].OpsExpr = exprText(S, E);
  }
  if (C.SplitPrecision)
    for (const auto &[P, E] : CC.ByPrecision)
      R.OpsByPrecision.emplace_back(P, E ? E.str() : "?");
  R.Diags.insert(R.Diags.end(), CC.Diags.begin(), CC.Diags.end());
}

llvm::ArrayRef<FormatInfo> formats() {
  static const FormatInfo Table[] = {
      {"table", "aligned per-layer table with totals, for a terminal", writeTable},
      {"json", "machine-readable report, schema version 1", writeJson},
      {"csv", "per-layer rows as RFC 4180 CSV, for spreadsheets", writeCsv,
       /*EmbedsGraph=*/false, /*UsesView=*/true},
      {"md", "per-layer Markdown table with totals, for issues and docs", writeMarkdown,
       /*EmbedsGraph=*/false, /*UsesView=*/true},
      {"html", "one self-contained HTML page: cards, sortable table, charts, graph", writeHtml,
       /*EmbedsGraph=*/true, /*UsesView=*/true},
      {"netron", "Netron metrics attachment (JSON): per-node MACs and bytes in Netron",
       writeNetron},
  };
  return Table;
}

const FormatInfo *findFormat(llvm::StringRef Name) {
  for (const FormatInfo &F : formats())
    if (F.Name == Name)
      return &F;
  return nullptr;
}

} // namespace opaudit
