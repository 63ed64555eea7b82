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

MacCounts MacCount::run(AnalysisManager &AM) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  const Graph &G = AM.model().Main;
  SymContext &S = AM.sym();
  MacCounts R;
  R.Nodes.resize(G.Nodes.size());
  llvm::SmallVector<Expr, 0> Terms;
  bool TotalKnown = true;
  for (NodeId Id : SI.Order) {
    const Node &N = G.node(Id);
    NodeCost &C = R.Nodes[static_cast<size_t>(Id)];
    int64_t Opset = AM.model().opset(N.Domain);
    const OpRule *Rule = findRule(N.Domain, N.OpType, Opset);
    if (!Rule)
      Rule = findAnyRule(N.Domain, N.OpType);
    C.Class = Rule ? Rule->Class : OpClass::Other;
    llvm::SmallVector<const TensorType *, 4> InTypes;
    llvm::SmallVector<const ConstValue *, 4> InValues;
    for (ValueId In : N.Inputs) {
      InTypes.push_back(In == kNoValue ? nullptr : &SI.Types[static_cast<size_t>(In)]);
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
    C.MacClass = Rule && Rule->Macs;
    if (!C.MacClass) {
      C.Macs = S.constant(0);
      continue;
    }
    C.Macs = Rule->Macs(Ctx);
    if (!C.Macs || S.dependsOnFresh(C.Macs)) {
      if (C.Macs || !inputsComplete(SI, N) || !Ctx.OutTypes[0].Dims) {
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
  if (TotalKnown) {
    R.Total = S.sum(Terms);
    if (!R.Total)
      R.Diags.push_back({Severity::Error, "", "total MAC count overflows 64 bits"});
  }
  return R;
}

} // namespace opaudit
