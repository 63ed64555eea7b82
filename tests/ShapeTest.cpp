// Shape inference on hand-written graphs: value propagation through shape
// subgraphs (Shape -> Gather -> Unsqueeze -> Concat -> Reshape, Slice with
// bounds computed from Shape), and partial results for unknown operators.
#include "tests/TestUtil.h"

using namespace opaudit;
using namespace opaudit::test;

TEST_CASE("Shapes: Shape -> Gather -> Unsqueeze -> Concat -> Reshape resolves symbolically") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[N,197,768] X) => (float Y) <int64 i0 = {0}, int64[1] ax = {0}, int64[2] tail = {12, 64}> {
  s = Shape(X)
  n = Gather <axis = 0> (s, i0)
  nu = Unsqueeze(n, ax)
  one = Constant <value = int64[1] {197}> ()
  t = Concat <axis = 0> (nu, one, tail)
  Y = Reshape(X, t)
})");
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "Y") == std::vector<std::string>{"N", "197", "12", "64"});
  CHECK(AM.get<ShapeInference>().status(5) == NodeStatus::Inferred);
}

TEST_CASE("Shapes: Reshape with -1 and 0 on symbolic dims") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[B,S,768] X) => (float Y) <int64[4] t = {0, 0, 12, -1}> { Y = Reshape(X, t) })");
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "Y") == std::vector<std::string>{"B", "S", "12", "64"});
}

TEST_CASE("Shapes: Slice whose bounds are computed from Shape") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,116,28,28] X) => (float Y) <int64[1] i1 = {1}, int64[1] z = {0}, int64[1] two = {2}, int64[1] ax = {1}> {
  s = Shape(X)
  c = Slice(s, i1, two)
  h = Div(c, two)
  Y = Slice(X, z, h, ax)
})");
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "Y") == std::vector<std::string>{"1", "58", "28", "28"});
}

TEST_CASE(
    "Shapes: an unknown operator gives a question mark and a diagnostic, and the run continues") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17, "com.example" : 1]>
g (float[1,3,8,8] X, float[4,3,3,3] W) => (float Y, float Z) {
  U = com.example.Mystery(X)
  Y = Conv(U, W)
  Z = Conv(X, W)
})");
  Report R = reportOf(std::move(M));
  REQUIRE(R.Rows.size() == 3);
  CHECK(R.Rows[0].Outputs[0].Dims == std::nullopt);
  CHECK_FALSE(R.Rows[1].Macs.has_value());
  CHECK(R.Rows[1].MacsExpr.empty());
  CHECK(R.Rows[2].Macs == 4 * 36 * 27);
  CHECK_FALSE(R.TotalMacs.has_value());
  // The unknown operator itself and the Conv it feeds.
  CHECK(R.UnknownMacRows == 2);
  // What is known (Z's Conv) is a lower bound, and the gap is listed.
  CHECK(R.TotalMacsKnown == 4 * 36 * 27);
  REQUIRE(R.Uncounted.size() == 1);
  CHECK(R.Uncounted[0].OpType == "com.example::Mystery");
  bool Named = false;
  for (const Diagnostic &D : R.Diags)
    Named |= D.Node.find("Mystery") != std::string::npos &&
             D.Message.find("unsupported operator com.example::Mystery") != std::string::npos;
  CHECK(Named);
}

TEST_CASE("Shapes: MaxPool ceil_mode and global pooling") {
  auto M = parseModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,8,112,112] X) => (float Y, float Z, float G) {
  Y = MaxPool <kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 1, 1]> (X)
  Z = MaxPool <kernel_shape = [3, 3], strides = [2, 2], ceil_mode = 1> (X)
  G = GlobalAveragePool(X)
})");
  AnalysisManager AM(*M);
  CHECK(dimsOf(AM, "Y") == std::vector<std::string>{"1", "8", "56", "56"});
  CHECK(dimsOf(AM, "Z") == std::vector<std::string>{"1", "8", "56", "56"});
  CHECK(dimsOf(AM, "G") == std::vector<std::string>{"1", "8", "1", "1"});
}
