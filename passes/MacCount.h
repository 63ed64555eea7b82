// Multiply-accumulate counts and element counts per node, for the main graph
// and every subgraph that runs (If branches, Loop and Scan bodies, inlined
// function bodies). MACs are counted only for MAC-class operators (Conv,
// ConvTranspose, Gemm, MatMul, Einsum, recurrent cells and their
// quantized/fused forms); every node also gets its output and input element
// counts and, for pooling, its window size, which the operation-counting
// conventions build on. Counts are exact expressions: integers when every dim
// is bound, polynomials in the unbound dims otherwise. An operator no rule
// knows is never counted as 0: its cost, and the total, are unknown, and the
// known part is kept as a lower bound.
#pragma once

#include "passes/OpRegistry.h"
#include "passes/ShapeInference.h"

namespace opaudit {

/// A node's contribution to one run of the model.
struct NodeCost {
  OpClass Class = OpClass::Other;
  bool MacClass = false;
  /// False for an operator no rule knows: its MACs are unknown, not 0.
  bool Counted = true;
  Expr Macs; ///< Exact MACs; 0 for non-MAC-class nodes; null when unknown or a range.
  /// Bounds of the MACs: equal to Macs when it is exact, the two branches'
  /// costs of an If whose condition depends on the data; null when unknown.
  Expr MacsMin, MacsMax;
  Expr OutputElements; ///< Sum over the node's outputs; null when unknown.
  Expr InputElements;  ///< Elements of the first input; null when unknown.
  Expr Window;         ///< Pooling window size (kernel product, or spatial size for global pools).
  bool operator==(const NodeCost &) const = default;
};

/// How a subgraph runs relative to its control-flow node.
enum class SubgraphRole : uint8_t {
  Always,      ///< A Loop/Scan body or an inlined function body: it runs.
  Taken,       ///< The If branch that runs (the condition is known, or chosen with --branch).
  NotTaken,    ///< The If branch that does not run; its rows contribute 0.
  Conditional, ///< An If branch whose condition depends on the data.
};
llvm::StringRef subgraphRoleName(SubgraphRole R);

/// The counts of one subgraph: an If branch, a Loop or Scan body over all its
/// iterations, or an inlined function body at one call.
struct GraphCost {
  std::string Path;       ///< "/If_0/then_branch": call nodes' names and attribute names.
  size_t ParentGraph = 0; ///< Index of the enclosing graph (0: the main graph; k: Subgraphs[k-1]).
  NodeId ParentNode = kNoNode; ///< The control-flow node or call in the enclosing graph.
  std::string Attr;            ///< then_branch, else_branch, body, or the function's name.
  const Graph *G = nullptr;
  const ShapeInfo *SI = nullptr; ///< Its first (or only) run.
  SubgraphRole Role = SubgraphRole::Always;
  std::vector<NodeCost> Nodes; ///< Indexed by the graph's NodeIds: contributions to one model run.
};

/// A node whose operator no rule knows, so that nothing was counted for it.
struct UncountedNode {
  std::string Path; ///< Graph path ("" for the main graph).
  std::string Label;
  std::string OpType, Domain;
  Expr OutputElements; ///< Its share of the graph's tensor volume; null when unknown.
};

struct MacCounts {
  std::vector<NodeCost> Nodes; ///< The main graph's nodes, indexed by NodeId.
  /// Every subgraph that ran, each after its enclosing graph (preorder).
  std::vector<GraphCost> Subgraphs;
  Expr Total;              ///< Sum of Nodes[*].Macs; null when any is unknown or a range.
  Expr Min, Max;           ///< Bounds of the total; equal to Total when exact; null when unknown.
  Expr Known;              ///< Sum of what is known (a lower bound when Total is null).
  size_t UnknownNodes = 0; ///< Nodes whose MACs are unknown (not ranges).
  std::vector<UncountedNode> Uncounted;
  Expr TensorVolume; ///< Output elements of every node, for coverage shares; null when unknown.
  std::vector<Diagnostic> Diags;
};

class MacCount {
public:
  using Result = MacCounts;
  static constexpr llvm::StringLiteral Name = "macs";
  static constexpr llvm::StringLiteral Description =
      "multiply-accumulates of MAC-class operators and element counts of every node and subgraph";
  static Result run(AnalysisManager &AM);
};

} // namespace opaudit
