// Builds the graph picture (hide, fold repeats, fold deep scopes, annotate)
// and renders DOT through libgvc in-process.
#include "reports/Graph.h"
#include "passes/MacCount.h"
#include "passes/ShapeInference.h"
#include "passes/Weights.h"
#include "reports/Escape.h"
#include "reports/Presentation.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>
#include <set>

namespace opaudit {

std::optional<ColorBy> colorByFromName(llvm::StringRef S) {
  return llvm::StringSwitch<std::optional<ColorBy>>(S)
      .Case("macs", ColorBy::Macs)
      .Case("params", ColorBy::Params)
      .Case("weights", ColorBy::Weights)
      .Case("bytes", ColorBy::Bytes)
      .Case("intensity", ColorBy::Intensity)
      .Case("bound", ColorBy::Bound)
      .Case("time", ColorBy::Time)
      .Default(std::nullopt);
}

std::optional<ColorScale> colorScaleFromName(llvm::StringRef S) {
  return llvm::StringSwitch<std::optional<ColorScale>>(S)
      .Case("linear", ColorScale::Linear)
      .Case("log", ColorScale::Log)
      .Case("quantile", ColorScale::Quantile)
      .Default(std::nullopt);
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

/// Bytes of a tensor whose dims are all known (only used for colour).
std::optional<double> tensorBytes(const TensorType &T) {
  if (!T.Dims)
    return std::nullopt;
  double E = 1;
  for (Expr D : *T.Dims) {
    auto C = D ? D.asConst() : std::nullopt;
    if (!C)
      return std::nullopt;
    E *= static_cast<double>(*C);
  }
  return E * dtypeBits(T.Elem) / 8.0;
}

/// S cut to at most Max characters, the cut marked with an ellipsis.
std::string shorten(llvm::StringRef S, size_t Max) {
  if (S.size() <= Max)
    return S.str();
  return S.take_front(Max - 1).str() + "\u2026";
}

/// The part of a node name worth printing under its op type: the last two
/// components of an exporter name, without a final component that only
/// repeats the op type ("/layer1/layer1.0/conv1/Conv" -> "layer1.0/conv1"),
/// at most 28 characters (the start is cut, the end names the node).
std::string shortName(llvm::StringRef Name, llvm::StringRef OpType) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Name.split(Parts, '/', -1, /*KeepEmpty=*/false);
  if (Parts.size() > 1) {
    llvm::StringRef Last = Parts.back();
    unsigned Suffix;
    if (Last == OpType ||
        (Last.startswith(OpType) && Last.drop_front(OpType.size()).consume_front("_") &&
         !Last.drop_front(OpType.size() + 1).getAsInteger(10, Suffix)))
      Parts.pop_back();
  }
  if (Parts.empty())
    return "";
  std::string S = Parts.back().str();
  if (Parts.size() > 1)
    S = Parts[Parts.size() - 2].str() + "/" + S;
  if (S == OpType)
    return "";
  if (S.size() > 28)
    S = "\u2026" + S.substr(S.size() - 27);
  return S;
}

/// Ops whose result describes a tensor's shape, not its contents.
bool isShapeOp(llvm::StringRef Op) { return Op == "Shape" || Op == "Size"; }

// Fills. A sequential ramp from pale cream to dark red (anchors chosen here,
// evenly spaced), a fixed grey for unknown, and two hues for the bound.
constexpr const char *kUnknownFill = "#d4d4d4";
constexpr const char *kComputeFill = "#8ab6e0";
constexpr const char *kMemoryFill = "#f2a057";

std::string rampColour(double T) {
  static const unsigned Anchors[][3] = {{0xff, 0xf8, 0xe6},
                                        {0xfd, 0xdc, 0x9a},
                                        {0xf7, 0xa2, 0x5c},
                                        {0xdc, 0x50, 0x36},
                                        {0x96, 0x16, 0x16}};
  T = std::clamp(T, 0.0, 1.0) * 4;
  size_t I = std::min<size_t>(static_cast<size_t>(T), 3);
  double F = T - static_cast<double>(I);
  std::string S = "#";
  for (int C = 0; C < 3; ++C)
    S += llvm::formatv("{0:x-2}",
                       static_cast<unsigned>(std::lround(
                           Anchors[I][C] + F * (double(Anchors[I + 1][C]) - Anchors[I][C]))))
             .str();
  return S;
}

llvm::StringRef metricName(ColorBy C) {
  switch (C) {
  case ColorBy::Macs:
    return "MACs";
  case ColorBy::Params:
    return "parameters";
  case ColorBy::Weights:
    return "weight bytes";
  case ColorBy::Bytes:
    return "bytes read and written";
  case ColorBy::Intensity:
    return "MACs per byte read and written";
  case ColorBy::Time:
    return "roofline time";
  case ColorBy::Bound:
    return "roofline bound";
  }
  return "";
}

std::string metricText(ColorBy C, double V) {
  switch (C) {
  case ColorBy::Weights:
  case ColorBy::Bytes:
    return humanBytes(static_cast<int64_t>(std::llround(V)));
  case ColorBy::Intensity:
    return llvm::formatv("{0:g} MAC/B", V).str();
  case ColorBy::Time:
    return secondsText(V);
  default:
    return humanCount(V);
  }
}

/// Heat and fill of every box under O's metric and scale, and the legend.
/// Scale bounds are the smallest and largest positive values drawn, so the
/// ramp is used end to end whatever the metric's range.
void colourBoxes(PictureGraph &P, const GraphOptions &O) {
  static const char *ScaleNames[] = {"linear", "log", "quantile"};
  bool AnyUnknown = false, AnyZero = false;
  std::vector<double> Pos;
  for (const PictureNode &N : P.Nodes) {
    AnyUnknown |= N.Unknown;
    if (!N.Unknown && N.Metric > 0)
      Pos.push_back(N.Metric);
    else if (!N.Unknown)
      AnyZero = true;
  }
  llvm::sort(Pos);
  double Lo = Pos.empty() ? 0 : Pos.front(), Hi = Pos.empty() ? 0 : Pos.back();
  auto HeatOf = [&](double V) {
    if (V <= 0 || Hi <= 0)
      return 0.0;
    switch (O.Scale) {
    case ColorScale::Linear:
      return V / Hi;
    case ColorScale::Log:
      return Hi > Lo ? 0.1 + 0.9 * (std::log(V) - std::log(Lo)) / (std::log(Hi) - std::log(Lo))
                     : 1.0;
    case ColorScale::Quantile: {
      // Share of the drawn positive values at or below V.
      double Below = static_cast<double>(std::upper_bound(Pos.begin(), Pos.end(), V) - Pos.begin());
      return Below / static_cast<double>(Pos.size());
    }
    }
    return 0.0;
  };
  // The value drawn at heat T (inverse of HeatOf), for the legend's stops.
  auto ValueAt = [&](double T) {
    switch (O.Scale) {
    case ColorScale::Linear:
      return T * Hi;
    case ColorScale::Log:
      return std::exp(std::log(Lo) + (T - 0.1) / 0.9 * (std::log(Hi) - std::log(Lo)));
    case ColorScale::Quantile:
      return Pos[std::min(Pos.size() - 1, static_cast<size_t>(std::ceil(T * Pos.size())) - 1)];
    }
    return 0.0;
  };
  bool Bound = O.Color == ColorBy::Bound;
  for (PictureNode &N : P.Nodes) {
    N.Heat = N.Unknown || Bound ? 0 : HeatOf(N.Metric);
    N.Fill = N.Unknown ? kUnknownFill
             : Bound   ? (N.Metric > 0   ? kMemoryFill
                          : N.Metric < 0 ? "#ffffff"
                                         : kComputeFill)
                       : rampColour(N.Heat);
  }
  P.Legend.clear();
  if (Bound) {
    P.LegendTitle = "fill: roofline bound";
    P.Legend.push_back({kComputeFill, "compute-bound"});
    P.Legend.push_back({kMemoryFill, "memory-bound"});
    if (llvm::any_of(P.Nodes, [](const PictureNode &N) { return !N.Unknown && N.Metric < 0; }))
      P.Legend.push_back({"#ffffff", "no time"});
  } else {
    P.LegendTitle =
        ("fill: " + metricName(O.Color) + " per box, " + ScaleNames[int(O.Scale)] + " scale").str();
    if (AnyZero)
      P.Legend.push_back({rampColour(0), O.Color == ColorBy::Macs ? "no MACs" : "0"});
    if (!Pos.empty()) {
      double Stops[] = {O.Scale == ColorScale::Log ? 0.1 : 0.25, 0.5, 0.75, 1.0};
      if (O.Scale == ColorScale::Log)
        Stops[1] = 0.4, Stops[2] = 0.7;
      std::string Prev;
      for (double T : Stops) {
        std::string Text = metricText(O.Color, ValueAt(T));
        if (O.Scale == ColorScale::Quantile)
          Text = llvm::formatv("{0}%: \u2264 {1}", std::lround(T * 100), Text).str();
        else if (T == 1.0)
          Text = "max " + Text;
        else if (T == Stops[0] && O.Scale == ColorScale::Log)
          Text = "min " + Text;
        if (Text != Prev)
          P.Legend.push_back({rampColour(T), Text});
        Prev = Text;
      }
    }
  }
  if (AnyUnknown)
    P.Legend.push_back({kUnknownFill, O.Color == ColorBy::Bound || O.Color == ColorBy::Time
                                          ? "unknown: needs --hw and bound dims (--dim)"
                                          : "unknown: bind dims with --dim"});
}

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
        Sig += G.node(Id).OpType.str() + ":";
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
  SymContext &Sym = AM.sym();
  std::optional<int64_t> Total = MC.Total ? MC.Total.asConst() : std::nullopt;
  for (size_t B = 0; B < BoxMembers.size(); ++B) {
    PictureNode PN;
    Expr Macs = Sym.constant(0);
    int64_t Weights = 0, Params = 0;
    bool MacClass = false, HaveRoof = true;
    std::optional<double> Bytes = 0.0, Seconds = 0.0;
    double ComputeSec = 0, MemorySec = 0;
    for (NodeId Id : BoxMembers[B]) {
      const LayerRow *L = RowOf[static_cast<size_t>(Id)];
      if (!L)
        continue;
      if (L->MacClass) {
        MacClass = true;
        Expr E = MC.Nodes[static_cast<size_t>(Id)].Macs;
        Macs = Macs && E ? Sym.add(Macs, E) : Expr();
      }
      Weights += L->WeightBytes;
      Params += L->Params;
      const Node &N = G.node(Id);
      auto AddBytes = [&](ValueId V) {
        auto T = tensorBytes(SI.Types[static_cast<size_t>(V)]);
        Bytes = Bytes && T ? std::optional<double>(*Bytes + *T) : std::nullopt;
      };
      if (Bytes)
        *Bytes += static_cast<double>(L->WeightBytes);
      for (ValueId V : N.Outputs)
        if (V != kNoValue)
          AddBytes(V);
      for (ValueId V : N.Inputs)
        if (V != kNoValue && G.value(V).Initializer < 0 && !G.storedTensor(V))
          AddBytes(V);
      if (L->Roof && L->Roof->Seconds) {
        *Seconds += *L->Roof->Seconds;
        ComputeSec += L->Roof->ComputeSeconds.value_or(0);
        MemorySec += L->Roof->MemorySeconds.value_or(0);
      } else {
        HaveRoof = false;
      }
    }
    if (!HaveRoof)
      Seconds.reset();
    std::optional<int64_t> MacsValue = Macs ? Macs.asConst() : std::nullopt;
    const Node &First = G.node(BoxMembers[B].front());
    const LayerRow *FirstRow = RowOf[static_cast<size_t>(BoxMembers[B].front())];
    if (BoxScope[B].empty()) {
      PN.Title = First.Domain.empty() ? First.OpType.str()
                                      : First.Domain.str() + "::" + First.OpType.str();
      PN.Tooltip = FirstRow ? FirstRow->Name : First.Name;
      PN.Cluster = Scope[static_cast<size_t>(BoxMembers[B].front())];
      if (!(FirstRow && FirstRow->Unnamed))
        if (std::string S = shortName(PN.Tooltip, First.OpType); !S.empty())
          PN.Lines.push_back(S);
      if (FirstRow)
        PN.Lines.push_back(shapeText(*FirstRow));
    } else {
      llvm::StringRef S = BoxScope[B];
      PN.Title = S.rsplit('/').second.str();
      PN.Tooltip = BoxScope[B];
      PN.Cluster = scopePath(BoxScope[B] + "/x");
      PN.Cluster.pop_back();
      PN.Members = BoxMembers[B].size();
      PN.Lines.push_back(std::to_string(PN.Members) + " nodes");
    }
    PN.MacClass = MacClass;
    if (MacClass) {
      // A symbolic count shows its formula (shortened; whole in the tooltip).
      std::string M;
      if (MacsValue) {
        M = humanCount(static_cast<double>(*MacsValue)) + " MACs";
        if (Total && *Total > 0)
          M += llvm::formatv(" ({0:f1}%)",
                             100.0 * static_cast<double>(*MacsValue) / static_cast<double>(*Total))
                   .str();
      } else if (Macs) {
        std::string F = Macs.str();
        PN.Tooltip += "\nMACs = " + F;
        M = shorten(F, 36) + " MACs";
      } else {
        M = "? MACs";
      }
      PN.Lines.push_back(M);
    }
    if (Weights)
      PN.Lines.push_back("W " + humanBytes(Weights));
    std::optional<double> Metric = 0.0;
    switch (O.Color) {
    case ColorBy::Macs:
      Metric = !MacClass   ? 0.0
               : MacsValue ? std::optional<double>(static_cast<double>(*MacsValue))
                           : std::nullopt;
      break;
    case ColorBy::Params:
      Metric = static_cast<double>(Params);
      break;
    case ColorBy::Weights:
      Metric = static_cast<double>(Weights);
      break;
    case ColorBy::Bytes:
      Metric = Bytes;
      break;
    case ColorBy::Intensity:
      if (!MacClass)
        Metric = 0.0;
      else if (MacsValue && Bytes && *Bytes > 0)
        Metric = static_cast<double>(*MacsValue) / *Bytes;
      else
        Metric.reset();
      break;
    case ColorBy::Time:
      Metric = Seconds;
      break;
    case ColorBy::Bound:
      // -1: the box takes no time at all (a view such as Flatten), neither bound.
      Metric = !Seconds        ? std::nullopt
               : *Seconds <= 0 ? std::optional<double>(-1.0)
                               : std::optional<double>(MemorySec > ComputeSec ? 1.0 : 0.0);
      break;
    }
    if (Seconds && (O.Color == ColorBy::Time || O.Color == ColorBy::Bound))
      PN.Lines.push_back(*Seconds <= 0
                             ? std::string("no time")
                             : (MemorySec > ComputeSec ? "memory-bound, " : "compute-bound, ") +
                                   secondsText(*Seconds));
    PN.Unknown = !Metric;
    PN.Metric = Metric.value_or(0);
    P.Nodes.push_back(std::move(PN));
  }
  colourBoxes(P, O);
  P.LeftToRight = O.LeftToRight;
  // A few pixels under the bound: Graphviz adds its pad around the drawing.
  P.MaxInches = O.MaxPixels > 16 ? (O.MaxPixels - 8) / kGraphDpi : 0;

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
  std::string A = std::string("  graph [rankdir=") + (G.LeftToRight ? "LR" : "TB") +
                  ", fontname=\"Helvetica\", fontsize=10, nodesep=0.2, ranksep=0.3, newrank=true";
  if (G.Nodes.size() > 400)
    A += ", mclimit=0.05, nslimit=2, nslimit1=2, searchsize=10, remincross=false, "
         "splines=line";
  if (G.MaxInches > 0)
    A += llvm::formatv(", size=\"{0:f2},{0:f2}\"", G.MaxInches).str();
  A += "];\n";
  // The legend is the graph's label: a row of swatches above the picture. A
  // label is not a node, so it never takes part in the layout's ranks.
  if (!G.Legend.empty()) {
    A += "  label=<<table border=\"0\" cellspacing=\"3\" cellpadding=\"3\"><tr><td colspan=\"" +
         std::to_string(G.Legend.size()) + "\" align=\"left\">" +
         escapeGraphvizLabel(G.LegendTitle) +
         "; box: op type, name, output shape, MACs (share), W weights; 3-D box: folded nodes" +
         "</td></tr><tr>";
    for (const LegendEntry &E : G.Legend)
      A += "<td bgcolor=\"" + E.Fill + "\" border=\"1\">" + escapeGraphvizLabel(E.Label) + "</td>";
    A += "</tr></table>>;\n  labelloc=t;\n  labeljust=l;\n";
  }
  A += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
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
  const PictureNode &PN = G.Nodes[N];
  if (PN.Connector)
    return "style=\"rounded,filled,dashed\", fillcolor=\"#eeeeee\", fontcolor=\"#444444\"";
  std::string A = "fillcolor=\"" + (PN.Fill.empty() ? std::string("#ffffff") : PN.Fill) + "\"";
  if (PN.Heat > 0.7)
    A += ", fontcolor=white";
  if (PN.Unknown)
    A += ", style=\"rounded,filled,dashed\"";
  if (PN.Members > 1)
    A += ", shape=box3d";
  return A;
}

