// Operators and version differences of opsets 18 to 21 (libonnx 1.12, used
// by the other tests, stops at 17; these follow ONNX's Operators.md), plus
// ai.onnx.ml models: each output checked against a hand-computed shape.
#include "tests/TestUtil.h"

using namespace opaudit;
using namespace opaudit::test;

TEST_CASE("Opset18+: Col2Im, AffineGrid, CenterCropPad, Split num_outputs, Reduce axes input") {
  auto M = parseModel(R"(<ir_version: 9, opset_import: ["" : 20]>
g (float[1,20,16] X, float[2,2,3] Th, float[20,10,3] I, float[10,7] S, float[2,3,4] R)
  => (float A, float B, float C, float S0, float S1, float S2, float D)
  <int64[2] img = {5, 5}, int64[2] blk = {2, 2}, int64[4] sz = {2, 3, 8, 10}, int64[2] cs = {10, 20},
   int64[1] ax = {1}> {
  A = Col2Im(X, img, blk)
  B = AffineGrid(Th, sz)
  C = CenterCropPad <axes = [0, 1]> (I, cs)
  S0, S1, S2 = Split <axis = 0, num_outputs = 3> (S)
  D = ReduceMean <keepdims = 0> (R, ax)
})");
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "A") == std::vector<std::string>{"1", "5", "5", "5"});
  CHECK(dimsOf(AM, "B") == std::vector<std::string>{"2", "8", "10", "2"});
  CHECK(dimsOf(AM, "C") == std::vector<std::string>{"10", "20", "3"});
  // ceil(10/3) = 4, 4, and the 2 left over.
  CHECK(dimsOf(AM, "S0") == std::vector<std::string>{"4", "7"});
  CHECK(dimsOf(AM, "S2") == std::vector<std::string>{"2", "7"});
  CHECK(dimsOf(AM, "D") == std::vector<std::string>{"2", "4"});
}

TEST_CASE("Opset18+: Resize keep_aspect_ratio_policy and DeformConv MACs") {
  auto M = parseModel(R"(<ir_version: 9, opset_import: ["" : 19]>
g (float[1,1,8,8] X, float[1,3,8,8] Y, float[4,3,3,3] W, float[1,18,6,6] Off) => (float A, float B)
  <int64[2] sz = {4, 6}> {
  A = Resize <axes = [2, 3], keep_aspect_ratio_policy = "not_larger"> (X, , , sz)
  B = DeformConv (Y, W, Off)
})");
  AnalysisManager AM(*M);
  // scale = min(4/8, 6/8) = 0.5 on both axes.
  CHECK(dimsOf(AM, "A") == std::vector<std::string>{"1", "1", "4", "4"});
  CHECK(dimsOf(AM, "B") == std::vector<std::string>{"1", "4", "6", "6"});
  CHECK(AM.get<MacCount>().Nodes[1].Macs == AM.sym().constant(4 * 36 * 27));
}

TEST_CASE("Opset: an operator used before its first version has no rule") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,3] X) => (float Y) { Y = Gelu(X) })");
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "Y") == std::vector<std::string>{"<unranked>"});
  const auto &D = AM.get<ShapeInference>().Diags;
  REQUIRE_FALSE(D.empty());
  CHECK(D.front().Message == "no rule for ai.onnx::Gelu at opset 17; its outputs are unknown");
}

TEST_CASE("Opset: ai.onnx.ml classifiers and regressors carry [N, classes] shapes") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17, "ai.onnx.ml" : 3]>
g (float[N,3] X) => (int64 L, float Sc, float Rg) {
  L, Sc = ai.onnx.ml.LinearClassifier <classlabels_ints = [0, 1, 2], coefficients = [1., 0., 0., 0., 1., 0., 0., 0., 1.]> (X)
  Rg = ai.onnx.ml.TreeEnsembleRegressor <n_targets = 2> (X)
})");
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "L") == std::vector<std::string>{"N"});
  CHECK(dimsOf(AM, "Sc") == std::vector<std::string>{"N", "3"});
  CHECK(dimsOf(AM, "Rg") == std::vector<std::string>{"N", "2"});
}
