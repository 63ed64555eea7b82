// Shape and value inference over the main graph. Every value gets a dtype and
// a shape whose dims are exact symbolic expressions (see analyzer/Sym.h);
// small integer tensors that feed shape computations (Shape -> Gather ->
// Concat -> Reshape, Slice bounds) get their element values propagated too.
// Per-operator rules live in passes/ops/ and are found through the operator
// registry (passes/OpRegistry.h). What cannot be inferred stays unknown and
// carries a diagnostic; inference always carries on with the next node.
#pragma once

#include "ir/PassManager.h"

#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <optional>
#include <vector>

namespace opaudit {

using Shape = llvm::SmallVector<Expr, 4>;

/// The type of one value. A null Expr in Dims is an unknown dim; Dims unset means unknown rank.
struct TensorType {
  DType Elem = DType::Undefined;
  std::optional<Shape> Dims;

  bool hasRank() const { return Dims.has_value(); }
  size_t rank() const { return Dims ? Dims->size() : 0; }
  bool operator==(const TensorType &) const = default;
};

/// The known contents of a small tensor: integers as expressions (so that a
/// dim read by Shape stays symbolic) or concrete reals. A sequence value
/// (SplitToSequence, SequenceConstruct ...) lists its elements instead.
struct ConstValue {
  DType Elem = DType::Int64;
  llvm::SmallVector<int64_t, 4> Dims;
  llvm::SmallVector<Expr, 8> Ints;    ///< Filled for integer and bool tensors.
  llvm::SmallVector<double, 4> Reals; ///< Filled for floating-point tensors.
  /// Set for a sequence whose every element is known; Elements holds them in
  /// order. Dims is then {0} with no Ints or Reals, so a tensor rule handed a
  /// sequence by a malformed model sees an empty tensor, never an
  /// inconsistent one.
  bool Sequence = false;
  std::vector<ConstValue> Elements;

  bool isReal() const { return isFloatDType(Elem); }
  size_t size() const { return isReal() ? Reals.size() : Ints.size(); }
  /// Elements [Begin, Begin + Len) along Axis (Split, SplitToSequence);
  /// nullopt for a sequence, a range outside the dims or a malformed value.
  std::optional<ConstValue> slice(size_t Axis, int64_t Begin, int64_t Len) const;
  /// A sequence value of these elements.
  static ConstValue sequence(DType Elem, std::vector<ConstValue> Elements) {
    ConstValue V;
    V.Elem = Elem;
    V.Dims = {0};
    V.Sequence = true;
    V.Elements = std::move(Elements);
    return V;
  }
};

enum class NodeStatus : uint8_t {
  Inferred,    ///< Every output has a known shape.
  Partial,     ///< A rule ran but some output dim or rank is unknown.
  Unsupported, ///< No rule for this operator (or version).
  NotReached,  ///< Part of a cycle; never visited.
};

struct OpRule;
struct ShapeInfo;

/// How shape inference resolved one node. Every later pass reads this record
/// instead of looking the rule up again with its own fallbacks.
struct NodeResolution {
  const OpRule *Rule = nullptr;     ///< The rule that ran; null for a function call or no rule.
  const Function *Callee = nullptr; ///< The model-local function inlined at this node.
  int64_t Opset = 0;                ///< Opset of the node's domain where it sits.
  NodeStatus Status = NodeStatus::NotReached;
  /// An If whose condition is known: true runs then_branch, false else_branch.
  std::optional<bool> Condition;
  /// A Loop whose carried dims change between iterations: its body was
  /// re-inferred once per iteration (SubgraphRun::Runs holds each).
  bool PerIteration = false;
};

/// The inference of one graph attribute of a node: an If branch, a Loop or
/// Scan body, or the body of an inlined function (Attr is then the function's
/// name). Found by attribute name, never by position.
struct SubgraphRun {
  std::string Attr;
  const Graph *Body = nullptr;
  /// One result, or one per iteration for a Loop whose carried dims change.
  std::vector<std::shared_ptr<ShapeInfo>> Runs;
};

struct ShapeInfo {
  std::vector<TensorType> Types;              ///< Indexed by ValueId of this graph.
  llvm::DenseMap<ValueId, ConstValue> Values; ///< Known contents of small tensors.
  std::vector<NodeId> Order;                  ///< Topological order of this graph's nodes.
  std::vector<NodeResolution> Nodes;          ///< Indexed by NodeId.
  std::vector<Diagnostic> Diags;
  /// Dim names bound for this run (the JSON "dims" object).
  llvm::StringMap<int64_t> BoundDims;
  /// The subgraphs each control-flow node or function call ran.
  llvm::DenseMap<NodeId, llvm::SmallVector<SubgraphRun, 2>> Subgraphs;
  /// Iterations of each Loop/Scan node: a number, a formula, or a symbol.
  llvm::DenseMap<NodeId, Expr> TripCounts;
  /// For each value left (partly) unknown: the node whose own failure caused
  /// it (its root cause; see Diagnostic::Dependents).
  llvm::DenseMap<ValueId, NodeId> UnknownCause;
  /// Loops whose cost cannot be known although their body's is, and why
  /// (kept beside the per-node records: few nodes have one).
  llvm::DenseMap<NodeId, std::string> LoopProblems;

