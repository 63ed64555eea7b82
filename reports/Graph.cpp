// Builds the graph picture (hide, fold repeats, fold deep scopes, annotate)
// and renders DOT through libgvc in-process.
#include "reports/Graph.h"
#include "passes/MacCount.h"
#include "passes/ShapeInference.h"
#include "passes/Weights.h"
#include "reports/Presentation.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <cmath>
#include <mutex>
#include <set>

namespace opaudit {

std::optional<ColorBy> colorByFromName(llvm::StringRef S) {
  if (S == "macs")
    return ColorBy::Macs;
  if (S == "weights")
    return ColorBy::Weights;
  if (S == "intensity")
    return ColorBy::Intensity;
  return std::nullopt;
}

namespace {

std::vector<std::string> scopePath(llvm::StringRef Name) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Name.split(Parts, '/', -1, /*KeepEmpty=*/false);
  std::vector<std::string> R;
  // Only exporter-style names ("/a/b/Op") carry scopes; the last part is the node.
  if (!Name.startswith("/") || Parts.size() < 2)
    return R;
  for (size_t I = 0; I + 1 < Parts.size(); ++I)
    R.push_back(Parts[I].str());
  return R;
}

std::string joinPath(llvm::ArrayRef<std::string> P, size_t N) {
  std::string S;
  for (size_t I = 0; I < N && I < P.size(); ++I)
    S += "/" + P[I];
  return S;
}

/// Bytes of a tensor whose dims are all known; 0 otherwise (only used for colour).
double tensorBytes(const TensorType &T) {
  if (!T.Dims)
    return 0;
  double E = 1;
  for (Expr D : *T.Dims) {
    auto C = D ? D.asConst() : std::nullopt;
    if (!C)
      return 0;
    E *= static_cast<double>(*C);
  }
  return E * dtypeBits(T.Elem) / 8.0;
}

/// Ops whose result describes a tensor's shape, not its contents.
bool isShapeOp(llvm::StringRef Op) { return Op == "Shape" || Op == "Size"; }

/// A node of the scope tree used to find repeated blocks.
struct ScopeNode {
  std::vector<std::string> Path;
  std::vector<NodeId> Members; ///< Visible nodes anywhere below, topological order.
  std::vector<size_t> Children;
  llvm::StringMap<size_t> ChildIndex;
};
} // namespace

