// Parameters and weight bytes per node. A parameter is a stored tensor
// (initializer or Constant, possibly behind Identity) that a node consumes as
// data rather than as a shape, index or control input, excluding rank-0
// scalars and int64/bool tensors (shape arithmetic). A tensor shared by
// several nodes is attributed to the first in topological order; the others
// list it as shared, so totals count it once and still equal the row sums.
#pragma once

#include "passes/ShapeInference.h"

namespace opaudit {

struct NodeWeights {
  int64_t Params = 0;       ///< Elements attributed to this node.
  int64_t Bytes = 0;        ///< Bytes of those elements at the stored dtype.
  int64_t SharedParams = 0; ///< Elements it uses that are attributed to another node.
  int64_t SharedBytes = 0;
  bool Shared = false;      ///< Uses a tensor that another node also uses.
  llvm::SmallVector<const TensorData *, 2> Tensors; ///< Every parameter tensor it reads.
  bool operator==(const NodeWeights &) const = default;
};

struct WeightInfo {
  std::vector<NodeWeights> Nodes; ///< Indexed by NodeId.
  int64_t TotalParams = 0;
  int64_t TotalBytes = 0;
  std::vector<Diagnostic> Diags;
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
