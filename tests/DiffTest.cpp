// `opaudit diff` (issue 14): figure arithmetic, layer matching, budgets, the
// writers, and the CLI's exit codes. The golden pair is two tiny models whose
// MACs, parameters and weight bytes are computed by hand below; the sample
// pair is torchvision's ResNet-18 and ResNet-101, whose MAC totals are
// torchvision's published 1.814 and 7.801 GFLOPS (which count MACs).
#include "reports/Diff.h"
#include "tests/TestUtil.h"

#include "onnx/onnx_pb.h"

#include "llvm/Support/JSON.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace opaudit;
using namespace opaudit::test;

namespace {

/// A model from ONNX text with its nodes named and its weights added as
/// float initializers of the given dims (zeros; only dims and dtype matter).
std::string namedModel(const char *Text, std::vector<std::string> Names,
                       std::vector<std::pair<std::string, std::vector<int64_t>>> Weights) {
  onnx::ModelProto M;
  REQUIRE(M.ParseFromString(serializeText(Text)));
  REQUIRE(static_cast<size_t>(M.graph().node_size()) == Names.size());
  for (size_t I = 0; I < Names.size(); ++I)
    M.mutable_graph()->mutable_node(static_cast<int>(I))->set_name(Names[I]);
  for (auto &[Name, Dims] : Weights) {
    onnx::TensorProto *T = M.mutable_graph()->add_initializer();
    T->set_name(Name);
    T->set_data_type(onnx::TensorProto::FLOAT);
    int64_t N = 1;
    for (int64_t D : Dims) {
      T->add_dims(D);
      N *= D;
    }
    T->set_raw_data(std::string(static_cast<size_t>(N) * 4, '\0'));
  }
  return M.SerializeAsString();
}

// Old: conv1 (8 filters) -> relu1 -> pool -> flat -> drop (Identity) -> fc.
//   conv1: 1x8x8x8 outputs x 3x3x3 = 13,824 MACs; 8*27 + 8 = 224 params, 896 bytes
//   fc:    10 x 8 = 80 MACs; 80 + 10 = 90 params, 360 bytes
//   total: 13,904 MACs, 314 params, 1,256 bytes
// New: conv1 widened to 16 filters, conv2 (1x1, 16 -> 16) added after relu1,
// drop removed, fc renamed to classifier (matched by structure: the only Gemm left).
//   conv1: 1x16x8x8 x 27 = 27,648 MACs; 16*27 + 16 = 448 params, 1,792 bytes
//   conv2: 1x16x8x8 x 16 = 16,384 MACs; 256 + 16 = 272 params, 1,088 bytes
//   classifier: 10 x 16 = 160 MACs; 160 + 10 = 170 params, 680 bytes
//   total: 44,192 MACs, 890 params, 3,560 bytes
// Deltas: +30,288 MACs (13,824 + 16,384 + 80), +576 params, +2,304 bytes.
std::string oldPair() {
  return namedModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,3,8,8] X) => (float[1,10] Y) {
  C1 = Conv <pads = [1, 1, 1, 1]> (X, W1, B1)
  R1 = Relu (C1)
  P = GlobalAveragePool (R1)
  F = Flatten (P)
  D = Identity (F)
  Y = Gemm <transB = 1> (D, Wf, Bf)
})",
                    {"conv1", "relu1", "pool", "flat", "drop", "fc"},
                    {{"W1", {8, 3, 3, 3}}, {"B1", {8}}, {"Wf", {10, 8}}, {"Bf", {10}}});
}

std::string newPair() {
  return namedModel(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,3,8,8] X) => (float[1,10] Y) {
  C1 = Conv <pads = [1, 1, 1, 1]> (X, W1, B1)
  R1 = Relu (C1)
  C2 = Conv (R1, W2, B2)
  P = GlobalAveragePool (C2)
  F = Flatten (P)
  Y = Gemm <transB = 1> (F, Wf, Bf)
})",
                    {"conv1", "relu1", "conv2", "pool", "flat", "classifier"},
                    {{"W1", {16, 3, 3, 3}},
                     {"B1", {16}},
                     {"W2", {16, 16, 1, 1}},
                     {"B2", {16}},
                     {"Wf", {10, 16}},
                     {"Bf", {10}}});
}

