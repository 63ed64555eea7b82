// Counting operations under a convention. Element counts come from the shape
// analysis (first output, first input) and MacCount (MACs, windows); the
// convention only supplies integer weights, so every count stays an exact,
// checked expression. A node whose needed element count is unknown (or whose
// count overflows) is unknown, never 0, and makes the total unknown.
#include "passes/Conventions.h"
#include "passes/Precision.h"

#include "llvm/ADT/StringExtras.h"

namespace opaudit {

namespace {

bool hasBias(const Node &N) {
  auto Present = [&](size_t I) { return I < N.Inputs.size() && N.Inputs[I] != kNoValue; };
  if (N.OpType == "Conv" || N.OpType == "ConvTranspose" || N.OpType == "Gemm")
    return Present(2);
  if (N.OpType == "QLinearConv")
    return Present(8);
  return false;
}

/// True when attribute text "name=value" matches the node's attribute.
bool attrMatches(const Node &N, llvm::StringRef Qualifier) {
  auto [Name, Want] = Qualifier.split('=');
  const Attribute *A = N.attr(Name.trim());
  if (!A)
    return false;
  Want = Want.trim();
  if (A->Kind == AttrKind::String)
    return A->S == Want;
  if (A->Kind == AttrKind::Int)
    return std::to_string(A->I) == Want;
  return false;
}

const CostSpec *lookupCost(const Convention &C, const Node &N, OpClass Cls) {
  // Qualified keys ("Resize mode=linear") sort right after the plain key.
  auto It = C.Ops.lower_bound(N.OpType);
  const CostSpec *Plain = nullptr;
  for (; It != C.Ops.end(); ++It) {
    llvm::StringRef Key = It->first;
    if (Key == N.OpType) {
      Plain = &It->second;
      continue;
    }
    if (!Key.startswith(N.OpType.str() + " "))
      break;
    if (attrMatches(N, Key.drop_front(N.OpType.size() + 1)))
      return &It->second;
  }
  return Plain ? Plain : &C.Classes[static_cast<size_t>(Cls)];
}

/// Coefficient * count; a zero coefficient never needs the count.
Expr weighted(SymContext &S, int64_t Coef, Expr Count) {
  if (Coef == 0)
    return S.constant(0);
  if (!Count || S.dependsOnFresh(Count))
    return Expr();
  return S.mul(S.constant(Coef), Count);
}

Expr addKnown(SymContext &S, Expr A, Expr B) { return A && B ? S.add(A, B) : Expr(); }

} // namespace

ConventionCounts countOps(AnalysisManager &AM, const Convention &Conv) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  const MacCounts &MC = AM.get<MacCount>();
  const PrecisionInfo &PI = AM.get<Precision>();
  const Graph &G = AM.model().Main;
  SymContext &S = AM.sym();
  ConventionCounts R;
  R.Nodes.resize(G.Nodes.size());
  // Sums over every node, interned once per batch of terms (ir/Sym.h).
  ExprSum Total(S), CountedMacs(S);
  std::map<std::string, ExprSum> ByBucket, ByPrecision;
  auto AddTo = [&](std::map<std::string, ExprSum> &M, const std::string &K, Expr V) {
    M.try_emplace(K, S).first->second.add(V);
  };
  for (NodeId Id : SI.Order) {
    const Node &N = G.node(Id);
    const NodeCost &NC = MC.Nodes[static_cast<size_t>(Id)];
    size_t Cls = static_cast<size_t>(NC.Class);
    ValueId Out0 = N.Outputs.empty() ? kNoValue : N.Outputs[0];
    Expr OutElems = Out0 == kNoValue ? Expr() : numElements(S, SI.Types[static_cast<size_t>(Out0)]);
    Expr Ops;
    std::string Label;
    if (NC.MacClass) {
      Label = PI.Nodes[static_cast<size_t>(Id)];
      Expr MacOps = Conv.MacClasses[Cls] ? weighted(S, Conv.OpsPerMac, NC.Macs) : S.constant(0);
      Expr BiasOps = hasBias(N) ? weighted(S, Conv.Bias[Cls], OutElems) : S.constant(0);
      AddTo(ByBucket, opClassName(NC.Class).str(), MacOps);
      AddTo(ByBucket, kBiasBucket.str(), BiasOps);
      if (Conv.MacClasses[Cls])
        CountedMacs.add(NC.Macs);
      Ops = addKnown(S, MacOps, BiasOps);
    } else {
      const CostSpec &Cost = *lookupCost(Conv, N, NC.Class);
      Ops = S.constant(0);
      Ops = addKnown(S, Ops, weighted(S, Cost.Output, OutElems));
      Ops = addKnown(S, Ops, weighted(S, Cost.Input, NC.InputElements));
      if (Cost.Window)
        Ops = addKnown(
            S, Ops,
            weighted(S, Cost.Window, OutElems && NC.Window ? S.mul(OutElems, NC.Window) : Expr()));
      if (Cost.Rows) {
        Expr Rows;
        ValueId In0 = N.Inputs.empty() ? kNoValue : N.Inputs[0];
        if (In0 != kNoValue) {
          const TensorType &T = SI.Types[static_cast<size_t>(In0)];
          const Attribute *A = N.attr("axis");
          // Softmax-family ops before opset 13 default to axis 1 (then flatten).
          bool OldSoftmax = NC.Class == OpClass::Softmax && AM.model().opset(N.Domain) < 13;
          int64_t Axis = A && A->Kind == AttrKind::Int ? A->I : OldSoftmax ? 1 : -1;
          if (T.Dims)
            if (auto Ax = normalizeAxis(Axis, static_cast<int64_t>(T.Dims->size())))
              Rows = numElements(S, llvm::ArrayRef<Expr>(*T.Dims).take_front(*Ax));
        }
        Ops = addKnown(S, Ops, weighted(S, Cost.Rows, Rows));
      }
      Label = Out0 == kNoValue ? "unknown"
                               : precisionLabel(SI.Types[static_cast<size_t>(Out0)].Elem).str();
      AddTo(ByBucket, opClassName(NC.Class).str(), Ops);
    }
    if (!Ops) {
      ++R.UnknownNodes;
      R.Diags.push_back({Severity::Warning, N.label(G),
                         "ops under convention '" + Conv.Name +
                             "' unknown: an element count it needs is unknown or overflows"});
    }
    R.Nodes[static_cast<size_t>(Id)] = Ops;
    Total.add(Ops);
    AddTo(ByPrecision, Label, Ops);
  }
  R.Total = Total.get();
  R.CountedMacs = CountedMacs.get();
  for (auto &[K, Sum] : ByBucket)
    R.ByBucket.emplace(K, Sum.get());
  for (auto &[K, Sum] : ByPrecision)
    R.ByPrecision.emplace(K, Sum.get());
  return R;
}

} // namespace opaudit