  const ConstValue *value(ValueId V) const {
    auto It = Values.find(V);
    return It == Values.end() ? nullptr : &It->second;
  }
  NodeStatus status(NodeId N) const { return Nodes[static_cast<size_t>(N)].Status; }
  /// The run(s) of node N's graph attribute Attr; null when it did not run.
  const SubgraphRun *subgraph(NodeId N, llvm::StringRef Attr) const {
    auto It = Subgraphs.find(N);
    if (It == Subgraphs.end())
      return nullptr;
    for (const SubgraphRun &R : It->second)
      if (R.Attr == Attr)
        return &R;
    return nullptr;
  }
};

class ShapeInference {
public:
  using Result = ShapeInfo;
  static constexpr llvm::StringLiteral Name = "shapes";
  static constexpr llvm::StringLiteral Description =
      "symbolic shapes and small tensor values for every value";
  static Result run(AnalysisManager &AM);
};

/// Lexical scope for name lookup from a subgraph into its enclosing graphs.
struct ShapeScope {
  const Graph *G = nullptr;
  const ShapeInfo *Info = nullptr;
  const ShapeScope *Parent = nullptr;
};

/// Infers a subgraph (a control-flow body or branch) whose formal inputs have
/// the types \p Inputs; names it does not define are looked up in \p Outer.
std::shared_ptr<ShapeInfo> inferSubgraph(AnalysisManager &AM, const Graph &Body,
                                         llvm::ArrayRef<TensorType> Inputs,
                                         llvm::ArrayRef<const ConstValue *> InputValues,
                                         const ShapeScope &Outer);

/// Infers the body of a model-local function called with these argument
/// types (the call is inlined: the body sees only its own names).
std::shared_ptr<ShapeInfo> inferFunction(AnalysisManager &AM, const Function &Fn,
                                         const Node &CallSite, llvm::ArrayRef<TensorType> Inputs,
                                         llvm::ArrayRef<const ConstValue *> InputValues);
/// The model-local function a node calls, or null.
const Function *findFunction(const Model &M, const Node &N);

/// A node's display name: its own, or its first output's when the file gives none.
std::string nodeName(const Graph &G, const Node &N);
/// The path of a subgraph: the enclosing path, the control node's name (or
/// its first output's, when unnamed) and the attribute name.
std::string subgraphPath(llvm::StringRef Enclosing, const Graph &G, const Node &N,
                         llvm::StringRef Attr);

/// Product of dims as an expression (null when a dim is unknown or overflow).
Expr numElements(SymContext &S, llvm::ArrayRef<Expr> Dims);
/// Product of a type's dims; null for unknown rank.
Expr numElements(SymContext &S, const TensorType &T);

} // namespace opaudit