namespace {
/// The scope path of a cluster inside a wrapped picture's part.
llvm::ArrayRef<std::string> scopeOfCluster(const PictureGraph &G,
                                           llvm::ArrayRef<std::string> Path) {
  return G.Parts > 1 ? Path.drop_front() : Path;
}
} // namespace

std::string DotGraphTraits<PictureGraph>::clusterLabel(const PictureGraph &G,
                                                       llvm::ArrayRef<std::string> Path) {
  llvm::ArrayRef<std::string> S = scopeOfCluster(G, Path);
  if (S.empty())
    return Path.back();
  auto It = G.Repeats.find(joinPath(S, S.size()));
  if (It == G.Repeats.end())
    return Path.back();
  return Path.back() + " \u00d7" + std::to_string(It->second);
}

std::string DotGraphTraits<PictureGraph>::clusterAttributes(const PictureGraph &G,
                                                            llvm::ArrayRef<std::string> Path) {
  if (G.Parts > 1 && Path.size() == 1)
    return "style=dashed; color=\"#9a9a9a\"; fontcolor=\"#666666\"; fontsize=12";
  // Clusters inherit their parent's attributes: undo the part's look.
  if (G.Parts > 1)
    return "style=solid; color=black; fontcolor=black; fontsize=10";
  return "";
}

