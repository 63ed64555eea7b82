// Diagnostics with a cause (issue 11): each has a code and, inside a
// subgraph, the graph's path; the first failure is the root cause and the
// nodes left unknown by it are folded into it instead of warning each.
#include "tests/TestUtil.h"

using namespace opaudit;
using namespace opaudit::test;

TEST_CASE("Diagnostics: one root cause with its dependents, not a warning per node") {
  Report R = reportOf(parseModel(R"(<ir_version: 8, opset_import: ["" : 17, "com.x" : 1]>
g (float[1,3,8,8] X, float[4,3,3,3] W) => (float C, float Z) {
  U = com.x.Foo(X)
  A = Relu(U)
  B = Conv(A, W)
  C = Add(B, B)
  Z = Conv(X, W)
})"));
  size_t Warnings = 0;
  const Diagnostic *Root = nullptr;
  for (const Diagnostic &D : R.Diags) {
    CHECK_FALSE(D.Code.empty());
    if (D.Level != Severity::Note)
      ++Warnings;
    if (D.Code == "unsupported-op")
      Root = &D;
    // Conv B's unknown MACs are explained by the root cause, not reported again.
    CHECK(D.Message.find("because an operand shape is unknown") == std::string::npos);
  }
  REQUIRE(Root);
  CHECK(Root->Node.find("Foo") != std::string::npos);
  CHECK(Root->Dependents == 3); // Relu, Conv, Add.
  CHECK(Root->Message.find("3 later nodes unknown because of this") != std::string::npos);
  // The root cause and the uncounted operator's MAC note: nothing per dependent node.
  CHECK(Warnings == 2);
}

TEST_CASE("Diagnostics: a failure inside a branch names the branch's path") {
  Report R = reportOf(parseModel(R"(<ir_version: 8, opset_import: ["" : 17, "com.x" : 1]>
g (bool c, float[4,8] X) => (float Y) {
  Y = If (c) <then_branch = t () => (float[p,q] ty) { ty = com.x.Bar(X) },
              else_branch = e () => (float[r,s] ey) { ey = Relu(X) }>
})"));
  bool Found = false;
  for (const Diagnostic &D : R.Diags)
    if (D.Code == "unsupported-op") {
      Found = true;
      CHECK(D.Path == "/Y/then_branch");
      CHECK(D.str().find("/Y/then_branch: Bar") != std::string::npos);
    }
  CHECK(Found);
}
