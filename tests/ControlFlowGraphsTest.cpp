// Every graph is a citizen (issue 11): If branches are found by attribute
// name in either order, a known condition costs only its taken branch, a
// data-dependent one a range; weights stored inside bodies are parameters; a
// Loop whose carried dim grows is counted iteration by iteration; an operator
// no rule knows makes the total unknown (never 0), with the known part as a
// lower bound; nested control flow has rows under its path. Every expected
// figure is computed by hand in the comments.
#include "tests/TestUtil.h"

#include "llvm/Support/JSON.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
Report reportText(const char *Text, AnalysisOptions O = {}) {
  return reportOf(parseModel(Text), std::move(O));
}

const LayerRow *rowIn(const Report &R, llvm::StringRef Graph, llvm::StringRef Op) {
  for (const LayerRow &L : R.Rows)
    if (L.Graph == Graph && L.OpType == Op)
      return &L;
  return nullptr;
}

// then: MatMul [4,8]x[8,16] = 512 MACs; else: [4,8]x[8,8] then [4,8]x[8,16] = 256 + 512 = 768.
// The else branch is written first, as PyTorch, spox and onnx.helper write it.
const char *kIfElseFirst = R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[4,8] X, float[8,16] W1, float[8,8] W3) => (float Y) <bool c = {%s}> {
  Y = If (c) <else_branch = e () => (float[r,s] ey) { h = MatMul(X, W3)  ey = MatMul(h, W1) },
              then_branch = t () => (float[p,q] ty) { ty = MatMul(X, W1) }>
})";

std::string withCond(const char *Fmt, const char *Cond) {
  std::string S = Fmt;
  S.replace(S.find("%s"), 2, Cond);
  return S;
}
} // namespace

TEST_CASE("Graphs: a known If condition costs its taken branch, in either attribute order") {
  Report T = reportText(withCond(kIfElseFirst, "1").c_str());
  CHECK(T.TotalMacs == 512);
  Report E = reportText(withCond(kIfElseFirst, "0").c_str());
  CHECK(E.TotalMacs == 768);
  // Branch rows appear under their path, the untaken one contributing 0.
  const LayerRow *Taken = rowIn(T, "/Y/then_branch", "MatMul");
  const LayerRow *Not = rowIn(T, "/Y/else_branch", "MatMul");
  REQUIRE(Taken);
  REQUIRE(Not);
  CHECK(Taken->Macs == 512);
  CHECK(Taken->role() == "taken");
  CHECK(Not->Macs == 0);
  CHECK(Not->role() == "not taken");
  // The same through --input-value on a condition input.
  const char *Input = R"(<ir_version: 8, opset_import: ["" : 17]>
g (bool c, float[4,8] X, float[8,16] W1, float[8,8] W3) => (float Y) {
  Y = If (c) <else_branch = e () => (float[r,s] ey) { h = MatMul(X, W3)  ey = MatMul(h, W1) },
              then_branch = t () => (float[p,q] ty) { ty = MatMul(X, W1) }>
})";
  AnalysisOptions O;
  O.InputValues["c"] = {0};
  CHECK(reportText(Input, O).TotalMacs == 768);
  // Without a value: a range, never an exact-looking number.
  Report R = reportText(Input);
  CHECK_FALSE(R.TotalMacs);
  CHECK(R.TotalMacsMin == 512);
  CHECK(R.TotalMacsMax == 768);
  std::string J;
  llvm::raw_string_ostream OS(J);
  writeJson(R, OS);
  auto V = llvm::json::parse(OS.str());
  REQUIRE(bool(V));
  const llvm::json::Object *Totals = V->getAsObject()->getObject("totals");
  CHECK(Totals->get("macs")->getAsNull());
  CHECK(*Totals->getInteger("macs_min") == 512);
  CHECK(*Totals->getInteger("macs_max") == 768);
}

TEST_CASE("Graphs: a known condition keeps the untaken branch's failures out") {
  // The else branch is invalid at this size (a MatMul of [4,8] by [3,5]);
  // the condition is known, so the model's count is exact and warning-free.
  Report R = reportText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[4,8] X, float[8,16] W1, float[3,5] Wbad) => (float Y) <bool c = {1}> {
  Y = If (c) <else_branch = e () => (float[r,s] ey) { ey = MatMul(X, Wbad) },
              then_branch = t () => (float[p,q] ty) { ty = MatMul(X, W1) }>
})");
  CHECK(R.TotalMacs == 512);
  for (const Diagnostic &D : R.Diags)
    CHECK(D.Level == Severity::Note);
}

TEST_CASE("Graphs: weights stored only inside bodies are parameters of the file") {
  // A Constant [8,16] in the then branch (128) and an outer initializer W3
  // [8,8] read only by the else branch (64): 192 parameters, 768 bytes.
  Report R = reportText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (bool c, float[4,8] X) => (float Y) <float[8,8] W3 = {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}> {
  Y = If (c) <then_branch = t () => (float[p,q] ty) {
                 W1 = Constant <value = float[8,16] {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}> ()
                 ty = MatMul(X, W1) },
              else_branch = e () => (float[r,s] ey) { ey = MatMul(X, W3) }>
})");
  CHECK(R.TotalParams == 192);
  CHECK(R.TotalWeightBytes == 768);
  const LayerRow *Then = rowIn(R, "/Y/then_branch", "MatMul");
  const LayerRow *Else = rowIn(R, "/Y/else_branch", "MatMul");
  REQUIRE(Then);
  REQUIRE(Else);
  CHECK(Then->Params == 128);
  CHECK(Else->Params == 64);
}

