// Multiply-accumulate counts and element counts per node. MACs are counted
// only for MAC-class operators (Conv, ConvTranspose, Gemm, MatMul, Einsum,
// recurrent cells and their quantized/fused forms); every node also gets its
// output and input element counts and, for pooling, its window size, which
// the operation-counting conventions build on. Counts are exact expressions:
// integers when every dim is bound, polynomials in the unbound dims otherwise.
#pragma once

#include "passes/OpRegistry.h"
#include "passes/ShapeInference.h"

namespace opaudit {

struct NodeCost {
  OpClass Class = OpClass::Other;
  bool MacClass = false;
  Expr Macs;            ///< 0 for non-MAC-class nodes; null when unknown.
  Expr OutputElements;  ///< Sum over the node's outputs; null when unknown.
  Expr InputElements;   ///< Elements of the first input; null when unknown.
  Expr Window;          ///< Pooling window size (kernel product, or spatial size for global pools).
  bool operator==(const NodeCost &) const = default;
};

struct MacCounts {
  std::vector<NodeCost> Nodes; ///< Indexed by NodeId.
  Expr Total;                  ///< Sum of Nodes[*].Macs; null when any is unknown.
  size_t UnknownNodes = 0;     ///< MAC-class nodes whose MACs are unknown.
  std::vector<Diagnostic> Diags;
};

class MacCount {
public:
  using Result = MacCounts;
  static constexpr llvm::StringLiteral Name = "macs";
  static constexpr llvm::StringLiteral Description =
      "multiply-accumulates of MAC-class operators and element counts of every node";
  static Result run(AnalysisManager &AM);
};

} // namespace opaudit
