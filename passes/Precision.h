// MACs split by operand precision (fp32, fp16, bf16, int8, int4, ...), read
// from the graph: the quantized operators (QLinearConv, QLinearMatMul,
// ConvInteger, MatMulInteger) by their operand dtypes, and float Conv/Gemm/
// MatMul whose operands come from DequantizeLinear (the QDQ form) by the
// dtype before dequantization. Vendors quote TOPS per precision, so a claim
// check needs to know at which precision a model's MACs run. com.microsoft
// MatMulNBits has no operator rule yet, so it is neither counted nor split.
#pragma once

#include "passes/MacCount.h"

#include <map>

namespace opaudit {

struct PrecisionInfo {
  /// Per node (indexed by NodeId): "fp32", "fp16", "bf16", "fp64", "fp8", "int8",
  /// "int4", "int16", "int32" or "unknown"; empty for nodes that are not MAC-class.
  std::vector<std::string> Nodes;
  /// MACs by precision; a null Expr when a node of that precision has unknown MACs.
  std::map<std::string, Expr> Macs;
};

/// The precision label of a dtype ("int8" for int8 and uint8, ...).
llvm::StringRef precisionLabel(DType T);

class Precision {
public:
  using Result = PrecisionInfo;
  static constexpr llvm::StringLiteral Name = "precision";
  static constexpr llvm::StringLiteral Description =
      "MACs split by operand precision, read from QDQ pairs and quantized operators";
  static Result run(AnalysisManager &AM);
};

} // namespace opaudit
