// Parameters and weight bytes per node, in every graph of the file: the main
// graph, If/Loop/Scan bodies at any depth, and model-local function bodies. A
// parameter is a stored tensor (initializer of any graph, or Constant,
// possibly behind Identity; a body may read its enclosing graphs' tensors)
// that a node consumes as data rather than as a shape, index or control
// input, excluding rank-0 scalars and int64/bool tensors (shape arithmetic).
// A tensor shared by several nodes is attributed to the first (main graph in
// topological order, then subgraphs in file order); the others list it as
// shared, so totals count each tensor of the file once.
#pragma once

#include "passes/ShapeInference.h"

#include "llvm/ADT/DenseMap.h"

namespace opaudit {

struct NodeWeights {
  int64_t Params = 0;       ///< Elements attributed to this node.
  int64_t Bytes = 0;        ///< Bytes of those elements at the stored dtype.
  int64_t SharedParams = 0; ///< Elements it uses that are attributed to another node.
  int64_t SharedBytes = 0;
  bool Shared = false;                              ///< Uses a tensor that another node also uses.
  llvm::SmallVector<const TensorData *, 2> Tensors; ///< Every parameter tensor it reads.
  bool operator==(const NodeWeights &) const = default;
};

struct WeightInfo {
  std::vector<NodeWeights> Nodes; ///< The main graph's nodes, indexed by NodeId.
  /// Nodes of every other graph (bodies, branches, function bodies), by graph.
  llvm::DenseMap<const Graph *, std::vector<NodeWeights>> Subgraphs;
  int64_t TotalParams = 0;
  int64_t TotalBytes = 0;
  std::vector<Diagnostic> Diags;

  /// The per-node weights of graph G (indexed by its NodeIds); null if none.
  const NodeWeights *weightsOf(const Graph *G) const {
    auto It = Subgraphs.find(G);
    return It == Subgraphs.end() ? nullptr : It->second.data();
  }
};

class Weights {
public:
  using Result = WeightInfo;
  static constexpr llvm::StringLiteral Name = "weights";
  static constexpr llvm::StringLiteral Description =
      "parameters and weight bytes per node, shared tensors counted once";
  static Result run(AnalysisManager &AM);
};

} // namespace opaudit
