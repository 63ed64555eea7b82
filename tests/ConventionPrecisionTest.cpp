// MACs by operand precision read from the graph: float dtypes directly,
// QDQ (DequantizeLinear feeding a float MAC op, also through a Transpose),
// QLinearConv/QLinearMatMul, ConvInteger/MatMulInteger, weight-only int4
// (the wider fp32 activation decides), and int4 on both operands.
#include "passes/Precision.h"
#include "tests/TestUtil.h"

#include "onnx/onnx_pb.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
std::map<std::string, int64_t> byPrecision(AnalysisManager &AM) {
  std::map<std::string, int64_t> R;
  for (const auto &[P, E] : AM.get<Precision>().Macs) {
    REQUIRE(E.isConst());
    R[P] = *E.asConst();
  }
  return R;
}
} // namespace

TEST_CASE("Precision: float, QDQ and quantized operators") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,4] A, float[4,5] B, float16[1,4] H, float16[4,5] HB, int8[1,4] QA, int8[5,4] QBt,
   float s, int8 z, uint8[1,4] U, uint8[4,5] UB, int8[2,3,5,5] QX, int8[6,3,3,3] QW)
   => (float Y0, float16 Y1, float Y2, float Y3, int32 Y4, int32 Y5) {
  Y0 = MatMul (A, B)
  Y1 = MatMul (H, HB)
  DA = DequantizeLinear (QA, s, z)
  DBt = DequantizeLinear (QBt, s, z)
  DB = Transpose (DBt)
  Y2 = MatMul (DA, DB)
  Y3 = MatMul (A, DB)
  Y4 = MatMulInteger (U, UB)
  Y5 = ConvInteger (QX, QW)
})");
  AnalysisManager AM(*M);
  const PrecisionInfo &PI = AM.get<Precision>();
  CHECK(PI.Nodes[0] == "fp32");
  CHECK(PI.Nodes[1] == "fp16");
  CHECK(PI.Nodes[5] == "int8"); // both operands dequantized from int8 (one through Transpose)
  CHECK(PI.Nodes[6] == "fp32"); // weight-only int8: the fp32 activation is the wider operand
  CHECK(PI.Nodes[7] == "int8");
  CHECK(PI.Nodes[8] == "int8");
  CHECK(PI.Nodes[2].empty()); // DequantizeLinear is not a MAC node
  // 20 MACs per MatMul; ConvInteger 2*6*3*3 outputs * 27.
  CHECK(byPrecision(AM) ==
        std::map<std::string, int64_t>{{"fp16", 20}, {"fp32", 40}, {"int8", 40 + 2 * 6 * 9 * 27}});
}

TEST_CASE("Precision: QLinearConv and QLinearMatMul use the x and w operands") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (uint8[1,3,5,5] X, float xs, uint8 xz, int8[4,3,3,3] W, float ws, int8 wz, float ys, uint8 yz,
   uint8[2,4] A, uint8[4,3] B) => (uint8 Y, uint8 Z) {
  Y = QLinearConv (X, xs, xz, W, ws, wz, ys, yz)
  Z = QLinearMatMul (A, xs, xz, B, xs, xz, ys, yz)
})");
  AnalysisManager AM(*M);
  CHECK(byPrecision(AM) == std::map<std::string, int64_t>{{"int8", 4 * 3 * 3 * 27 + 2 * 3 * 4}});
}

TEST_CASE("Precision: int4 operands (ONNX 1.16 dtype set by hand)") {
  // The text syntax of the ONNX version we build with predates int4, so the two
  // quantized inputs are declared int8 and retyped to INT4 (22) in the proto.
  std::string Bytes = serializeText(R"(<ir_version: 8, opset_import: ["" : 21]>
g (int8[2,8] QA, int8[8,4] QB, float s, float[2,8] A) => (float Y, float Z) {
  DA = DequantizeLinear (QA, s)
  DB = DequantizeLinear (QB, s)
  Y = MatMul (DA, DB)
  Z = MatMul (A, DB)
})");
  onnx::ModelProto MP;
  REQUIRE(MP.ParseFromString(Bytes));
  for (int I = 0; I < 2; ++I)
    MP.mutable_graph()->mutable_input(I)->mutable_type()->mutable_tensor_type()->set_elem_type(22);
  REQUIRE(MP.SerializeToString(&Bytes));
  auto Mod = loadModel(llvm::MemoryBuffer::getMemBufferCopy(Bytes, "int4.onnx"), "int4.onnx");
  REQUIRE(static_cast<bool>(Mod));
  AnalysisManager AM(**Mod);
  // Both operands int4: int4 work. Weight-only int4 with fp32 activations: fp32 work.
  CHECK(byPrecision(AM) == std::map<std::string, int64_t>{{"int4", 64}, {"fp32", 64}});
  CHECK(precisionLabel(DType::UInt4) == "int4");
  CHECK(precisionLabel(DType::BFloat16) == "bf16");
}
