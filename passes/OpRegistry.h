// The operator registry: one table of rules keyed by (domain, op_type,
// since_version), in the style of ONNX's operator schemas. A rule knows how
// to infer its node's output types (and values, for shape computations), the
// class the operator belongs to for operation-counting conventions, and which
// inputs are shape/control tensors rather than parameters. Rules see only a
// narrow context, never the whole graph. `opaudit ops` prints this table.
#pragma once

#include "passes/ShapeInference.h"

#include "llvm/ADT/ArrayRef.h"

#include <functional>

namespace opaudit {

/// Classes of operators, used by operation-counting conventions.
enum class OpClass : uint8_t {
  Conv,          ///< Conv, ConvTranspose and their quantized/fused forms.
  MatMul,        ///< MatMul, Gemm, Einsum and their quantized/fused forms.
  Pool,          ///< Max/Average/Lp pooling, global pooling.
  Normalization, ///< BatchNorm, LayerNorm, InstanceNorm, GroupNorm, LRN.
  Activation,    ///< Relu, Sigmoid, Tanh, Gelu, Clip, ...
  Elementwise,   ///< Arithmetic and math: Add, Mul, Div, Pow, Sqrt, Exp, Erf, ...
  Softmax,       ///< Softmax, LogSoftmax, Hardmax.
  Reduction,     ///< Reduce*, ArgMax/ArgMin, TopK, CumSum.
  Resize,        ///< Resize, Upsample.
  Recurrent,     ///< LSTM, GRU, RNN.
  Attention,     ///< Fused attention operators.
  Quantization,  ///< QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear.
  DataMovement,  ///< Reshape, Transpose, Concat, Slice, Gather, Pad, Cast, ...
  ShapeOp,       ///< Shape, Size, Constant, ConstantOfShape, Range.
  Control,       ///< If, Loop, Scan.
  Other,
};

llvm::StringRef opClassName(OpClass C);
std::optional<OpClass> opClassFromName(llvm::StringRef Name);

/// What a rule sees: the node, its inputs' types and known values, and its attributes.
class InferContext {
public:
  InferContext(SymContext &S, const Graph &G, const Node &N, int64_t Opset,
               llvm::ArrayRef<const TensorType *> InTypes,
               llvm::ArrayRef<const ConstValue *> InValues)
      : S(S), G(G), N(N), Opset(Opset), InTypes(InTypes), InValues(InValues),
        OutTypes(N.Outputs.size()), OutValues(N.Outputs.size()) {}

  SymContext &sym() { return S; }
  const Node &node() const { return N; }
  const Graph &graph() const { return G; }
  int64_t opset() const { return Opset; }

  size_t numInputs() const { return InTypes.size(); }
  bool hasInput(size_t I) const { return I < InTypes.size() && InTypes[I]; }
  /// Type of input I, or null when the input is omitted.
  const TensorType *input(size_t I) const { return hasInput(I) ? InTypes[I] : nullptr; }
  DType inType(size_t I) const { return hasInput(I) ? InTypes[I]->Elem : DType::Undefined; }
  /// Shape of input I when its rank is known.
  const Shape *inShape(size_t I) const {
    return hasInput(I) && InTypes[I]->Dims ? &*InTypes[I]->Dims : nullptr;
  }
  /// Known contents of input I, or null.
  const ConstValue *value(size_t I) const { return I < InValues.size() ? InValues[I] : nullptr; }
  /// Known integer contents of input I as concrete numbers (all elements constant).
  std::optional<llvm::SmallVector<int64_t, 8>> intValues(size_t I) const;
  /// Known integer contents of input I as expressions (every element known,
  /// possibly symbolic: a Slice end read from Shape stays "seq").
  std::optional<llvm::SmallVector<Expr, 8>> exprValues(size_t I) const;

  int64_t attrInt(llvm::StringRef Name, int64_t Default) const;
  std::optional<llvm::SmallVector<int64_t, 4>> attrInts(llvm::StringRef Name) const;
  float attrFloat(llvm::StringRef Name, float Default) const;
  std::optional<llvm::SmallVector<float, 4>> attrFloats(llvm::StringRef Name) const;
  std::string attrString(llvm::StringRef Name, llvm::StringRef Default = "") const;
  const TensorData *attrTensor(llvm::StringRef Name) const;
  bool hasAttr(llvm::StringRef Name) const { return attr(Name) != nullptr; }
  /// The attribute, with a function body's reference (ref_attr_name) resolved
  /// against the call site; null when absent.
  const Attribute *attr(llvm::StringRef Name) const;
  /// Set while inferring an inlined function body: the calling node.
  const Node *CallSite = nullptr;

