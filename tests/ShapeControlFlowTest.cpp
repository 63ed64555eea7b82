// Control flow: If analyzes both branches (the output keeps the dims they
// agree on; MACs are a range over the branches, or one chosen with --branch), Loop and Scan
// multiply their body's MACs by the trip count (a constant, --trip-count, or
// a symbol), and bodies read values of the enclosing graph.
#include "tests/TestUtil.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
struct Run {
  std::unique_ptr<Model> M;
  std::unique_ptr<AnalysisManager> AM;
  const MacCounts *Macs = nullptr;
};

Run run(const char *Text, AnalysisOptions O = {}) {
  Run R;
  R.M = parseModel(Text);
  R.AM = std::make_unique<AnalysisManager>(*R.M, std::move(O));
  R.Macs = &R.AM->get<MacCount>();
  return R;
}
} // namespace

TEST_CASE("ControlFlow: an If whose condition depends on the data costs a range") {
  const char *Text = R"(<ir_version: 8, opset_import: ["" : 17]>
g (bool c, float[4,8] X, float[8,16] W1, float[8,8] W3) => (float Y) {
  Y = If (c) <then_branch = t () => (float[p,q] ty) { ty = MatMul(X, W1) },
              else_branch = e () => (float[r,s] ey) { h = MatMul(X, W3)  ey = MatMul(h, W1) }>
})";
  auto R = run(Text);
  CHECK(dimsOf(*R.AM, "Y") == std::vector<std::string>{"4", "16"});
  // then: 4*16*8 = 512; else: 4*8*8 + 4*16*8 = 768. Not an exact total: a range.
  SymContext &S = R.AM->sym();
  CHECK_FALSE(R.Macs->Total);
  CHECK(R.Macs->Min == S.constant(512));
  CHECK(R.Macs->Max == S.constant(768));
  bool Named = false;
  for (const Diagnostic &D : R.Macs->Diags)
    Named |= D.Message.find("then branch 512 MACs, else branch 768 MACs; the total is a range") !=
             std::string::npos;
  CHECK(Named);
  // --branch picks one.
  for (auto [B, Want] : {std::pair{AnalysisOptions::BranchChoice::Then, 512},
                         std::pair{AnalysisOptions::BranchChoice::Else, 768},
                         std::pair{AnalysisOptions::BranchChoice::Max, 768}}) {
    AnalysisOptions O;
    O.Branch = B;
    auto C = run(Text, O);
    CHECK(C.Macs->Total == C.AM->sym().constant(Want));
  }
}

TEST_CASE("ControlFlow: Loop trip count from a constant, a symbol, or --trip-count") {
  const char *Text = R"(<ir_version: 8, opset_import: ["" : 17]>
g (int64 M, float[2,8] X, float[8,4] W, float[4] A0) => (float Af, float Ys) <bool T = {1}> {
  Af, Ys = Loop <body = b (int64 i, bool ci, float[k] a) => (bool co, float[u] ao, float[v,w] y) {
      co = Identity(ci)
      ao = Identity(a)
      y = MatMul(X, W)
  }> (M, T, A0)
})";
  // M unknown: the count stays a symbol named after the node (here its first output).
  auto Sym = run(Text);
  CHECK(dimsOf(*Sym.AM, "Ys") == std::vector<std::string>{"trip_Af", "2", "4"});
  CHECK(dimsOf(*Sym.AM, "Af") == std::vector<std::string>{"4"});
  CHECK(Sym.Macs->Total.str() == "64*trip_Af");
  // The user's count.
  AnalysisOptions O;
  O.TripCounts["Af"] = 5; // an unnamed Loop goes by its first output
  auto User = run(Text, O);
  CHECK(User.Macs->Total == User.AM->sym().constant(5 * 64));
  // A constant M with a condition that stays true.
  auto Const = run(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,8] X, float[8,4] W, float[4] A0) => (float Af, float Ys) <bool T = {1}, int64 M = {3}> {
  Af, Ys = Loop <body = b (int64 i, bool ci, float[k] a) => (bool co, float[u] ao, float[v,w] y) {
      co = Identity(ci)
      ao = Identity(a)
      y = MatMul(X, W)
  }> (M, T, A0)
})");
  CHECK(dimsOf(*Const.AM, "Ys") == std::vector<std::string>{"3", "2", "4"});
  CHECK(Const.Macs->Total == Const.AM->sym().constant(3 * 64));
}