DiffReport pairDiff() {
  auto O = analyzeFile(writeTemp("old.onnx", oldPair()));
  auto N = analyzeFile(writeTemp("new.onnx", newPair()));
  REQUIRE(bool(O));
  REQUIRE(bool(N));
  DiffReport D = diffReports(*O, *N);
  D.OldPath = "old.onnx"; // golden files do not depend on the temp dir
  D.NewPath = "new.onnx";
  return D;
}

const DiffRow *rowNamed(const DiffReport &D, llvm::StringRef Name) {
  for (const DiffRow &R : D.Rows)
    if (R.name() == Name)
      return &R;
  return nullptr;
}

int64_t exact(const DiffFigure &F) {
  REQUIRE(F.K == DiffFigure::Kind::Exact);
  return F.Lo;
}

std::string slurp(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

void checkGolden(const std::string &Name, const std::string &Got) {
  std::string Path = std::string(OPAUDIT_SOURCE_DIR) + "/tests/golden/" + Name;
  if (const char *U = std::getenv("OPAUDIT_UPDATE_GOLDEN"); U && std::string(U) == "1") {
    std::ofstream(Path, std::ios::binary) << Got;
    return;
  }
  std::string Want = slurp(Path);
  REQUIRE_MESSAGE(!Want.empty(), "missing golden file " << Path);
  CHECK(Got == Want);
}

} // namespace

TEST_CASE("Diff: figure arithmetic keeps unknown unknown and checks overflow") {
  using K = DiffFigure::Kind;
  CHECK(exact(diffFigures(DiffFigure::exact(10), DiffFigure::exact(25))) == 15);
  // A layer that appears: absent counts as 0.
  CHECK(exact(diffFigures(DiffFigure::none(), DiffFigure::exact(7))) == 7);
  CHECK(diffFigures(DiffFigure::exact(1), DiffFigure::unknown()).K == K::Unknown);
  CHECK(diffFigures(DiffFigure::unknown(), DiffFigure::none()).K == K::Unknown);
  CHECK(diffFigures(DiffFigure::exact(INT64_MIN), DiffFigure::exact(1)).K == K::Unknown);
  DiffFigure R = diffFigures(DiffFigure::exact(100), DiffFigure{K::Range, 90, 130, {}});
  CHECK(R.K == K::Range);
  CHECK(R.Lo == -10);
  CHECK(R.Hi == 30);
  DiffFigure F1{K::Formula, 0, 0, "2*N"}, F2{K::Formula, 0, 0, "3*N"};
  CHECK(exact(diffFigures(F1, F1)) == 0);
  CHECK(diffFigures(F1, F2).Expr == "(3*N) - (2*N)");
  CHECK(diffFigures(DiffFigure::exact(5), F2).Expr == "(3*N) - (5)");
  CHECK(addFigures(DiffFigure::exact(INT64_MAX), DiffFigure::exact(1)).K == K::Unknown);
}

