// Attribution of stored tensors to the nodes that use them as parameters.
#include "passes/Weights.h"
#include "passes/OpRegistry.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace opaudit {

namespace {
bool isParameterTensor(const TensorData &T, OpClass ConsumerClass) {
  if (T.Dims.empty())
    return false; // Rank-0 scalars are constants (epsilons, exponents), not learned weights.
  switch (T.Type) {
  case DType::Int64:
  case DType::Bool:
  case DType::String:
  case DType::Undefined:
    return false;
  case DType::Int32:
  case DType::UInt32:
    // Quantized biases are int32; elsewhere int32 tensors are indices or shapes.
    return ConsumerClass == OpClass::Conv || ConsumerClass == OpClass::MatMul;
  default:
    return true;
  }
}
} // namespace

WeightInfo Weights::run(AnalysisManager &AM) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  const Model &M = AM.model();
  const Graph &G = M.Main;
  WeightInfo R;
  R.Nodes.resize(G.Nodes.size());
  llvm::DenseMap<const TensorData *, NodeId> Owner;
  llvm::DenseMap<const TensorData *, unsigned> Users;
  auto paramsOf = [&](NodeId Id, auto &&Each) {
    const Node &N = G.node(Id);
    if (N.Domain.empty() && (N.OpType == "Identity" || N.OpType == "Constant"))
      return;
    const OpRule *Rule = findRule(N.Domain, N.OpType, M.opset(N.Domain));
    if (!Rule)
      Rule = findAnyRule(N.Domain, N.OpType);
    OpClass Cls = Rule ? Rule->Class : OpClass::Other;
    uint32_t Mask = Rule ? Rule->ShapeInputs : 0;
    for (size_t I = 0; I < N.Inputs.size(); ++I) {
      if (N.Inputs[I] == kNoValue || (I < 32 && (Mask >> I) & 1))
        continue;
      const TensorData *T = G.storedTensor(N.Inputs[I]);
      if (T && isParameterTensor(*T, Cls))
        Each(T);
    }
  };
  for (NodeId Id : SI.Order) {
    NodeWeights &W = R.Nodes[static_cast<size_t>(Id)];
    // A set, not a scan of W.Tensors: a Concat of many stored tensors would be quadratic.
    llvm::SmallPtrSet<const TensorData *, 8> Seen;
    paramsOf(Id, [&](const TensorData *T) {
      if (!Seen.insert(T).second)
        return; // The same tensor twice in one node (x*W + W) counts once.
      W.Tensors.push_back(T);
      ++Users[T];
      Owner.try_emplace(T, Id);
    });
  }
  for (NodeId Id : SI.Order) {
    NodeWeights &W = R.Nodes[static_cast<size_t>(Id)];
    for (const TensorData *T : W.Tensors) {
      auto N = T->numElements();
      auto B = T->numBytes();
      if (!N || !B) {
        R.Diags.push_back({Severity::Error, G.node(Id).label(G),
                           "parameter '" + T->Name + "' has an element count that overflows"});
        continue;
      }
      if (Users[T] > 1)
        W.Shared = true;
      bool Mine = Owner[T] == Id;
      int64_t &P = Mine ? W.Params : W.SharedParams;
      int64_t &By = Mine ? W.Bytes : W.SharedBytes;
      if (__builtin_add_overflow(P, *N, &P) || __builtin_add_overflow(By, *B, &By))
        R.Diags.push_back({Severity::Error, G.node(Id).label(G), "parameter count overflows"});
      if (Mine && (__builtin_add_overflow(R.TotalParams, *N, &R.TotalParams) ||
                   __builtin_add_overflow(R.TotalBytes, *B, &R.TotalBytes)))
        R.Diags.push_back({Severity::Error, "", "total parameter count overflows"});
    }
  }
  return R;
}

} // namespace opaudit