PictureGraph buildPicture(AnalysisManager &AM, const Report &R, const GraphOptions &O) {
  const Graph &G = AM.model().Main;
  const ShapeInfo &SI = AM.get<ShapeInference>();
  const MacCounts &MC = AM.get<MacCount>();
  PictureGraph P;
  P.Name = llvm::sys::path::filename(R.Path).str();
  P.ModelNodes = G.Nodes.size();
  size_t NN = G.Nodes.size();

  // Row of each main-graph node in the report.
  std::vector<const LayerRow *> RowOf(NN, nullptr);
  for (const LayerRow &Row : R.Rows)
    if (!Row.Depth && Row.Node != kNoNode && static_cast<size_t>(Row.Node) < NN)
      RowOf[static_cast<size_t>(Row.Node)] = &Row;

  // 1. Hide what does not compute on data: a node is drawn when some input
  //    carries data from a graph input; Shape/Size outputs carry no data.
  std::vector<char> DataVal(G.Values.size(), 0), Visible(NN, 0);
  for (ValueId V : G.Inputs)
    if (G.value(V).Initializer < 0)
      DataVal[static_cast<size_t>(V)] = 1;
  for (NodeId Id : SI.Order) {
    const Node &N = G.node(Id);
    bool Data = false;
    for (ValueId In : N.Inputs)
      Data |= In != kNoValue && DataVal[static_cast<size_t>(In)];
    Visible[static_cast<size_t>(Id)] = O.ShowConstants || (Data && !isShapeOp(N.OpType));
    if (Data && !isShapeOp(N.OpType))
      for (ValueId Out : N.Outputs)
        if (Out != kNoValue)
          DataVal[static_cast<size_t>(Out)] = 1;
  }
  if (llvm::none_of(Visible, [](char C) { return C; })) // No data inputs at all: draw everything.
    std::fill(Visible.begin(), Visible.end(), 1);
  std::vector<NodeId> Order;
  for (NodeId Id : SI.Order)
    if (Visible[static_cast<size_t>(Id)])
      Order.push_back(Id);
  P.HiddenNodes = NN - Order.size();

  std::vector<std::vector<std::string>> Scope(NN);
  for (NodeId Id : Order)
    Scope[static_cast<size_t>(Id)] = scopePath(G.node(Id).Name);

  // 2. Repeats. Sibling scopes whose nodes match one for one (relative scope,
  //    op type, output shape) and that follow each other are drawn once; every
  //    node of a later copy maps to its twin in the first copy.
  std::vector<NodeId> Rep(NN);
  for (size_t I = 0; I < NN; ++I)
    Rep[I] = static_cast<NodeId>(I);
  // (run, copy) of every repeat a node belongs to, outermost first.
  std::vector<llvm::SmallVector<std::pair<int, int>, 2>> Copies(NN);
  if (O.CollapseRepeats) {
    std::vector<ScopeNode> Tree(1);
    for (NodeId Id : Order) {
      size_t S = 0;
      Tree[0].Members.push_back(Id);
      const auto &Path = Scope[static_cast<size_t>(Id)];
      for (size_t D = 0; D < Path.size(); ++D) {
        auto [It, New] = Tree[S].ChildIndex.try_emplace(Path[D], Tree.size());
        size_t C = It->second;
        if (New) {
          Tree.emplace_back();
          Tree.back().Path.assign(Path.begin(), Path.begin() + D + 1);
          Tree[S].Children.push_back(C);
        }
        S = C;
        Tree[S].Members.push_back(Id);
      }
    }
    auto Signature = [&](const ScopeNode &S) {
      std::string Sig;
      for (NodeId Id : S.Members) {
        const auto &Path = Scope[static_cast<size_t>(Id)];
        for (size_t D = S.Path.size(); D < Path.size(); ++D)
          Sig += Path[D] + "/";
        Sig += G.node(Id).OpType + ":";
        if (const LayerRow *L = RowOf[static_cast<size_t>(Id)])
          Sig += shapeText(*L);
        Sig += ";";
      }
      return Sig;
    };
    auto Feeds = [&](const ScopeNode &From, const ScopeNode &To) {
      llvm::DenseSet<NodeId> In(From.Members.begin(), From.Members.end());
      for (NodeId Id : To.Members)
        for (ValueId V : G.node(Id).Inputs)
          if (V != kNoValue && In.count(G.value(V).Producer))
            return true;
      return false;
    };
    int Runs = 0;
    std::function<void(size_t)> Fold = [&](size_t S) {
      const auto &Kids = Tree[S].Children;
      std::vector<std::string> Sigs;
      for (size_t C : Kids)
        Sigs.push_back(Signature(Tree[C]));
      for (size_t I = 0; I < Kids.size();) {
        size_t J = I + 1;
        // Only a chain folds: each copy reads what the previous one wrote.
        // Parallel twins (the query, key and value projections) stay apart.
        while (J < Kids.size() && Sigs[J] == Sigs[I] && Feeds(Tree[Kids[J - 1]], Tree[Kids[J]]))
          ++J;
        if (J - I >= 2) {
          const ScopeNode &First = Tree[Kids[I]];
          P.Repeats[joinPath(First.Path, First.Path.size())] = J - I;
          int Run = Runs++;
          for (size_t K = I; K < J; ++K) {
            const ScopeNode &Copy = Tree[Kids[K]];
            for (size_t M = 0; M < Copy.Members.size(); ++M) {
              size_t Id = static_cast<size_t>(Copy.Members[M]);
              Copies[Id].emplace_back(Run, static_cast<int>(K - I));
              Rep[Id] = First.Members[M];
            }
          }
        }
        Fold(Kids[I]); // Nested repeats inside the drawn copy.
        I = J;
      }
    };
    Fold(0);
    // A nested run inside a first copy moves its members again: follow the chain.
    for (size_t I = 0; I < NN; ++I)
      while (Rep[static_cast<size_t>(Rep[I])] != Rep[I])
        Rep[I] = Rep[static_cast<size_t>(Rep[I])];
  }

  // 3. Boxes: one per drawn node, or one per scope folded by --collapse-depth.
  std::vector<int> Box(NN, -1);
  llvm::StringMap<size_t> ScopeBox;
  std::vector<std::vector<NodeId>> BoxMembers;
  std::vector<std::string> BoxScope; // Non-empty for a folded scope.
  for (NodeId Id : Order) {
    if (Rep[static_cast<size_t>(Id)] != Id)
      continue;
    const auto &Path = Scope[static_cast<size_t>(Id)];
    if (O.CollapseDepth > 0 && Path.size() >= static_cast<size_t>(O.CollapseDepth)) {
      std::string Key = joinPath(Path, static_cast<size_t>(O.CollapseDepth));
      auto [It, New] = ScopeBox.try_emplace(Key, BoxMembers.size());
      if (New) {
        BoxMembers.emplace_back();
        BoxScope.push_back(Key);
      }
      Box[static_cast<size_t>(Id)] = static_cast<int>(It->second);
      BoxMembers[It->second].push_back(Id);
    } else {
      Box[static_cast<size_t>(Id)] = static_cast<int>(BoxMembers.size());
      BoxMembers.push_back({Id});
      BoxScope.emplace_back();
    }
  }
  for (NodeId Id : Order)
    if (Rep[static_cast<size_t>(Id)] != Id)
      Box[static_cast<size_t>(Id)] = Box[static_cast<size_t>(Rep[static_cast<size_t>(Id)])];

  // 4. Annotate. Shares are of the model's total; a repeated block shows one copy.
  std::optional<int64_t> Total = MC.Total ? MC.Total.asConst() : std::nullopt;
  std::vector<double> Metric(BoxMembers.size(), 0);
  for (size_t B = 0; B < BoxMembers.size(); ++B) {
    PictureNode PN;
    int64_t Macs = 0, Weights = 0;
    bool UnknownMacs = false, MacClass = false;
    double Bytes = 0;
    for (NodeId Id : BoxMembers[B]) {
      const LayerRow *L = RowOf[static_cast<size_t>(Id)];
      if (!L)
        continue;
      if (L->MacClass) {
        MacClass = true;
        if (!L->Macs || __builtin_add_overflow(Macs, *L->Macs, &Macs))
          UnknownMacs = true;
      }
      Weights += L->WeightBytes;
      const Node &N = G.node(Id);
      Bytes += static_cast<double>(L->WeightBytes);
      for (ValueId V : N.Outputs)
        if (V != kNoValue)
          Bytes += tensorBytes(SI.Types[static_cast<size_t>(V)]);
      for (ValueId V : N.Inputs)
        if (V != kNoValue && G.value(V).Initializer < 0 && !G.storedTensor(V))
          Bytes += tensorBytes(SI.Types[static_cast<size_t>(V)]);
    }
    const Node &First = G.node(BoxMembers[B].front());
    const LayerRow *FirstRow = RowOf[static_cast<size_t>(BoxMembers[B].front())];
    if (BoxScope[B].empty()) {
      PN.Title = First.Domain.empty() ? First.OpType : First.Domain + "::" + First.OpType;
      PN.Tooltip = FirstRow ? FirstRow->Name : First.Name;
      PN.Cluster = Scope[static_cast<size_t>(BoxMembers[B].front())];
      if (FirstRow)
        PN.Lines.push_back(shapeText(*FirstRow));
    } else {
      llvm::StringRef S = BoxScope[B];
      PN.Title = S.rsplit('/').second.str();
      PN.Tooltip = BoxScope[B];
      PN.Cluster = scopePath(BoxScope[B] + "/x");
      PN.Cluster.pop_back();
      PN.Members = BoxMembers[B].size();
      PN.Lines.push_back(std::to_string(PN.Members) + " ops");
    }
    PN.MacClass = MacClass;
    if (MacClass) {
      // One node with a symbolic count shows its formula rather than "?".
      std::string Unknown = BoxMembers[B].size() == 1 && FirstRow && !FirstRow->MacsExpr.empty()
                                ? FirstRow->MacsExpr
                                : "?";
      std::string M = (UnknownMacs ? Unknown : humanCount(static_cast<double>(Macs))) + " MACs";
      if (!UnknownMacs && Total && *Total > 0)
        M += llvm::formatv(" ({0:f1}%)",
                           100.0 * static_cast<double>(Macs) / static_cast<double>(*Total))
                 .str();
      PN.Lines.push_back(M);
    }
    if (Weights)
      PN.Lines.push_back("W " + humanBytes(Weights));
    switch (O.Color) {
    case ColorBy::Macs:
      Metric[B] = UnknownMacs ? 0 : static_cast<double>(Macs);
      break;
    case ColorBy::Weights:
      Metric[B] = static_cast<double>(Weights);
      break;
    case ColorBy::Intensity:
      Metric[B] = Bytes > 0 && !UnknownMacs ? static_cast<double>(Macs) / Bytes : 0;
      break;
    }
    P.Nodes.push_back(std::move(PN));
  }
  // Log scale: MACs per layer span five orders of magnitude.
  double Max = 0;
  for (double M : Metric)
    Max = std::max(Max, std::log1p(M));
  for (size_t B = 0; B < Metric.size(); ++B)
    P.Nodes[B].Heat = Max > 0 ? std::log1p(Metric[B]) / Max : 0;

  // 5. Edges between boxes. An edge between two copies of one repeat (layer
  //    i -> layer i+1) has no place in a picture that draws one copy.
  std::set<std::pair<size_t, size_t>> Seen;
  for (NodeId Id : Order) {
    size_t V = static_cast<size_t>(Id);
    for (ValueId In : G.node(Id).Inputs) {
      if (In == kNoValue)
        continue;
      NodeId Prod = G.value(In).Producer;
      if (Prod == kNoNode || !Visible[static_cast<size_t>(Prod)])
        continue;
      size_t U = static_cast<size_t>(Prod);
      bool AcrossCopies = llvm::any_of(Copies[U], [&](std::pair<int, int> RU) {
        return llvm::any_of(Copies[V], [&](std::pair<int, int> RV) {
          return RU.first == RV.first && RU.second != RV.second;
        });
      });
      if (AcrossCopies)
        continue;
      size_t A = static_cast<size_t>(Box[U]), B = static_cast<size_t>(Box[V]);
      if (A != B && Seen.emplace(A, B).second)
        P.Edges.emplace_back(A, B);
    }
  }
  for (size_t I = 0; I < NN; ++I)
    if (Visible[I] && Box[I] >= 0 &&
        !(BoxMembers[static_cast<size_t>(Box[I])].size() == 1 &&
          BoxMembers[static_cast<size_t>(Box[I])][0] == static_cast<NodeId>(I)))
      ++P.FoldedNodes;
  return P;
}