  size_t numOutputs() const { return N.Outputs.size(); }
  void setOutput(size_t I, DType Elem, std::optional<Shape> Dims) {
    if (I < OutTypes.size())
      OutTypes[I] = TensorType{Elem, std::move(Dims)};
  }
  void setOutput(size_t I, TensorType T) {
    if (I < OutTypes.size())
      OutTypes[I] = std::move(T);
  }
  void setOutputValue(size_t I, ConstValue V) {
    if (I < OutValues.size())
      OutValues[I] = std::move(V);
  }
  /// Runs shape inference on this node's graph attribute \p Attr (an If
  /// branch, a Loop or Scan body) with the given formal input types; null
  /// when the driver cannot (e.g. while counting MACs). Calling it again for
  /// the same attribute records another run (a Loop iteration).
  std::function<const ShapeInfo *(llvm::StringRef Attr, const Graph &, llvm::ArrayRef<TensorType>,
                                  llvm::ArrayRef<const ConstValue *>)>
      RunSubgraph;
  /// Set by If when its condition is known.
  std::optional<bool> Condition;
  /// Set by Loop when its body was re-inferred per iteration, or when it could
  /// not be although its carried dims change (LoopProblem says why).
  bool PerIteration = false;
  std::string LoopProblem;
  /// Set by Loop and Scan rules: how many times the body runs.
  Expr TripCount;
  /// The user's --trip-count for this node, if any.
  std::optional<int64_t> UserTripCount;
  /// Set by a rule that finds the model contradicting the user's shapes
  /// (a Reshape constant pinning the exported batch): everything computed
  /// from this node's outputs becomes unknown.
  bool Conflict = false;

  /// Records why inference stopped short; the node's missing outputs stay unknown.
  void fail(const llvm::Twine &Why) { Problems.push_back({Severity::Warning, "", Why.str()}); }
  void note(const llvm::Twine &Why) { Problems.push_back({Severity::Note, "", Why.str()}); }

private:
  SymContext &S;
  const Graph &G;
  const Node &N;
  int64_t Opset;
  llvm::ArrayRef<const TensorType *> InTypes;
  llvm::ArrayRef<const ConstValue *> InValues;

public:
  std::vector<TensorType> OutTypes;
  std::vector<std::optional<ConstValue>> OutValues;
  std::vector<Diagnostic> Problems;
};

using InferFn = void (*)(InferContext &);
/// Multiply-accumulates of a node, given its inferred input and output types
/// (in Ctx.OutTypes). A null Expr means unknown.
using MacFn = Expr (*)(InferContext &);

struct OpRule {
  llvm::StringRef Domain; ///< "" for ai.onnx.
  llvm::StringRef OpType;
  int SinceVersion = 1;
  OpClass Class = OpClass::Other;
  InferFn Infer = nullptr;
  /// Bit I set: input I is a shape/index/control tensor, never a parameter.
  uint32_t ShapeInputs = 0;
  /// Set for MAC-class operators (the JSON "macs" field counts only these).
  MacFn Macs = nullptr;
};

/// The newest rule for (Domain, OpType) with SinceVersion <= Opset, or null.
const OpRule *findRule(llvm::StringRef Domain, llvm::StringRef OpType, int64_t Opset);
/// Any rule for (Domain, OpType), ignoring versions (for classification).
const OpRule *findAnyRule(llvm::StringRef Domain, llvm::StringRef OpType);
/// The rule that classifies a resolved node: the one shape inference ran, or,
/// for a node without a rule at its opset, any version's (an operator's class
/// and shape inputs do not change across versions); null when no rule knows
/// the operator. Res may be null for a graph that was never inferred.
const OpRule *classifyingRule(const NodeResolution *Res, const Node &N);
/// Every rule, sorted by domain, op type and version.
llvm::ArrayRef<OpRule> allRules();

/// Family tables, each in its own file under passes/ops/.
void addNNRules(std::vector<OpRule> &Rules);
void addMathRules(std::vector<OpRule> &Rules);
void addTensorRules(std::vector<OpRule> &Rules);
void addMiscRules(std::vector<OpRule> &Rules);
void addSequenceRules(std::vector<OpRule> &Rules);
void addControlFlowRules(std::vector<OpRule> &Rules);
void addContribRules(std::vector<OpRule> &Rules);

// Shared helpers for rules.

/// Multidirectional (NumPy) broadcasting of shapes; nullopt if a shape is missing.
std::optional<Shape> broadcastShapes(SymContext &S, llvm::ArrayRef<const Shape *> Shapes,
                                     InferContext *Ctx = nullptr);
/// Normalizes a possibly negative axis against Rank; nullopt when out of range.
std::optional<int64_t> normalizeAxis(int64_t Axis, int64_t Rank);
Shape constShape(SymContext &S, llvm::ArrayRef<int64_t> Dims);
/// The known contents of a stored tensor whose small values the loader kept; nullopt otherwise.
std::optional<ConstValue> valueOfTensor(SymContext &S, const TensorData &T);
/// What --trip-count names a Loop by: its name, or its first output's name.
std::string loopKey(const Graph &G, const Node &N);
/// True if E contains a min or max atom (a clamp left by Slice or Pad).
bool hasClamp(Expr E);

} // namespace opaudit
