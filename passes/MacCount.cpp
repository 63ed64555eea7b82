// MAC and element counting over the inferred shapes. Each MAC-class rule in
// the operator registry supplies its formula; this pass evaluates it per node,
// adds the element counts the conventions need, and sums the total. A count
// that overflows becomes unknown with a diagnostic naming the node.
#include "passes/MacCount.h"

namespace opaudit {

namespace {
/// True when every dim the inputs of N have is known, so that a null result
/// from a formula can only mean overflow.
bool inputsComplete(const ShapeInfo &SI, const Node &N) {
  for (ValueId In : N.Inputs) {
    if (In == kNoValue)
      continue;
    const TensorType &T = SI.Types[static_cast<size_t>(In)];
    if (!T.Dims)
      return false;
    for (Expr D : *T.Dims)
      if (!D)
        return false;
  }
  return true;
}
} // namespace

namespace {
/// Counts one graph (the main graph or a control-flow body): fills Nodes
/// (indexed by the graph's NodeIds) and returns the total, null if unknown.
Expr countGraph(AnalysisManager &AM, const Graph &G, const ShapeInfo &SI,
                std::vector<NodeCost> &Nodes, MacCounts &R);

/// MACs of a control-flow node: If counts its costlier branch (and says which),
/// Loop and Scan count trip count x body.
Expr controlMacs(AnalysisManager &AM, const Graph &G, NodeId Id, const ShapeInfo &SI,
                 MacCounts &R) {
  SymContext &S = AM.sym();
  const Node &N = G.node(Id);
  auto It = SI.Subgraphs.find(Id);
  if (It == SI.Subgraphs.end())
    return S.constant(0);
  llvm::SmallVector<Expr, 2> Bodies;
  size_t K = 0;
  for (const Attribute &A : N.Attrs)
    for (const auto &SG : A.Graphs) {
      if (!SG || K >= It->second.size())
        continue;
      std::vector<NodeCost> Sub;
      Bodies.push_back(countGraph(AM, *SG, *It->second[K++], Sub, R));
    }
  if (llvm::any_of(Bodies, [](Expr E) { return !E; }))
    return Expr();
  if (N.OpType == "If" && Bodies.size() == 2) {
    Expr Max = S.max(Bodies[0], Bodies[1]);
    if (Bodies[0] != Bodies[1])
      R.Diags.push_back({Severity::Note, N.label(G),
                         "then branch " + Bodies[0].str() + " MACs, else branch " +
                             Bodies[1].str() + " MACs; counted the maximum (" +
                             (Max == Bodies[0]   ? "then"
                              : Max == Bodies[1] ? "else"
                                                 : "either") +
                             ")"});
    return Max;
  }
  Expr Body = S.sum(Bodies);
  if (Body == S.constant(0))
    return Body;
  auto TC = SI.TripCounts.find(Id);
  if (TC == SI.TripCounts.end() || !TC->second)
    return Expr();
  Expr Total = S.mul(TC->second, Body);
  // A data-dependent trip count (a fresh symbol) is not a formula the user can bind.
  return S.dependsOnFresh(Total) ? Expr() : Total;
}

Expr countGraph(AnalysisManager &AM, const Graph &G, const ShapeInfo &SI,
                std::vector<NodeCost> &Nodes, MacCounts &R) {
  SymContext &S = AM.sym();
  Nodes.resize(G.Nodes.size());
  // A body's shape result must describe this very graph; if it does not (a
  // mismatch found under ASan on test_if_opt), the cost is unknown, never a
  // read past the end.
  if (SI.Types.size() < G.Values.size() ||
      llvm::any_of(SI.Order, [&](NodeId Id) { return static_cast<size_t>(Id) >= G.Nodes.size(); }))
    return Expr();
  llvm::SmallVector<Expr, 0> Terms;
  bool TotalKnown = true;
  for (NodeId Id : SI.Order) {
    const Node &N = G.node(Id);
    NodeCost &C = Nodes[static_cast<size_t>(Id)];
    int64_t Opset = AM.model().opset(N.Domain);
    const OpRule *Rule = findRule(N.Domain, N.OpType, Opset);
    if (!Rule)
      Rule = findAnyRule(N.Domain, N.OpType);
    C.Class = Rule ? Rule->Class : OpClass::Other;
    llvm::SmallVector<const TensorType *, 4> InTypes;
    llvm::SmallVector<const ConstValue *, 4> InValues;
    for (ValueId In : N.Inputs) {
      InTypes.push_back(In == kNoValue || static_cast<size_t>(In) >= SI.Types.size()
                            ? nullptr
                            : &SI.Types[static_cast<size_t>(In)]);
      InValues.push_back(In == kNoValue ? nullptr : SI.value(In));
    }
    InferContext Ctx(S, G, N, Opset, InTypes, InValues);
    Expr Out = S.constant(0);
    for (size_t I = 0; I < N.Outputs.size(); ++I) {
      if (N.Outputs[I] == kNoValue)
        continue;
      Ctx.OutTypes[I] = SI.Types[static_cast<size_t>(N.Outputs[I])];
      Out = S.add(Out, numElements(S, Ctx.OutTypes[I]));
    }
    C.OutputElements = Out;
    C.InputElements = InTypes.empty() || !InTypes[0] ? Expr() : numElements(S, *InTypes[0]);
    if (C.Class == OpClass::Pool) {
      if (auto K = Ctx.attrInts("kernel_shape")) {
        Expr W = S.constant(1);
        for (int64_t X : *K)
          W = S.mul(W, S.constant(X));
        C.Window = W;
      } else if (const Shape *X = Ctx.inShape(0); X && X->size() > 2) {
        C.Window = numElements(S, llvm::ArrayRef<Expr>(*X).drop_front(2));
      }
    }
    if (const Function *Fn = Rule ? nullptr : findFunction(AM.model(), N)) {
      // An inlined function call costs what its body costs.
      auto It = SI.Subgraphs.find(Id);
      std::vector<NodeCost> Sub;
      C.Macs = It == SI.Subgraphs.end() || It->second.empty()
                   ? Expr()
                   : countGraph(AM, *Fn->Body, *It->second.front(), Sub, R);
      C.MacClass = !C.Macs || C.Macs != S.constant(0);
      if (!C.Macs) {
        ++R.UnknownNodes;
        TotalKnown = false;
      } else {
        Terms.push_back(C.Macs);
      }
      continue;
    }
    if (C.Class == OpClass::Control) {
      // Bodies count their own MAC-class nodes; the node carries their sum.
      C.Macs = controlMacs(AM, G, Id, SI, R);
      C.MacClass = !C.Macs || C.Macs != S.constant(0);
      if (!C.Macs) {
        R.Diags.push_back({Severity::Warning, N.label(G),
                           "MACs unknown because a subgraph's MACs or trip count is unknown"});
        ++R.UnknownNodes;
        TotalKnown = false;
      } else {
        Terms.push_back(C.Macs);
      }
      continue;
    }
    C.MacClass = Rule && Rule->Macs;
    if (!C.MacClass) {
      C.Macs = S.constant(0);
      continue;
    }
    C.Macs = Rule->Macs(Ctx);
    if (!C.Macs || S.dependsOnFresh(C.Macs)) {
      if (C.Macs || !inputsComplete(SI, N) || Ctx.OutTypes.empty() || !Ctx.OutTypes[0].Dims) {
        C.Macs = Expr();
        R.Diags.push_back({Severity::Warning, N.label(G),
                           "MACs unknown because an operand shape is unknown"});
      } else {
        R.Diags.push_back({Severity::Error, N.label(G), "MAC count overflows 64 bits"});
      }
      ++R.UnknownNodes;
      TotalKnown = false;
      continue;
    }
    Terms.push_back(C.Macs);
  }
  if (!TotalKnown)
    return Expr();
  Expr Total = S.sum(Terms);
  if (!Total)
    R.Diags.push_back({Severity::Error, G.Name.empty() ? "" : "graph '" + G.Name + "'",
                       "total MAC count overflows 64 bits"});
  return Total;
}
} // namespace

MacCounts MacCount::run(AnalysisManager &AM) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  MacCounts R;
  R.Total = countGraph(AM, AM.model().Main, SI, R.Nodes, R);
  return R;
}

} // namespace opaudit