namespace {
std::string partName(unsigned I, unsigned Parts) {
  return "part " + std::to_string(I + 1) + " of " + std::to_string(Parts);
}

unsigned partNumber(llvm::StringRef Name) {
  unsigned N = 0;
  Name.consume_front("part ");
  Name.consumeInteger(10, N);
  return N;
}
} // namespace

PictureGraph wrapPicture(const PictureGraph &P, unsigned Parts) {
  size_t N = P.Nodes.size();
  if (Parts <= 1 || N < 2)
    return P;
  // Longest-path level of every box. Boxes are numbered in topological order
  // of their first node; an edge backwards (only between folded scopes) does
  // not push levels.
  std::vector<std::vector<size_t>> In(N);
  for (auto [U, V] : P.Edges)
    if (U < V)
      In[V].push_back(U);
  std::vector<size_t> Level(N, 0);
  size_t Levels = 1;
  for (size_t V = 0; V < N; ++V) {
    for (size_t U : In[V])
      Level[V] = std::max(Level[V], Level[U] + 1);
    Levels = std::max(Levels, Level[V] + 1);
  }
  Parts = static_cast<unsigned>(std::min<size_t>(Parts, std::max<size_t>(1, Levels / 2)));
  if (Parts <= 1)
    return P;
  // Edges crossing the boundary before level T: +1 over (Level[U], Level[V]].
  std::vector<int> Diff(Levels + 1, 0);
  for (auto [U, V] : P.Edges) {
    size_t A = std::min(Level[U], Level[V]), B = std::max(Level[U], Level[V]);
    if (A != B) {
      ++Diff[A + 1];
      --Diff[B + 1];
    }
  }
  std::vector<int> Cross(Levels + 1, 0);
  for (size_t T = 1; T <= Levels; ++T)
    Cross[T] = Cross[T - 1] + Diff[T];
  // Cut near each ideal boundary, within a fifth of a part, where fewest edges cross.
  std::vector<size_t> Cuts{0};
  double Len = static_cast<double>(Levels) / Parts;
  for (unsigned K = 1; K < Parts; ++K) {
    size_t Ideal = static_cast<size_t>(std::lround(K * Len));
    size_t Slack = static_cast<size_t>(Len / 5);
    size_t Best = Ideal;
    for (size_t T = Ideal > Slack ? Ideal - Slack : 1; T <= std::min(Levels - 1, Ideal + Slack);
         ++T)
      if (T > Cuts.back() &&
          (Cross[T] < Cross[Best] || Best <= Cuts.back() ||
           (Cross[T] == Cross[Best] &&
            (T > Ideal ? T - Ideal : Ideal - T) < (Best > Ideal ? Best - Ideal : Ideal - Best))))
        Best = T;
    if (Best > Cuts.back() && Best < Levels)
      Cuts.push_back(Best);
  }
  Cuts.push_back(Levels);
  unsigned Used = static_cast<unsigned>(Cuts.size() - 1);
  PictureGraph W = P;
  W.Parts = Used;
  W.Edges.clear();
  std::vector<unsigned> PartOf(N);
  for (size_t V = 0; V < N; ++V) {
    PartOf[V] = static_cast<unsigned>(std::upper_bound(Cuts.begin(), Cuts.end(), Level[V]) -
                                      Cuts.begin() - 1);
    W.Nodes[V].Cluster.insert(W.Nodes[V].Cluster.begin(), partName(PartOf[V], Used));
  }
  // One "to part N" box per (source, target part) and one "from part M" box
  // per (source, target part) in the target part.
  std::map<std::pair<size_t, unsigned>, std::pair<size_t, size_t>> Stubs;
  for (auto [U, V] : P.Edges) {
    if (PartOf[U] == PartOf[V]) {
      W.Edges.emplace_back(U, V);
      continue;
    }
    auto [It, New] = Stubs.try_emplace({U, PartOf[V]});
    if (New) {
      PictureNode Out, In;
      Out.Connector = In.Connector = true;
      Out.Title = "to part " + std::to_string(PartOf[V] + 1);
      In.Title = "from part " + std::to_string(PartOf[U] + 1);
      In.Lines.push_back(P.Nodes[U].Title);
      Out.Tooltip = In.Tooltip = P.Nodes[U].Tooltip;
      Out.Cluster = {partName(PartOf[U], Used)};
      In.Cluster = {partName(PartOf[V], Used)};
      It->second = {W.Nodes.size(), W.Nodes.size() + 1};
      W.Nodes.push_back(std::move(Out));
      W.Nodes.push_back(std::move(In));
      W.Edges.emplace_back(U, It->second.first);
    }
    W.Edges.emplace_back(It->second.second, V);
  }
  if (!P.LeftToRight)
    return W;
  // Left to right, dot stacks the parts upwards in the order their boxes come:
  // list the last part's boxes first so part 1 is on top.
  std::vector<size_t> Order(W.Nodes.size()), NewIndex(W.Nodes.size());
  std::iota(Order.begin(), Order.end(), 0);
  auto PartIndex = [&](size_t I) { return W.Nodes[I].Cluster.front(); };
  std::stable_sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    return partNumber(PartIndex(A)) > partNumber(PartIndex(B));
  });
  PictureGraph R = W;
  for (size_t I = 0; I < Order.size(); ++I) {
    R.Nodes[I] = W.Nodes[Order[I]];
    NewIndex[Order[I]] = I;
  }
  for (auto &[U, V] : R.Edges) {
    U = NewIndex[U];
    V = NewIndex[V];
  }
  return R;
}