TEST_CASE("Diff: the hand-computed pair") {
  DiffReport D = pairDiff();
  CHECK(exact(D.total(DiffMetric::Macs).Old) == 13904);
  CHECK(exact(D.total(DiffMetric::Macs).New) == 44192);
  CHECK(exact(D.total(DiffMetric::Macs).Delta) == 30288);
  CHECK(exact(D.total(DiffMetric::Params).Delta) == 576);
  CHECK(exact(D.total(DiffMetric::WeightBytes).Old) == 1256);
  CHECK(exact(D.total(DiffMetric::WeightBytes).New) == 3560);
  CHECK(exact(D.total(DiffMetric::WeightBytes).Delta) == 2304);

  const DiffRow *C1 = rowNamed(D, "conv1");
  REQUIRE(C1);
  CHECK(C1->St == DiffRow::Status::Changed);
  CHECK(C1->MatchedBy == "name");
  CHECK(exact(C1->cell(DiffMetric::Macs).Delta) == 13824);
  CHECK(exact(C1->cell(DiffMetric::Params).Delta) == 224);
  CHECK(C1->OldShape == "1x8x8x8");
  CHECK(C1->NewShape == "1x16x8x8");
  const DiffRow *C2 = rowNamed(D, "conv2");
  REQUIRE(C2);
  CHECK(C2->St == DiffRow::Status::Added);
  CHECK(C2->cell(DiffMetric::Macs).Old.K == DiffFigure::Kind::None);
  CHECK(exact(C2->cell(DiffMetric::Macs).Delta) == 16384);
  CHECK(exact(C2->cell(DiffMetric::WeightBytes).Delta) == 1088);
  const DiffRow *Fc = rowNamed(D, "classifier");
  REQUIRE(Fc);
  CHECK(Fc->MatchedBy == "structure");
  CHECK(Fc->OldName == "fc");
  CHECK(exact(Fc->cell(DiffMetric::Macs).Delta) == 80);
  CHECK(exact(Fc->cell(DiffMetric::Params).Delta) == 80);
  const DiffRow *Drop = rowNamed(D, "drop");
  REQUIRE(Drop);
  CHECK(Drop->St == DiffRow::Status::Removed);
  CHECK(Drop->cell(DiffMetric::Macs).Delta.K == DiffFigure::Kind::None);
  // relu1 computes nothing, but its shape changed.
  CHECK(rowNamed(D, "relu1")->St == DiffRow::Status::Changed);
  CHECK(D.ByName == 4); // conv1, relu1, pool, flat
  CHECK(D.ByStructure == 1);
  CHECK(D.Added == 1);
  CHECK(D.Removed == 1);
  // The removed Identity sits where it was: after flat, before classifier.
  std::vector<std::string> Order;
  for (const DiffRow &R : D.Rows)
    Order.push_back(R.name());
  CHECK(Order ==
        std::vector<std::string>{"conv1", "relu1", "conv2", "pool", "flat", "drop", "classifier"});
  // Totals are the sum of the rows' deltas.
  for (DiffMetric M : {DiffMetric::Macs, DiffMetric::Params, DiffMetric::WeightBytes}) {
    DiffFigure Sum = DiffFigure::none();
    for (const DiffRow &R : D.Rows)
      Sum = addFigures(Sum, R.cell(M).Delta);
    CHECK(exact(Sum) == exact(D.total(M).Delta));
  }
}

TEST_CASE("Diff: golden table, Markdown and JSON of the hand-computed pair") {
  DiffReport D = pairDiff();
  auto B = parseBudget("macs=+100%");
  REQUIRE(bool(B));
  D.Verdicts = checkBudgets(D, {*B});
  REQUIRE(D.Verdicts.size() == 1);
  CHECK(D.Verdicts[0].R == BudgetVerdict::Result::Exceeded); // +217.8%
  auto Render = [&](void (*W)(const DiffReport &, llvm::raw_ostream &)) {
    std::string S;
    llvm::raw_string_ostream OS(S);
    W(D, OS);
    return OS.str();
  };
  checkGolden("diff_pair.txt", Render(writeDiffTable));
  checkGolden("diff_pair.md", Render(writeDiffMarkdown));
  std::string Json = Render(writeDiffJson);
  checkGolden("diff_pair.json", Json);
  auto J = llvm::json::parse(Json);
  REQUIRE(bool(J));
  auto *Macs = J->getAsObject()->getObject("totals")->getObject("macs");
  CHECK(Macs->getInteger("delta").getValueOr(0) == 30288);
  CHECK(J->getAsObject()->getArray("layers")->size() == 7);
}