std::string DotGraphTraits<PictureGraph>::graphAttributes(const PictureGraph &G) {
  // dot gives the layered top-down picture people expect of a network. Its
  // cost is in crossing minimisation (mclimit) and network simplex ranking
  // and positioning (nslimit), which grow super-linearly; past a few hundred
  // boxes the iteration limits below keep ~5,000 nodes well under a minute
  // (timings in bench/RESULTS.md) while the picture stays readable. Spline
  // routing around clusters is the other big cost, so large pictures use
  // straight lines: on swin_t with every node shown (6,242) that roughly
  // halved the time in our measurements. Clusters are kept: without them dot
  // took more than three times longer on that graph. sfdp would be faster but
  // loses the top-down reading order.
  std::string A = "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=10, nodesep=0.2, "
                  "ranksep=0.3, newrank=true";
  if (G.Nodes.size() > 400)
    A += ", mclimit=0.05, nslimit=2, nslimit1=2, searchsize=10, remincross=false, "
         "splines=line";
  A += "];\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
       "fontsize=9, margin=\"0.08,0.03\", height=0.3];\n  edge [arrowsize=0.5, "
       "color=\"#555555\"];\n";
  return A;
}

std::string DotGraphTraits<PictureGraph>::nodeLabel(const PictureGraph &G, size_t N) {
  const PictureNode &PN = G.Nodes[N];
  std::string L = PN.Title;
  for (const std::string &Line : PN.Lines)
    if (!Line.empty())
      L += "\n" + Line;
  return L;
}

