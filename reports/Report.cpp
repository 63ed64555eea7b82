// Builds the presentation model from the shape, MAC and weight analyses, and
// holds the format registry.
#include "reports/Report.h"
#include "passes/Conventions.h"
#include "passes/Weights.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>

namespace opaudit {

llvm::ArrayRef<llvm::StringRef> ReportText::internDims(llvm::ArrayRef<std::string> Dims) {
  std::string Key;
  for (const std::string &D : Dims)
    (Key += D) += '\0'; // No dim's text holds a NUL.
  auto [It, New] = Shapes.try_emplace(Key);
  if (New) {
    llvm::MutableArrayRef<llvm::StringRef> A = allocate<llvm::StringRef>(Dims.size());
    for (size_t I = 0; I < Dims.size(); ++I)
      A[I] = intern(Dims[I]);
    It->second = A;
  }
  return It->second;
}

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

std::string coverageText(const Report &R) {
  if (R.Uncounted.empty())
    return "every operator counted";
  std::string S = "not counted: ";
  for (size_t I = 0; I < R.Uncounted.size(); ++I) {
    const Report::Gap &G = R.Uncounted[I];
    S += (I ? "; " : "") + G.OpType + " (" + std::to_string(G.Nodes) + " node" +
         (G.Nodes == 1 ? "" : "s");
    if (G.VolumeShare)
      S += llvm::formatv(", {0:f1}% of tensor volume", *G.VolumeShare * 100).str();
    S += ")";
  }
  return S + "; the MAC total is a lower bound";
}

void appendDiags(Report &R, llvm::ArrayRef<Diagnostic> Ds, llvm::StringRef Pass) {
  for (Diagnostic D : Ds) {
    if (D.Code.empty())
      D.Code = Pass.str();
    R.Diags.push_back(std::move(D));
  }
}

std::string inputText(const ReportInput &In) {
  std::string S = In.Name + ": " + dtypeName(In.Elem).str() + " ";
  if (!In.Dims)
    S += "[?]";
  else {
    S += "[";
    for (size_t I = 0; I < In.Dims->size(); ++I)
      S += (I ? ", " : "") + (*In.Dims)[I];
    S += "]";
  }
  std::string Sym;
  for (size_t I = 0; I < In.Symbols.size(); ++I) {
    if (In.Symbols[I].empty())
      continue;
    bool Bound = In.Dims && I < In.Dims->size() && (*In.Dims)[I] != In.Symbols[I];
    Sym += (Sym.empty() ? "" : ", ") + In.Symbols[I] + (Bound ? "=" + (*In.Dims)[I] : "");
  }
  if (!Sym.empty())
    S += " (symbolic: " + Sym + ")";
  return S;
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
  R.GraphName = G.Name;
  for (ValueId V : G.Inputs) {
    const Value &Val = G.value(V);
    if (Val.Initializer >= 0)
      continue;
    const TensorType &T = SI.Types[static_cast<size_t>(V)];
    ReportInput In;
    In.Name = Val.Name;
    In.Elem = T.Elem;
    if (T.Dims) {
      In.Dims.emplace();
      for (Expr D : *T.Dims)
        In.Dims->push_back(S.dependsOnFresh(D) ? "?" : D.str());
    }
    if (Val.Declared && Val.Declared->HasShape)
      for (const DeclaredDim &D : Val.Declared->Dims)
        In.Symbols.push_back(D.Param);
    R.Inputs.push_back(std::move(In));
  }
  for (const auto &E : SI.BoundDims)
    R.Dims.emplace_back(E.first().str(), E.second);
  llvm::sort(R.Dims);
  R.TotalMacs = MC.Total ? MC.Total.asConst() : std::nullopt;
  R.TotalMacsExpr = exprText(S, MC.Total);
  R.UnknownMacRows = MC.UnknownNodes;
  if (MC.Total != MC.Min || MC.Total != MC.Max) {
    R.TotalMacsMin = MC.Min ? MC.Min.asConst() : std::nullopt;
    R.TotalMacsMax = MC.Max ? MC.Max.asConst() : std::nullopt;
    R.TotalMacsMinExpr = exprText(S, MC.Min);
    R.TotalMacsMaxExpr = exprText(S, MC.Max);
  }
  if (!MC.Total && MC.Known) {
    R.TotalMacsKnown = MC.Known.asConst();
    R.TotalMacsKnownExpr = exprText(S, MC.Known);
  }
  R.TotalParams = WI.TotalParams;
  R.TotalWeightBytes = WI.TotalBytes;
  for (const UncountedNode &U : MC.Uncounted) {
    std::string Op = U.Domain.empty() ? U.OpType : U.Domain + "::" + U.OpType;
    auto It = llvm::find_if(R.Uncounted, [&](const Report::Gap &G) { return G.OpType == Op; });
    if (It == R.Uncounted.end()) {
      R.Uncounted.push_back({Op, 0, 0.0, {}});
      It = R.Uncounted.end() - 1;
    }
    ++It->Nodes;
    It->Labels.push_back(U.Path.empty() ? U.Label : U.Path + ": " + U.Label);
    auto V = MC.TensorVolume ? MC.TensorVolume.asConst() : std::nullopt;
    auto E = U.OutputElements ? U.OutputElements.asConst() : std::nullopt;
    if (It->VolumeShare && V && E && *V > 0)
      *It->VolumeShare += static_cast<double>(*E) / static_cast<double>(*V);
    else
      It->VolumeShare.reset();
  }
  R.Rows.reserve(SI.Order.size());
  // Subgraph costs by (enclosing graph index, node): their rows follow the node's.
  std::map<std::pair<size_t, NodeId>, llvm::SmallVector<size_t, 2>> Children;
  for (size_t K = 0; K < MC.Subgraphs.size(); ++K)
    Children[{MC.Subgraphs[K].ParentGraph, MC.Subgraphs[K].ParentNode}].push_back(K + 1);
  ReportText &Text = *R.Text;
  std::vector<std::string> Dims; // One output's dims as text, reused.
  auto addRows = [&](auto &Self, const Graph &G, const ShapeInfo &GSI,
                     const std::vector<NodeCost> &Costs, const NodeWeights *W, size_t GIdx,
                     const GraphCost *GC, unsigned Depth) -> void {
    for (NodeId Id : GSI.Order) {
      const Node &N = G.node(Id);
      const NodeCost &C = Costs[static_cast<size_t>(Id)];
      LayerRow Row;
      Row.Name = Text.save(nodeName(G, N));
      Row.Node = Id;
      Row.Unnamed = N.Name.empty();
      Row.OpType = Text.intern(N.OpType);
      Row.Domain = Text.intern(N.Domain);
      Row.Class = C.Class;
      Row.Counted = C.Counted;
      if (GC) {
        Row.Graph = Text.intern(GC->Path);
        Row.Depth = Depth;
        Row.RoleKind = GC->Role;
      }
      llvm::MutableArrayRef<OutputInfo> Outs = Text.allocate<OutputInfo>(
          llvm::count_if(N.Outputs, [](ValueId V) { return V != kNoValue; }));
      size_t K = 0;
      for (ValueId Out : N.Outputs) {
        if (Out == kNoValue)
          continue;
        const TensorType &T = GSI.Types[static_cast<size_t>(Out)];
        OutputInfo &O = Outs[K++];
        O.Name = Text.save(G.value(Out).Name);
        O.Elem = T.Elem;
        if (T.Dims) {
          Dims.clear();
          for (Expr D : *T.Dims)
            Dims.push_back(S.dependsOnFresh(D) ? "?" : D.str());
          O.Dims = Text.internDims(Dims);
        }
      }
      Row.Outputs = Outs;
      Row.MacClass = C.MacClass;
      Row.Macs = C.Macs ? C.Macs.asConst() : std::nullopt;
      Row.MacsExpr = Text.intern(exprText(S, C.Macs));
      if (C.Macs != C.MacsMin || C.Macs != C.MacsMax) {
        MacRange &B = Row.Range.emplace();
        B.Min = C.MacsMin ? C.MacsMin.asConst() : std::nullopt;
        B.Max = C.MacsMax ? C.MacsMax.asConst() : std::nullopt;
        B.MinExpr = exprText(S, C.MacsMin);
        B.MaxExpr = exprText(S, C.MacsMax);
      }
      if (W) {
        const NodeWeights &NW = W[static_cast<size_t>(Id)];
        Row.Params = NW.Params;
        Row.WeightBytes = NW.Bytes;
        Row.SharedParams = NW.SharedParams;
        Row.Shared = NW.Shared;
      }
      Row.Inferred = GSI.status(Id) == NodeStatus::Inferred;
      R.Rows.push_back(std::move(Row));
      if (GC)
        ++R.SubgraphRows;
      auto It = Children.find({GIdx, Id});
      if (It == Children.end())
        continue;
      for (size_t K : It->second) {
        const GraphCost &Sub = MC.Subgraphs[K - 1];
        const NodeWeights *SW = WI.weightsOf(Sub.G);
        Self(Self, *Sub.G, *Sub.SI, Sub.Nodes, SW, K, &Sub, Depth + 1);
      }
    }
  };
  addRows(addRows, G, SI, MC.Nodes, WI.Nodes.data(), 0, nullptr, 0);
  appendDiags(R, M.LoadDiagnostics, "load");
  appendDiags(R, SI.Diags, "shapes");
  appendDiags(R, MC.Diags, "macs");
  appendDiags(R, WI.Diags, "weights");
  if (AM.options().wantsTraffic())
    addTrafficToReport(A, R);
  if (Conv)
    addConventionOps(R, A, *Conv);
  return R;
}

void addConventionOps(Report &R, Analysis &A, const Convention &C) {
  AnalysisManager &AM = A.manager();
  SymContext &S = AM.sym();
  ConventionCounts CC = countOps(AM, C);
  R.Convention = C.Name;
  if (R.Cond) // Traffic and roofline figures count MACs; the ops convention is stated beside them.
    R.Cond->Convention += "; ops under convention '" + C.Name + "'";
  R.ConventionMeaning = C.Meaning;
  R.ConventionSource = C.Source;
  R.TotalOps = CC.Total ? CC.Total.asConst() : std::nullopt;
  R.TotalOpsExpr = exprText(S, CC.Total);
  R.UnknownOpsRows = CC.UnknownNodes;
  // Conventions count the main graph; a control-flow row carries its subgraphs' ops.
  for (LayerRow &Row : R.Rows) {
    if (Row.Depth || Row.Node == kNoNode)
      continue;
    Expr E = CC.Nodes[static_cast<size_t>(Row.Node)];
    Row.Conv =
        LayerRow::ConventionOps{E ? E.asConst() : std::nullopt, R.Text->intern(exprText(S, E))};
  }
  if (C.SplitPrecision)
    for (const auto &[P, E] : CC.ByPrecision)
      R.OpsByPrecision.emplace_back(P, E ? E.str() : "?");
  appendDiags(R, CC.Diags, "conventions");
}

llvm::ArrayRef<FormatInfo> formats() {
  static const FormatInfo Table[] = {
      {"table", "aligned per-layer table with totals, for a terminal", writeTable,
       /*EmbedsGraph=*/false, /*UsesView=*/true},
      {"json", "machine-readable report, schema version 1", writeJson, /*EmbedsGraph=*/false,
       /*UsesView=*/true},
      {"csv", "per-layer rows as RFC 4180 CSV, for spreadsheets", writeCsv,
       /*EmbedsGraph=*/false, /*UsesView=*/true},
      {"md", "per-layer Markdown table with totals, for issues and docs", writeMarkdown,
       /*EmbedsGraph=*/false, /*UsesView=*/true},
      {"html", "one self-contained HTML page: cards, sortable table, charts, graph", writeHtml,
       /*EmbedsGraph=*/true, /*UsesView=*/true},
      {"netron", "Netron metrics attachment (JSON): per-node MACs and bytes in Netron", writeNetron,
       /*EmbedsGraph=*/false, /*UsesView=*/true},
      {"model-explorer",
       "Google Model Explorer node data (JSON), one metric per file: MACs; with -o FILE also "
       "FILE.<metric>.json for bytes, ops, bound and time",
       writeModelExplorer, /*EmbedsGraph=*/false, /*UsesView=*/true},
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