TEST_CASE("Diff: budgets") {
  DiffReport D = pairDiff();
  auto Check = [&](const char *Spec) {
    auto B = parseBudget(Spec);
    REQUIRE_MESSAGE(bool(B), Spec);
    return checkBudgets(D, {*B}).front().R;
  };
  using R = BudgetVerdict::Result;
  // MACs grow by 30,288 / 13,904 = 217.83%.
  CHECK(Check("macs=+217.8%") == R::Exceeded);
  CHECK(Check("macs=+217.9%") == R::Within);
  CHECK(Check("macs=+30288") == R::Within);
  CHECK(Check("macs=+30287") == R::Exceeded);
  CHECK(Check("weight_bytes=+0") == R::Exceeded);
  CHECK(Check("params=-5%") == R::Exceeded);
  // Not in this diff (no --convention): cannot be checked.
  CHECK(Check("ops=+0%") == R::Unknown);

  auto Bad = parseBudget("mac=+2%");
  REQUIRE(!Bad);
  std::string Msg = llvm::toString(Bad.takeError());
  CHECK(Msg.find("did you mean 'macs'") != std::string::npos);
  CHECK(!parseBudget("macs").operator bool());
  llvm::consumeError(parseBudget("macs").takeError());
  auto NoNum = parseBudget("macs=+x%");
  CHECK(!NoNum);
  llvm::consumeError(NoNum.takeError());
  auto Frac = parseBudget("params=+0.5");
  CHECK(!Frac);
  llvm::consumeError(Frac.takeError());
  auto Lat = parseBudget("time=+2ms");
  REQUIRE(bool(Lat));
  CHECK(Lat->Metric == DiffMetric::Latency);
  CHECK(Lat->Limit == doctest::Approx(0.002));
}

TEST_CASE("Diff: a symbolic model against itself is unchanged, against another uncheckable") {
  auto Bert = analyzeFile(samplePath("bert_base.onnx"));
  REQUIRE(bool(Bert));
  DiffReport Same = diffReports(*Bert, *Bert);
  CHECK(Same.Changed == 0);
  CHECK(Same.Added == 0);
  CHECK(exact(Same.total(DiffMetric::Macs).Delta) == 0);
  auto B = parseBudget("macs=+0%");
  REQUIRE(bool(B));
  CHECK(checkBudgets(Same, {*B}).front().R == BudgetVerdict::Result::Within);
  auto Res = analyzeFile(samplePath("resnet50.onnx"));
  REQUIRE(bool(Res));
  DiffReport Other = diffReports(*Res, *Bert);
  CHECK(Other.total(DiffMetric::Macs).Delta.K == DiffFigure::Kind::Formula);
  CHECK(Other.total(DiffMetric::Macs).Delta.Expr ==
        "(18432*batch*seq^2 + 84934656*batch*seq + 589824*batch) - (4089184256)");
  auto V = checkBudgets(Other, {*B}).front();
  CHECK(V.R == BudgetVerdict::Result::Unknown);
  CHECK(V.Message.find("is a formula") != std::string::npos);
}

TEST_CASE("Diff: ResNet-18 to ResNet-101 (torchvision's published totals)") {
  auto O = analyzeFile(samplePath("resnet18.onnx"));
  auto N = analyzeFile(samplePath("resnet101.onnx"));
  REQUIRE(bool(O));
  REQUIRE(bool(N));
  DiffReport D = diffReports(*O, *N);
  // torchvision: ResNet-18 1.814 GFLOPS, ResNet-101 7.801 GFLOPS (MACs).
  CHECK(exact(D.total(DiffMetric::Macs).Old) == 1814073344);
  CHECK(exact(D.total(DiffMetric::Macs).New) == 7801405440);
  // Every ResNet-18 layer name exists in ResNet-101; nothing is removed.
  CHECK(D.Removed == 0);
  CHECK(D.ByName == O->Rows.size());
  DiffFigure Sum = DiffFigure::none();
  for (const DiffRow &R : D.Rows)
    Sum = addFigures(Sum, R.cell(DiffMetric::Macs).Delta);
  CHECK(exact(Sum) == exact(D.total(DiffMetric::Macs).Delta));
}

