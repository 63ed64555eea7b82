// Operand precision of MAC-class nodes. A node runs at the wider of its two
// multiplied operands (an int4-weight, fp16-activation MatMul is fp16 work on
// almost all hardware); an operand produced by DequantizeLinear, possibly
// through layout-only nodes (Transpose, Reshape, ...), counts at its
// quantized dtype.
#include "passes/Precision.h"

namespace opaudit {

llvm::StringRef precisionLabel(DType T) {
  switch (T) {
  case DType::Float:
    return "fp32";
  case DType::Float16:
    return "fp16";
  case DType::BFloat16:
    return "bf16";
  case DType::Double:
    return "fp64";
  case DType::Float8E4M3FN:
  case DType::Float8E4M3FNUZ:
  case DType::Float8E5M2:
  case DType::Float8E5M2FNUZ:
    return "fp8";
  case DType::Int8:
  case DType::UInt8:
    return "int8";
  case DType::Int4:
  case DType::UInt4:
    return "int4";
  case DType::Int16:
  case DType::UInt16:
    return "int16";
  case DType::Int32:
  case DType::UInt32:
    return "int32";
  default:
    return "unknown";
  }
}

namespace {
/// Width order used to pick the wider operand; floats win ties against ints.
int rank(DType T) {
  if (T == DType::Undefined)
    return -1;
  return static_cast<int>(dtypeBits(T)) * 2 + (isFloatDType(T) ? 1 : 0);
}

/// The dtype an operand is computed at: its own, or the quantized dtype
/// behind a DequantizeLinear reached through layout-only nodes.
DType operandType(const Graph &G, const ShapeInfo &SI, ValueId V) {
  if (V == kNoValue)
    return DType::Undefined;
  for (int Hop = 0; Hop < 8; ++Hop) {
    NodeId P = G.value(V).Producer;
    if (P == kNoNode)
      break;
    const Node &N = G.node(P);
    if (!N.Domain.empty() || N.Inputs.empty())
      break;
    if (N.OpType == "DequantizeLinear") {
      ValueId Q = N.Inputs[0];
      if (Q != kNoValue)
        return SI.Types[static_cast<size_t>(Q)].Elem;
      break;
    }
    static const char *Layout[] = {"Transpose", "Reshape",   "Flatten",
                                   "Squeeze",   "Unsqueeze", "Identity"};
    if (!llvm::is_contained(Layout, llvm::StringRef(N.OpType)))
      break;
    V = N.Inputs[0];
  }
  return SI.Types[static_cast<size_t>(V)].Elem;
}

/// Indices of the two multiplied operands of a MAC-class node.
std::pair<int, int> operands(const Node &N) {
  if (N.OpType == "QLinearConv" || N.OpType == "QLinearMatMul")
    return {0, 3};
  return {0, 1};
}
} // namespace

PrecisionInfo Precision::run(AnalysisManager &AM) {
  const ShapeInfo &SI = AM.get<ShapeInference>();
  const MacCounts &MC = AM.get<MacCount>();
  const Graph &G = AM.model().Main;
  SymContext &S = AM.sym();
  PrecisionInfo R;
  R.Nodes.resize(G.Nodes.size());
  std::map<std::string, ExprSum> Macs; // Interned once per batch of terms (ir/Sym.h).
  for (NodeId Id : SI.Order) {
    const NodeCost &C = MC.Nodes[static_cast<size_t>(Id)];
    if (!C.MacClass)
      continue;
    const Node &N = G.node(Id);
    auto [A, B] = operands(N);
    DType TA =
        A < static_cast<int>(N.Inputs.size()) ? operandType(G, SI, N.Inputs[A]) : DType::Undefined;
    DType TB =
        B < static_cast<int>(N.Inputs.size()) ? operandType(G, SI, N.Inputs[B]) : DType::Undefined;
    DType T = TA == DType::Undefined || TB == DType::Undefined ? DType::Undefined
              : rank(TA) >= rank(TB)                           ? TA
                                                               : TB;
    std::string L = precisionLabel(T).str();
    R.Nodes[static_cast<size_t>(Id)] = L;
    Macs.try_emplace(L, S).first->second.add(C.Macs);
  }
  for (auto &[L, Sum] : Macs)
    R.Macs.emplace(L, Sum.get());
  return R;
}

} // namespace opaudit
