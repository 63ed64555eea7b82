// MAC counts of hand-computed small graphs: Conv with groups, strides,
// dilations, pads and auto_pad; ConvTranspose; Gemm with transA/transB;
// MatMul with broadcast batch dims and 1-D operands; Einsum; and parameter
// attribution through Identity and Constant with shared weights counted once.
#include "tests/TestUtil.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
struct Counted {
  std::unique_ptr<Model> M;
  std::unique_ptr<AnalysisManager> AM;
  const MacCounts *Macs;
  const WeightInfo *W;
};

Counted count(const char *Text, AnalysisOptions Opts = {}) {
  Counted C;
  C.M = parseModel(Text);
  C.AM = std::make_unique<AnalysisManager>(*C.M, std::move(Opts));
  C.Macs = &C.AM->get<MacCount>();
  C.W = &C.AM->get<Weights>();
  return C;
}

int64_t macsOf(const Counted &C, size_t Node) {
  Expr E = C.Macs->Nodes[Node].Macs;
  REQUIRE_MESSAGE(E.isConst(), "node " << Node << " macs " << E.str());
  return *E.asConst();
}
} // namespace

TEST_CASE("MACs: Conv with groups, strides, dilations and explicit pads") {
  auto C = count(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,8,17,17] X, float[12,4,3,3] W) => (float Y) {
  Y = Conv <group = 2, strides = [2, 2], dilations = [2, 2], pads = [1, 2, 1, 2]> (X, W)
})");
  // Effective kernel 5; H: (17 + 1 + 1 - 5)/2 + 1 = 8; W: (17 + 2 + 2 - 5)/2 + 1 = 9.
  CHECK(dimsOf(*C.AM, "Y") == std::vector<std::string>{"2", "12", "8", "9"});
  // Each output element: (8/2) input channels * 3*3 taps.
  CHECK(macsOf(C, 0) == 2 * 12 * 8 * 9 * 4 * 9);
}

TEST_CASE("MACs: Conv auto_pad SAME_UPPER and VALID, 1-D and 3-D") {
  auto C = count(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,3,10,11] X, float[5,3,3,3] W, float[1,2,9] A, float[4,2,4] K,
   float[1,1,4,6,6] V, float[2,1,3,3,3] K3) => (float Y, float Z, float U) {
  Y = Conv <auto_pad = "SAME_UPPER", strides = [2, 2]> (X, W)
  Z = Conv <auto_pad = "VALID", strides = [2]> (A, K)
  U = Conv (V, K3)
})");
  CHECK(dimsOf(*C.AM, "Y") == std::vector<std::string>{"1", "5", "5", "6"});
  CHECK(macsOf(C, 0) == 5 * 5 * 6 * 27);
  // (9 - 4)/2 + 1 = 3
  CHECK(dimsOf(*C.AM, "Z") == std::vector<std::string>{"1", "4", "3"});
  CHECK(macsOf(C, 1) == 4 * 3 * 2 * 4);
  CHECK(dimsOf(*C.AM, "U") == std::vector<std::string>{"1", "2", "2", "4", "4"});
  CHECK(macsOf(C, 2) == 2 * 2 * 4 * 4 * 27);
}

TEST_CASE("MACs: ConvTranspose with stride, pads and output_padding") {
  auto C = count(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,4,5,5] X, float[4,3,3,3] W) => (float Y) {
  Y = ConvTranspose <strides = [2, 2], pads = [1, 1, 1, 1], output_padding = [1, 1]> (X, W)
})");
  // 2*(5-1) + 1 + 3 - 2 = 10
  CHECK(dimsOf(*C.AM, "Y") == std::vector<std::string>{"1", "3", "10", "10"});
  // Every input element is scattered to 3 output channels * 9 taps.
  CHECK(macsOf(C, 0) == 4 * 5 * 5 * 3 * 9);
}