std::string pictureDot(const PictureGraph &P) {
  std::string Dot;
  llvm::raw_string_ostream OS(Dot);
  emitDot(P, OS);
  OS.flush();
  return Dot;
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

std::optional<std::pair<unsigned, unsigned>> pngSize(llvm::StringRef Png) {
  if (Png.size() < 24 || !Png.startswith("\x89PNG\r\n\x1a\n") || Png.substr(12, 4) != "IHDR")
    return std::nullopt;
  auto Be = [&](size_t At) {
    unsigned V = 0;
    for (size_t I = 0; I < 4; ++I)
      V = V << 8 | static_cast<unsigned char>(Png[At + I]);
    return V;
  };
  return std::make_pair(Be(16), Be(20));
}

namespace {
/// Graphviz's messages of the render under way (libcgraph reports through
/// one process-wide hook, so renders are serialised by the lock in runGraphviz).
std::string *GvMessages = nullptr;
int captureGvMessage(char *Msg) {
  if (GvMessages && Msg)
    *GvMessages += Msg;
  return 0;
}

/// Size of a laid-out drawing in points, before any `size` scaling.
struct LaidOut {
  double Width = 0, Height = 0;
  std::string Bytes; ///< Rendered output; empty when not rendered.
};

/// Lays Dot out with dot; calls Render(width, height) and renders to Format
/// when it says yes. Graphviz's warnings never reach stderr; its errors fail.
llvm::Expected<LaidOut> runGraphviz(const std::string &Dot, llvm::StringRef Format,
                                    llvm::function_ref<bool(double, double)> Render) {
  // libgvc keeps global state (the error hook, plugin tables): one render at a time.
  static std::mutex Lock;
  std::lock_guard<std::mutex> Guard(Lock);
  std::string Messages;
  GvMessages = &Messages;
  agseterr(AGWARN); // Everything goes to the hook, none to stderr.
  agseterrf(captureGvMessage);
  agreseterrors();
  // One context for the whole process, never freed: graphviz 2.42's pango
  // plugin caches a pointer to the last font it sized, and that font lives in
  // the context's font dictionary. Freeing the context between renders made the
  // next render read freed memory (ASan: heap-use-after-free in the pango
  // plugin on the second picture of a process). Reusing it also skips reloading
  // the plugin tables on every render.
  static GVC_t *Gvc = gvContext();
  auto Fail = [&](const llvm::Twine &What) {
    GvMessages = nullptr;
    std::string M = llvm::StringRef(Messages).trim().str();
    std::replace(M.begin(), M.end(), '\n', ' ');
    return makeError(ErrorCategory::Internal, What + (M.empty() ? "" : " (graphviz: " + M + ")"));
  };
  Agraph_t *Gr = agmemread(Dot.c_str());
  if (!Gr)
    return Fail("graphviz could not read the generated DOT");
  LaidOut R;
  bool Ok = gvLayout(Gvc, Gr, "dot") == 0 && agerrors() < AGERR;
  if (Ok) {
    boxf BB = GD_bb(Gr);
    R.Width = BB.UR.x - BB.LL.x;
    R.Height = BB.UR.y - BB.LL.y;
    if (!Format.empty() && Render(R.Width, R.Height)) {
      char *Buf = nullptr;
      unsigned int Len = 0;
      Ok = gvRenderData(Gvc, Gr, Format.str().c_str(), &Buf, &Len) == 0 && agerrors() < AGERR;
      if (Ok && Buf)
        R.Bytes.assign(Buf, Len);
      Ok &= !R.Bytes.empty();
      gvFreeRenderData(Buf);
    }
    gvFreeLayout(Gvc, Gr);
  }
  agclose(Gr);
  if (!Ok)
    return Fail("graphviz failed to lay out or render the picture as " + Format);
  GvMessages = nullptr;
  return R;
}
} // namespace

llvm::Expected<std::string> renderDot(const std::string &Dot, llvm::StringRef Format) {
  if (Format == "dot")
    return Dot;
  if (Format != "svg" && Format != "png")
    return makeError(ErrorCategory::Usage, "unknown picture format '" + Format + "'");
  auto R = runGraphviz(Dot, Format, [](double, double) { return true; });
  if (!R)
    return R.takeError();
  return std::move(R->Bytes);
}

llvm::Expected<std::string> renderPicture(const PictureGraph &P, const GraphOptions &O,
                                          llvm::StringRef Format) {
  if (Format == "dot")
    return pictureDot(O.Parts > 1 ? wrapPicture(P, O.Parts) : P);
  if (Format != "svg" && Format != "png")
    return makeError(ErrorCategory::Usage, "unknown picture format '" + Format + "'");
  const double Px = kGraphDpi / 72; // Pixels per point.
  double MaxPt = O.MaxPixels / Px;
  PictureGraph W = O.Parts > 1 ? wrapPicture(P, O.Parts) : P;
  // Auto: lay out once; a picture more than three times longer than wide
  // (along the flow) is wrapped into the number of parts that brings it
  // nearest a 16:10 landscape page, and more if a part would still be too long.
  for (int Attempt = 0; Attempt < 4; ++Attempt) {
    std::optional<unsigned> Rewrap;
    double W_ = 0, H_ = 0;
    auto R = runGraphviz(pictureDot(W), Format, [&](double Wd, double Ht) {
      W_ = Wd;
      H_ = Ht;
      if (O.Parts != 0)
        return true;
      double Along = P.LeftToRight ? Wd : Ht, Across = P.LeftToRight ? Ht : Wd;
      if (W.Parts == 1) {
        if (Along <= 3 * Across || Along * Px <= 2000)
          return true;
        double Aspect = P.LeftToRight ? 1 / 1.6 : 1.6;
        Rewrap = static_cast<unsigned>(std::lround(std::sqrt(Aspect * Along / Across)));
      }
      if (!Rewrap && Along > MaxPt && Across * 1.5 < MaxPt && Attempt < 3)
        Rewrap = static_cast<unsigned>(std::ceil(W.Parts * Along / MaxPt * 1.1));
      if (Rewrap && *Rewrap <= W.Parts)
        Rewrap.reset();
      return !Rewrap;
    });
    if (!R)
      return R.takeError();
    if (Rewrap) {
      PictureGraph Next = wrapPicture(P, *Rewrap);
      if (Next.Parts != W.Parts) {
        W = std::move(Next);
        continue;
      }
      // No more parts to be had: render this one.
      R = runGraphviz(pictureDot(W), Format, [](double, double) { return true; });
      if (!R)
        return R.takeError();
    }
    double Scale = std::min({1.0, MaxPt / std::max(W_, 1.0), MaxPt / std::max(H_, 1.0)});
    if (O.MaxPixels && Scale < kGraphMinScale)
      return makeError(ErrorCategory::Usage,
                       llvm::formatv("the picture needs {0} x {1} px, more than --max-size {2} "
                                     "even at {3}% (smaller is not legible); fold it with "
                                     "--collapse-repeats or --collapse-depth N, or raise "
                                     "--max-size",
                                     std::lround(W_ * Px), std::lround(H_ * Px), O.MaxPixels,
                                     std::lround(kGraphMinScale * 100))
                           .str());
    if (Format == "png") {
      auto Size = pngSize(R->Bytes);
      if (!Size || (O.MaxPixels && std::max(Size->first, Size->second) > O.MaxPixels))
        return makeError(ErrorCategory::Internal,
                         "graphviz rendered a PNG larger than --max-size " +
                             std::to_string(O.MaxPixels));
    }
    return std::move(R->Bytes);
  }
  return makeError(ErrorCategory::Internal, "could not fit the picture in --max-size");
}

llvm::Expected<std::string> drawModel(Analysis &A, const Report &R, const GraphOptions &GOpts,
                                      llvm::StringRef Format) {
  return renderPicture(buildPicture(A.manager(), R, GOpts), GOpts, Format);
}

} // namespace opaudit