TEST_CASE("ControlFlow: Scan runs its body once per scanned slice") {
  auto R = run(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[4] S0, float[5,2,8] Xs, float[8,4] W) => (float Sf, float Ys) {
  Sf, Ys = Scan <num_scan_inputs = 1, body = b (float[k] s, float[m,n] x) => (float[a] so, float[c,d] y) {
      so = Identity(s)
      y = MatMul(x, W)
  }> (S0, Xs)
})");
  CHECK(dimsOf(*R.AM, "Ys") == std::vector<std::string>{"5", "2", "4"});
  CHECK(dimsOf(*R.AM, "Sf") == std::vector<std::string>{"4"});
  CHECK(R.Macs->Total == R.AM->sym().constant(5 * 2 * 4 * 8));
}

TEST_CASE("ControlFlow: a model-local function call is inlined for shapes and MACs") {
  auto R = run(R"(<ir_version: 8, opset_import: ["" : 17, "local" : 1]>
g (float[2,8] X, float[8,4] W, float[4,3] V) => (float Y) {
  H = local.Proj (X, W)
  Y = local.Proj (H, V)
}
<domain: "local", opset_import: ["" : 17]>
Proj (a, b) => (c) {
  t = MatMul(a, b)
  c = Relu(t)
}
)");
  CHECK(dimsOf(*R.AM, "H") == std::vector<std::string>{"2", "4"});
  CHECK(dimsOf(*R.AM, "Y") == std::vector<std::string>{"2", "3"});
  // 2*4*8 + 2*3*4.
  CHECK(R.Macs->Nodes[0].Macs == R.AM->sym().constant(64));
  CHECK(R.Macs->Total == R.AM->sym().constant(64 + 24));
  CHECK(R.AM->get<ShapeInference>().Diags.empty());
}

TEST_CASE("ControlFlow: nested graphs read values two scopes out") {
  auto R = run(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,8] X, float[8,4] W, bool c) => (float Af, float Ys) <bool T = {1}, int64 M = {3}, float[4] A0 = {0., 0., 0., 0.}> {
  Af, Ys = Loop <body = b (int64 i, bool ci, float[k] a) => (bool co, float[u] ao, float[v,w] y) {
      co = Identity(ci)
      ao = Identity(a)
      y = If (c) <then_branch = t () => (float[p,q] ty) { ty = MatMul(X, W) },
                  else_branch = e () => (float[r,s] ey) { ey = MatMul(X, W) }>
  }> (M, T, A0)
})");
  CHECK(dimsOf(*R.AM, "Ys") == std::vector<std::string>{"3", "2", "4"});
  // 3 iterations of an If whose branches both cost 2*4*8.
  CHECK(R.Macs->Total == R.AM->sym().constant(3 * 64));
}

TEST_CASE("ControlFlow: a function body's attribute references take the call site's values") {
  auto R = run(R"(<ir_version: 8, opset_import: ["" : 17, "local" : 1]>
g (float[2,3,5] X) => (float Y, float Z) {
  Y = local.Tr <p = [2, 0, 1]> (X)
  Z = local.Tr <p = [1, 2, 0]> (X)
}
<domain: "local", opset_import: ["" : 17]>
Tr <p> (a) => (c) {
  c = Transpose <perm: ints = @p> (a)
}
)");
  CHECK(dimsOf(*R.AM, "Y") == std::vector<std::string>{"5", "2", "3"});
  CHECK(dimsOf(*R.AM, "Z") == std::vector<std::string>{"3", "5", "2"});
}