TEST_CASE("MACs: Gemm with transA and transB") {
  auto C = count(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[7,3] A, float[5,7] B, float[5] Bias) => (float Y) {
  Y = Gemm <transA = 1, transB = 1> (A, B, Bias)
})");
  CHECK(dimsOf(*C.AM, "Y") == std::vector<std::string>{"3", "5"});
  CHECK(macsOf(C, 0) == 3 * 5 * 7);
}

TEST_CASE("MACs: MatMul broadcasting batch dims and 1-D operands") {
  auto C = count(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,1,4,6] A, float[3,6,5] B, float[6] v, float[6,5] M, float[4,6] P, float[6] w)
  => (float Y, float Z, float S) {
  Y = MatMul(A, B)
  Z = MatMul(v, M)
  S = MatMul(P, w)
})");
  CHECK(dimsOf(*C.AM, "Y") == std::vector<std::string>{"2", "3", "4", "5"});
  CHECK(macsOf(C, 0) == 2 * 3 * 4 * 5 * 6);
  CHECK(dimsOf(*C.AM, "Z") == std::vector<std::string>{"5"});
  CHECK(macsOf(C, 1) == 5 * 6);
  CHECK(dimsOf(*C.AM, "S") == std::vector<std::string>{"4"});
  CHECK(macsOf(C, 2) == 4 * 6);
}

TEST_CASE("MACs: Einsum batched contraction") {
  auto C = count(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,3,4] A, float[2,4,5] B) => (float Y) {
  Y = Einsum <equation = "bij,bjk->bik"> (A, B)
})");
  CHECK(dimsOf(*C.AM, "Y") == std::vector<std::string>{"2", "3", "5"});
  CHECK(macsOf(C, 0) == 2 * 3 * 4 * 5);
}

TEST_CASE("MACs: symbolic batch gives a formula, binding it gives the number") {
  const char *Text = R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[N,3,8,8] X, float[4,3,3,3] W) => (float Y) { Y = Conv(X, W) })";
  auto C = count(Text);
  CHECK(dimsOf(*C.AM, "Y") == std::vector<std::string>{"N", "4", "6", "6"});
  CHECK(C.Macs->Total.str() == "3888*N");
  AnalysisOptions O;
  O.Dims["N"] = 3;
  auto D = count(Text, O);
  CHECK(macsOf(D, 0) == 3 * 3888);
}

TEST_CASE("Weights: through Identity and Constant, shared tensors counted once") {
  auto C = count(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,6] X) => (float Y, float Z) <float[6,3] W = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18}> {
  Wi = Identity(W)
  Y = MatMul(X, Wi)
  Z = MatMul(X, W)
  C = Constant <value = float[3] {1.0, 2.0, 3.0}> ()
  Y2 = Add(Y, C)
})");
  const WeightInfo &W = *C.W;
  // Node order: Identity(0), MatMul(1), MatMul(2), Constant(3), Add(4).
  CHECK(W.Nodes[0].Params == 0);
  CHECK(W.Nodes[1].Params == 18);
  CHECK(W.Nodes[1].Shared);
  CHECK(W.Nodes[2].Params == 0);
  CHECK(W.Nodes[2].SharedParams == 18);
  CHECK(W.Nodes[2].Shared);
  CHECK(W.Nodes[3].Params == 0);
  CHECK(W.Nodes[4].Params == 3);
  CHECK(W.TotalParams == 21);
  CHECK(W.TotalBytes == 84);
}

TEST_CASE("Weights: shape inputs and int64 tensors are not parameters") {
  auto C = count(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,6] X) => (float Y) <int64[2] S = {3, 4}, float[4] B = {1, 2, 3, 4}> {
  R = Reshape(X, S)
  Y = Add(R, B)
})");
  CHECK(dimsOf(*C.AM, "Y") == std::vector<std::string>{"3", "4"});
  CHECK(C.W->TotalParams == 4);
}
