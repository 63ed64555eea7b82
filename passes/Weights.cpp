// Attribution of stored tensors to the nodes that use them as parameters.
#include "passes/Weights.h"
#include "passes/OpRegistry.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <tuple>

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

namespace {
/// The stored tensor behind value V of graph G, resolving names a body reads
/// from its enclosing graphs.
const TensorData *storedIn(const Graph &G, ValueId V) {
  if (V == kNoValue)
    return nullptr;
  if (!G.value(V).FromOuterScope)
    return G.storedTensor(V);
  llvm::StringRef Name = G.value(V).Name;
  for (const Graph *P = G.Parent; P; P = P->Parent) {
    ValueId O = P->lookup(Name);
    if (O != kNoValue && !P->value(O).FromOuterScope)
      return P->storedTensor(O);
  }
  return nullptr;
}

class Attributor {
public:
  Attributor(const Model &M, const ShapeInfo &Main, WeightInfo &R) : M(M), R(R) {
    addInferred(M.Main, Main);
  }

  /// Visits the nodes of G in Order, then the subgraphs of every node.
  void visit(const Graph &G, llvm::ArrayRef<NodeId> Order, std::vector<NodeWeights> &Nodes) {
    Nodes.resize(G.Nodes.size());
    for (NodeId Id : Order) {
      NodeWeights &W = Nodes[static_cast<size_t>(Id)];
      // A set, not a scan of W.Tensors: a Concat of many stored tensors would be quadratic.
      llvm::SmallPtrSet<const TensorData *, 8> Seen;
      paramsOf(G, Id, [&](const TensorData *T) {
        if (!Seen.insert(T).second)
          return; // The same tensor twice in one node (x*W + W) counts once.
        W.Tensors.push_back(T);
        ++Users[T];
        Owner.try_emplace(T, &W);
      });
      Visited.push_back({&G, Id, &W});
    }
    for (NodeId Id : Order)
      for (const Attribute &A : G.node(Id).Attrs)
        for (const auto &Sub : A.graphs())
          if (Sub && !R.Subgraphs.count(Sub.get()))
            visitFileOrder(*Sub);
    for (NodeId Id : Order)
      if (const Function *F = findFunction(M, G.node(Id)))
        if (!R.Subgraphs.count(F->Body.get()))
          visitFileOrder(*F->Body);
  }

  void finish() {
    for (const auto &[G, Id, W] : Visited)
      for (const TensorData *T : W->Tensors) {
        auto N = T->numElements();
        auto B = T->numBytes();
        if (auto L = Logical.find(T); L != Logical.end())
          N = L->second;
        if (!N || !B) {
          R.Diags.push_back({Severity::Error, G->node(Id).label(*G),
                             "parameter '" + T->Name + "' has an element count that overflows"});
          continue;
        }
        if (Users[T] > 1)
          W->Shared = true;
        bool Mine = Owner[T] == W;
        int64_t &P = Mine ? W->Params : W->SharedParams;
        int64_t &By = Mine ? W->Bytes : W->SharedBytes;
        if (__builtin_add_overflow(P, *N, &P) || __builtin_add_overflow(By, *B, &By))
          R.Diags.push_back({Severity::Error, G->node(Id).label(*G), "parameter count overflows"});
        if (Mine && (__builtin_add_overflow(R.TotalParams, *N, &R.TotalParams) ||
                     __builtin_add_overflow(R.TotalBytes, *B, &R.TotalBytes)))
          R.Diags.push_back({Severity::Error, "", "total parameter count overflows"});
      }
  }

private:
  /// Records the shape result of every graph that was inferred (the first run of each).
  void addInferred(const Graph &G, const ShapeInfo &SI) {
    Inferred.try_emplace(&G, &SI);
    for (const auto &E : SI.Subgraphs)
      for (const SubgraphRun &SR : E.second)
        if (SR.Body && !SR.Runs.empty())
          addInferred(*SR.Body, *SR.Runs.front());
  }

  void visitFileOrder(const Graph &Sub) {
    std::vector<NodeId> Order(Sub.Nodes.size());
    for (size_t I = 0; I < Order.size(); ++I)
      Order[I] = static_cast<NodeId>(I);
    // The map entry is made before recursing, so that a graph is visited
    // once; the nodes are filled in a local vector because the map may grow
    // (moving a vector keeps its elements where they are).
    R.Subgraphs[&Sub];
    std::vector<NodeWeights> Nodes;
    visit(Sub, Order, Nodes);
    R.Subgraphs[&Sub] = std::move(Nodes);
  }

  template <typename Fn> void paramsOf(const Graph &G, NodeId Id, Fn &&Each) {
    const Node &N = G.node(Id);
    if (N.Domain.empty() && (N.OpType == "Identity" || N.OpType == "Constant"))
      return;
    // Shape inference's resolution of the node, where its graph was inferred.
    auto Info = Inferred.find(&G);
    const OpRule *Rule = classifyingRule(
        Info == Inferred.end() ? nullptr : &Info->second->Nodes[static_cast<size_t>(Id)], N);
    OpClass Cls = Rule ? Rule->Class : OpClass::Other;
    uint32_t Mask = Rule ? Rule->ShapeInputs : 0;
    bool MS = N.Domain == "com.microsoft";
    bool NBits = MS && N.OpType == "MatMulNBits";
    for (size_t I = 0; I < N.Inputs.size(); ++I) {
      if (N.Inputs[I] == kNoValue || (I < 32 && (Mask >> I) & 1))
        continue;
      // Rotary cos/sin caches are tables computed from the position, not
      // learned weights (GroupQueryAttention inputs 7, 8; RotaryEmbedding 2, 3).
      if (MS && ((N.OpType == "GroupQueryAttention" && (I == 7 || I == 8)) ||
                 (N.OpType == "RotaryEmbedding" && (I == 2 || I == 3))))
        continue;
      const TensorData *T = storedIn(G, N.Inputs[I]);
      if (!T || !isParameterTensor(*T, Cls))
        continue;
      if (NBits && I >= 1 && I <= 4) {
        // MatMulNBits stores an N x K weight as packed uint8 blocks plus
        // scales (and zero points, g_idx). Parameters are the logical N*K
        // weights; the bytes stay as stored, scales included.
        auto IntAttr = [&](llvm::StringRef Name) {
          const Attribute *A = N.attr(Name);
          return A ? A->I : 0;
        };
        int64_t NN = IntAttr("N"), KK = IntAttr("K"), P = 0;
        if (I == 1 && (NN <= 0 || KK <= 0 || __builtin_mul_overflow(NN, KK, &P)))
          P = T->numElements().value_or(0);
        Logical.try_emplace(T, I == 1 ? P : 0);
      }
      Each(T);
    }
  }

  const Model &M;
  WeightInfo &R;
  llvm::DenseMap<const Graph *, const ShapeInfo *> Inferred;
  /// Owner and users per tensor. NodeWeights live in vectors that are only
  /// moved (never reallocated element-wise) after their graph was visited.
  llvm::DenseMap<const TensorData *, const NodeWeights *> Owner;
  llvm::DenseMap<const TensorData *, unsigned> Users;
  /// Logical parameter counts that differ from the stored element count (MatMulNBits).
  llvm::DenseMap<const TensorData *, int64_t> Logical;
  std::vector<std::tuple<const Graph *, NodeId, NodeWeights *>> Visited;
};
} // namespace

WeightInfo Weights::run(AnalysisManager &AM) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  WeightInfo R;
  Attributor A(AM.model(), SI, R);
  A.visit(AM.model().Main, SI.Order, R.Nodes);
  A.finish();
  return R;
}

} // namespace opaudit