TEST_CASE("Graphs: a Loop whose carried dim grows is summed over its iterations") {
  // kv starts [2,4]; each iteration appends a [1,4] row, then multiplies the
  // grown kv [r,4] by W [4,2]: 8*r MACs with r = 3, 4, 5: 8*12 = 96.
  // Counting iteration 0 three times would give 72.
  const char *Text = R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2,4] K0, float[1,4] X, float[4,2] W) => (float Kf, float Ys) <int64 M = {3}, bool T = {1}> {
  Kf, Ys = Loop <body = b (int64 i, bool ci, float[k,d] kv) => (bool co, float[u,v] ko, float[w,z] y) {
      co = Identity(ci)
      ko = Concat <axis = 0> (kv, X)
      y = MatMul(ko, W)
  }> (M, T, K0)
})";
  Report R = reportText(Text);
  CHECK(R.TotalMacs == 96);
  const LayerRow *Body = rowIn(R, "/Kf/body", "MatMul");
  REQUIRE(Body);
  CHECK(Body->Macs == 96);
  // The final carried value has 2 + 3 rows.
  REQUIRE(R.Rows.front().OpType == "Loop");
  const auto &Dims = R.Rows.front().Outputs[0].Dims;
  REQUIRE(Dims);
  CHECK(std::vector<std::string>(Dims->begin(), Dims->end()) == std::vector<std::string>{"5", "4"});
  // With the trip count unknown, the count is unknown with the reason, not a guess.
  const char *Sym = R"(<ir_version: 8, opset_import: ["" : 17]>
g (int64 M, float[2,4] K0, float[1,4] X, float[4,2] W) => (float Kf, float Ys) <bool T = {1}> {
  Kf, Ys = Loop <body = b (int64 i, bool ci, float[k,d] kv) => (bool co, float[u,v] ko, float[w,z] y) {
      co = Identity(ci)
      ko = Concat <axis = 0> (kv, X)
      y = MatMul(ko, W)
  }> (M, T, K0)
})";
  Report U = reportText(Sym);
  CHECK_FALSE(U.TotalMacs);
  CHECK(U.TotalMacsExpr.empty());
  bool Why = false;
  for (const Diagnostic &D : U.Diags)
    Why |= D.Message.find("carried dims change between iterations") != std::string::npos;
  CHECK(Why);
  AnalysisOptions O;
  O.TripCounts["Kf"] = 3;
  CHECK(reportText(Sym, O).TotalMacs == 96);
}

TEST_CASE("Graphs: a lone unknown operator makes the total unknown, never 0") {
  // MatMul [4,8]x[8,16] = 512 is known; com.x::Foo is not counted.
  Report R = reportText(R"(<ir_version: 8, opset_import: ["" : 17, "com.x" : 1]>
g (float[4,8] X, float[8,16] W) => (float Y, float Z) {
  Y = MatMul(X, W)
  Z = com.x.Foo(X)
})");
  CHECK_FALSE(R.TotalMacs);
  CHECK(R.TotalMacsExpr.empty());
  CHECK(R.TotalMacsKnown == 512);
  REQUIRE(R.Uncounted.size() == 1);
  CHECK(R.Uncounted[0].OpType == "com.x::Foo");
  CHECK(coverageText(R).find("not counted: com.x::Foo (1 node") == 0);
  std::string Table;
  llvm::raw_string_ostream OS(Table);
  writeTable(R, OS);
  CHECK(OS.str().find("at least 512 counted") != std::string::npos);
}

TEST_CASE("Graphs: nested control flow: an If inside a Loop inside an If") {
  // Outer If is known true; its then branch runs a Loop of 3 iterations whose
  // body runs an If with a known true condition: MatMul [4,8]x[8,16] = 512
  // per iteration, 1,536 in all. The inner else branch (768) never runs.
  Report R = reportText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[4,8] X, float[8,16] W1, float[8,8] W3) => (float Y) <bool c = {1}, int64 M = {3}, float[4,16] Z0 = {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}> {
  Y = If (c) <else_branch = e () => (float[4,16] ey) { ey = Identity(Z0) },
              then_branch = t () => (float[4,16] ty) {
    ty = Loop <body = b (int64 i, bool ci, float[4,16] a) => (bool co, float[4,16] ao) {
        co = Identity(ci)
        ao = If (ci) <else_branch = e2 () => (float[4,16] e2y) { h = MatMul(X, W3)  e2y = MatMul(h, W1) },
                      then_branch = t2 () => (float[4,16] t2y) { t2y = MatMul(X, W1) }>
    }> (M, c, Z0)
  }>
})");
  CHECK(R.TotalMacs == 1536);
  const LayerRow *Inner = rowIn(R, "/Y/then_branch/ty/body/ao/then_branch", "MatMul");
  REQUIRE(Inner);
  CHECK(Inner->Macs == 1536);
  CHECK(Inner->Depth == 3);
  const LayerRow *NotRun = rowIn(R, "/Y/then_branch/ty/body/ao/else_branch", "MatMul");
  REQUIRE(NotRun);
  CHECK(NotRun->Macs == 0);
}