std::string DotGraphTraits<PictureGraph>::nodeAttributes(const PictureGraph &G, size_t N) {
  // White to red through the Graphviz HSV colour space; text turns white on dark fills.
  double H = G.Nodes[N].Heat;
  std::string A = llvm::formatv("fillcolor=\"0.000 {0:f3} 1.000\"", 0.05 + 0.85 * H).str();
  if (G.Nodes[N].Members > 1)
    A += ", shape=box3d";
  return A;
}

std::string DotGraphTraits<PictureGraph>::clusterLabel(const PictureGraph &G,
                                                       llvm::ArrayRef<std::string> Path) {
  auto It = G.Repeats.find(joinPath(Path, Path.size()));
  if (It == G.Repeats.end())
    return Path.back();
  return Path.back() + " \u00d7" + std::to_string(It->second);
}

std::optional<std::string> graphFormatFor(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  if (Ext.equals_insensitive(".svg"))
    return "svg";
  if (Ext.equals_insensitive(".png"))
    return "png";
  if (Ext.equals_insensitive(".dot") || Ext.equals_insensitive(".gv"))
    return "dot";
  return std::nullopt;
}

llvm::Expected<std::string> renderDot(const std::string &Dot, llvm::StringRef Format) {
  if (Format == "dot")
    return Dot;
  if (Format != "svg" && Format != "png")
    return makeError(ErrorCategory::Usage, "unknown picture format '" + Format + "'");
  // libgvc keeps global state (the error level, plugin tables): one render at a time.
  static std::mutex Lock;
  std::lock_guard<std::mutex> Guard(Lock);
  agseterr(AGERR); // Layout warnings are not the user's business.
  // One context for the whole process, never freed: graphviz 2.42's pango
  // plugin caches a pointer to the last font it sized, and that font lives in
  // the context's font dictionary. Freeing the context between renders made the
  // next render read freed memory (ASan: heap-use-after-free in the pango
  // plugin on the second picture of a process). Reusing it also skips reloading
  // the plugin tables on every render.
  static GVC_t *Gvc = gvContext();
  Agraph_t *Gr = agmemread(Dot.c_str());
  if (!Gr) {
    return makeError(ErrorCategory::Internal, "graphviz could not read the generated DOT");
  }
  std::string Out;
  bool Ok = gvLayout(Gvc, Gr, "dot") == 0;
  if (Ok) {
    char *Buf = nullptr;
    unsigned int Len = 0;
    Ok = gvRenderData(Gvc, Gr, Format.str().c_str(), &Buf, &Len) == 0;
    if (Ok && Buf)
      Out.assign(Buf, Len);
    gvFreeRenderData(Buf);
    gvFreeLayout(Gvc, Gr);
  }
  agclose(Gr);
  if (!Ok)
    return makeError(ErrorCategory::Internal,
                     "graphviz failed to lay out or render the picture as " + Format);
  return Out;
}

llvm::Expected<std::string> drawModel(Analysis &A, const Report &R, const GraphOptions &GOpts,
                                      llvm::StringRef Format) {
  PictureGraph P = buildPicture(A.manager(), R, GOpts);
  std::string Dot;
  llvm::raw_string_ostream OS(Dot);
  emitDot(P, OS);
  OS.flush();
  return renderDot(Dot, Format);
}

} // namespace opaudit