TEST_CASE("Diff CLI: budgets decide the exit code") {
  std::string R18 = samplePath("resnet18.onnx"), R101 = samplePath("resnet101.onnx");
  auto Grow = runCli("diff " + R18 + " " + R101 + " --budget macs=+5%");
  CHECK(Grow.Exit == 1);
  CHECK(Grow.Err.find("budget macs=+5% exceeded") != std::string::npos);
  CHECK(Grow.Out.find("TOTAL") != std::string::npos);
  auto Same = runCli("diff " + R18 + " " + R18 + " --budget macs=+0%");
  CHECK(Same.Exit == 0);
  CHECK(Same.Out.find("budget macs=+0%: ok") != std::string::npos);
  // Shrinking meets a budget that forbids growth.
  CHECK(runCli("diff " + R101 + " " + R18 + " --budget macs=+0 --budget weight_bytes=+0").Exit ==
        0);
  auto Typo = runCli("diff " + R18 + " " + R18 + " --budget mcas=+2%");
  CHECK(Typo.Exit == 2);
  CHECK(Typo.Err.find("did you mean 'macs'") != std::string::npos);
  auto NoHw = runCli("diff " + R18 + " " + R18 + " --budget latency=+5%");
  CHECK(NoHw.Exit == 2);
  CHECK(NoHw.Err.find("latency needs --hw") != std::string::npos);
  auto Sym = runCli("diff " + samplePath("resnet50.onnx") + " " + samplePath("bert_base.onnx") +
                    " -q --budget macs=+0%");
  CHECK(Sym.Exit == 1);
  CHECK(Sym.Err.find("cannot be checked") != std::string::npos);
  auto Missing = runCli("diff " + R18 + " /nonexistent/m.onnx");
  CHECK(Missing.Exit == 3);
  auto Hw = runCli("diff " + R18 + " " + R101 + " --hw t4 --budget latency=+1000% -f json");
  CHECK(Hw.Exit == 0);
  auto J = llvm::json::parse(Hw.Out);
  REQUIRE(bool(J));
  auto *Lat = J->getAsObject()->getObject("totals")->getObject("latency");
  REQUIRE(Lat);
  CHECK(Lat->getNumber("delta").getValueOr(0) > 0);
}

TEST_CASE("Diff writers: hostile layer names stay text") {
  DiffReport D = pairDiff();
  const std::string Bad = "x\"y',z\n</td><script>alert(1)</script>|`&amp;";
  D.Rows[0].NewName = D.Rows[0].OldName = Bad;
  auto Render = [&](void (*W)(const DiffReport &, llvm::raw_ostream &)) {
    std::string S;
    llvm::raw_string_ostream OS(S);
    W(D, OS);
    return OS.str();
  };
  std::string Html = Render(writeDiffHtml);
  CHECK(Html.find("<script>") == std::string::npos);
  CHECK(Html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  std::string Md = Render(writeDiffMarkdown);
  CHECK(Md.find("<script>") == std::string::npos);
  CHECK(Md.find("\\|\\`&amp;amp;") != std::string::npos); // the pipe cannot split the row
  auto J = llvm::json::parse(Render(writeDiffJson));
  REQUIRE(bool(J));
  CHECK(J->getAsObject()->getArray("layers")->front().getAsObject()->getString("new_name") ==
        llvm::StringRef(Bad));
}

TEST_CASE("Diff CLI: ops under a convention and traffic are diffed too") {
  // tops counts 2 ops per MAC of MAC operators only: twice the MAC delta, 2 x 5,987,332,096.
  auto R = runCli("diff " + samplePath("resnet18.onnx") + " " + samplePath("resnet101.onnx") +
                  " -q --convention tops --batch 4 --sram 0 -f json --budget ops=+0%");
  CHECK(R.Exit == 1);
  auto J = llvm::json::parse(R.Out);
  REQUIRE(bool(J));
  auto *T = J->getAsObject()->getObject("totals");
  CHECK(T->getObject("macs")->getInteger("delta").getValueOr(0) == 5987332096);
  CHECK(T->getObject("ops")->getInteger("delta").getValueOr(0) == 11974664192);
  // Off-chip bytes: the total's delta is the sum of the layers' deltas.
  int64_t Sum = 0;
  for (const llvm::json::Value &L : *J->getAsObject()->getArray("layers"))
    Sum += L.getAsObject()->getObject("traffic")->getInteger("delta").getValueOr(0);
  CHECK(Sum == T->getObject("traffic")->getInteger("delta").getValueOr(-1));
  CHECK(Sum > 0);
}
