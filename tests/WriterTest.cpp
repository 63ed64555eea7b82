// The presentation view and the human-readable writers: on every sample, under
// every grouping, the rows and the totals add up to figures measured outside
// opaudit (tests/SampleReference.h), --top folds the rest into
// [other], and hostile node names round-trip through CSV and are escaped in
// HTML, Markdown, DOT and the Netron attachment.
#include "tests/SampleReference.h"
#include "tests/TestUtil.h"

#include "reports/Graph.h"
#include "reports/Presentation.h"

#include "onnx/defs/parser.h"
#include "onnx/onnx_pb.h"

#include "llvm/Support/JSON.h"

using namespace opaudit;
using namespace opaudit::test;

namespace {
std::string render(void (*W)(const Report &, llvm::raw_ostream &), const Report &R) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  W(R, OS);
  return OS.str();
}

/// RFC 4180 reader: records of fields, quotes doubled inside quoted fields.
std::vector<std::vector<std::string>> parseCsv(const std::string &S) {
  std::vector<std::vector<std::string>> Out(1, std::vector<std::string>(1));
  bool Quoted = false;
  for (size_t I = 0; I < S.size(); ++I) {
    char C = S[I];
    if (Quoted) {
      if (C == '"' && I + 1 < S.size() && S[I + 1] == '"')
        Out.back().back() += '"', ++I;
      else if (C == '"')
        Quoted = false;
      else
        Out.back().back() += C;
    } else if (C == '"') {
      Quoted = true;
    } else if (C == ',') {
      Out.back().emplace_back();
    } else if (C == '\r' && I + 1 < S.size() && S[I + 1] == '\n') {
      ++I;
      Out.emplace_back(1);
    } else {
      Out.back().back() += C;
    }
  }
  if (Out.back().size() == 1 && Out.back()[0].empty())
    Out.pop_back();
  return Out;
}

const std::string kHostile = "a\"b,c\nd<script>alert(1)</script>&amp;'e|*_`x\\";

/// A small model whose nodes carry hostile names, built through protobuf.
std::unique_ptr<Model> hostileModel() {
  onnx::ModelProto MP;
  auto St = onnx::OnnxParser::Parse(MP, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    agraph (float[1,3,8,8] X, float[4,3,3,3] W) => (float[1,4,6,6] Z) {
      Y = Conv(X, W)
      Z = Relu(Y)
    })");
  REQUIRE(St.IsOK());
  MP.mutable_graph()->mutable_node(0)->set_name("/blk/" + kHostile + "/Conv");
  MP.mutable_graph()->mutable_node(1)->set_name(kHostile);
  std::string Bytes;
  REQUIRE(MP.SerializeToString(&Bytes));
  auto M = loadModel(llvm::MemoryBuffer::getMemBufferCopy(Bytes, "hostile.onnx"), "hostile.onnx");
  REQUIRE(bool(M));
  return std::move(*M);
}
} // namespace

TEST_CASE("Presentation: rows and totals equal the independent sample figures") {
  // present() builds V.Total by adding up V.Rows, so comparing the two could
  // never fail. Instead both the sum of the rows (under every grouping and
  // cut) and the total are compared with figures measured outside opaudit
  // (tests/SampleReference.h: PyTorch hooks for MACs, the file's FLOAT
  // initializers for parameters, its node list for layer counts). A row lost
  // by grouping or --top, counted twice, or a wrong total fails here.
  for (const SampleFigures &F : kSampleFigures) {
    AnalysisOptions O;
    if (llvm::StringRef(F.File) == "bert_base.onnx") // The hooks figure's input shape.
      O.Dims = {{"batch", kBertBatch}, {"seq", kBertSeq}};
    auto R = analyzeFile(samplePath(F.File), O);
    REQUIRE_MESSAGE(bool(R), F.File);
    for (GroupBy G : {GroupBy::None, GroupBy::OpType, GroupBy::Scope})
      for (size_t Top : {0, 1, 5}) {
        CAPTURE(F.File);
        CAPTURE(static_cast<int>(G));
        CAPTURE(Top);
        R->View.Group = G;
        R->View.Top = Top;
        View V = present(*R);
        int64_t Macs = 0, Params = 0, Bytes = 0, Layers = 0;
        size_t Unknown = 0;
        for (const ViewRow &Row : V.Rows) {
          Macs += Row.KnownMacs;
          Params += Row.Params;
          Bytes += Row.WeightBytes;
          Unknown += Row.UnknownMacLayers;
          Layers += static_cast<int64_t>(Row.Layers);
        }
        CHECK(Macs == F.Macs);
        CHECK(Params == F.Params);
        CHECK(Bytes == F.weightBytes());
        CHECK(Unknown == 0);
        CHECK(Layers == F.Nodes);
        CHECK(V.Total.macs() == F.Macs);
        CHECK(V.Total.Params == F.Params);
        CHECK(V.Total.WeightBytes == F.weightBytes());
        CHECK(V.Total.Layers == static_cast<size_t>(F.Nodes));
        if (Top)
          CHECK(V.Rows.size() <= Top + 1);
      }
  }
}

TEST_CASE("Presentation: BERT's symbolic MAC layers are counted as unknown in rows and total") {
  // Unbound [batch, seq]: every Conv/Gemm/MatMul's count is a formula, so the
  // view knows no MACs and counts each of them, 96 MatMul + 1 Gemm in the
  // file's op-type histogram (reference.json), as unknown.
  auto R = analyzeFile(samplePath("bert_base.onnx"), {});
  REQUIRE(bool(R));
  for (GroupBy G : {GroupBy::None, GroupBy::OpType, GroupBy::Scope}) {
    CAPTURE(static_cast<int>(G));
    R->View.Group = G;
    View V = present(*R);
    size_t Unknown = 0;
    int64_t Known = 0;
    for (const ViewRow &Row : V.Rows)
      Unknown += Row.UnknownMacLayers, Known += Row.KnownMacs;
    CHECK(Unknown == 96 + 1);
    CHECK(Known == 0);
    CHECK(V.Total.UnknownMacLayers == 96 + 1);
    CHECK_FALSE(V.Total.macs());
    // REFERENCE.md's analytic form, batch*(12*2*d*seq^2 + seq*12*12*d^2) + batch*d^2 at
    // d = 768 (the last term is the pooler).
    CHECK(V.TotalMacsExpr == "18432*batch*seq^2 + 84934656*batch*seq + 589824*batch");
  }
}

TEST_CASE("Presentation: ResNet-50 --top 3 and --group-by op_type") {
  auto R = analyzeFile(samplePath("resnet50.onnx"), {});
  REQUIRE(bool(R));
  R->View.Top = 3;
  View V = present(*R);
  REQUIRE(V.Rows.size() == 4);
  CHECK(V.Rows[0].Label == "/conv1/Conv");
  CHECK(V.Rows[0].macs() == 118013952);
  CHECK(V.Rows[3].Label == "[other]");
  CHECK(V.Rows[3].K == ViewRow::Other);
  CHECK(V.Rows[3].Layers == 122 - 3); // The file has 122 nodes (reference.json node_count).
  CHECK(V.Total.macs() == 4089184256);

  R->View = {};
  R->View.Group = GroupBy::OpType;
  V = present(*R);
  REQUIRE(V.Rows.size() >= 2);
  CHECK(V.Rows[0].Label == "Conv");
  CHECK(V.Rows[0].Layers == 53);
  CHECK(V.Rows[0].macs() == 4087136256);
  CHECK(V.Rows[1].Label == "Gemm");
  CHECK(V.Rows[1].macs() == 2048000);

  R->View.Group = GroupBy::Scope;
  V = present(*R);
  auto L1 = llvm::find_if(V.Rows, [](const ViewRow &Row) { return Row.Label == "/layer1"; });
  REQUIRE(L1 != V.Rows.end());
  CHECK(scopeOf("/layer1/layer1.0/conv1/Conv", 2) == "/layer1/layer1.0");
  CHECK(scopeOf("/Flatten", 1) == "[root]");
  CHECK(scopeOf("conv_0", 1) == "[root]");
}

TEST_CASE("Writers: unknown MACs are '?' and never 0 in CSV") {
  auto M = parseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    agraph (float[N,3,8,8] X, float[4,3,3,3] W) => (float[N,4,6,6] Y) {
      Y = Conv(X, W)
    })");
  Report R = reportOf(std::move(M));
  auto Rows = parseCsv(render(writeCsv, R));
  REQUIRE(Rows.size() == 2);
  CHECK(Rows[1][5] == "?");
  CHECK(Rows[1][6] == "3888*N"); // 4*6*6 outputs x 3*3*3 per output, per batch item.
  // The symbolic total is shown as its formula, Markdown-escaped.
  CHECK(render(writeMarkdown, R).find("| **TOTAL** |  |  | 3888\\*N |") != std::string::npos);
}

TEST_CASE("Writers: hostile names round-trip through CSV and are escaped elsewhere") {
  auto M = hostileModel();
  auto A = Analysis::fromModel(std::move(M));
  Report R = buildReport(*A);
  REQUIRE(R.Rows.size() == 2);

  std::string Csv = render(writeCsv, R);
  auto Rows = parseCsv(Csv);
  REQUIRE(Rows.size() == 3);
  CHECK(Rows[1][0] == "/blk/" + kHostile + "/Conv");
  CHECK(Rows[2][0] == kHostile);
  for (const auto &Row : Rows)
    CHECK(Row.size() == Rows[0].size());
  CHECK(Csv.find("\r\n") != std::string::npos);

  std::string Html = render(writeHtml, R);
  CHECK(Html.find("<script>alert") == std::string::npos);
  CHECK(Html.find("&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;") != std::string::npos);
  // The page's own script is the only one.
  size_t Scripts = 0;
  for (size_t At = Html.find("<script"); At != std::string::npos; At = Html.find("<script", At + 1))
    ++Scripts;
  CHECK(Scripts == 1);

  std::string Md = render(writeMarkdown, R);
  CHECK(Md.find("<script>") == std::string::npos);
  CHECK(Md.find("&lt;script&gt;") != std::string::npos);
  CHECK(Md.find("a\\\"b,c\\\\nd") != std::string::npos);
  for (llvm::StringRef Line : llvm::split(Md, '\n'))
    if (Line.startswith("|"))
      CHECK(Line.endswith("|"));
  // Every table line has the same number of unescaped cell separators.
  auto Cells = [](llvm::StringRef L) {
    size_t N = 0;
    for (size_t I = 0; I < L.size(); ++I)
      if (L[I] == '\\')
        ++I;
      else if (L[I] == '|')
        ++N;
    return N;
  };
  size_t Want = 0;
  for (llvm::StringRef Line : llvm::split(Md, '\n'))
    if (Line.startswith("|")) {
      if (!Want)
        Want = Cells(Line);
      CHECK(Cells(Line) == Want);
    }

  PictureGraph P = buildPicture(A->manager(), R, {});
  std::string Dot;
  llvm::raw_string_ostream OS(Dot);
  emitDot(P, OS);
  OS.flush();
  CHECK(Dot.find("a\\\"b,c\\nd<script>") != std::string::npos);
  // Graphviz reads it back, and its SVG escapes the markup.
  auto Svg = renderDot(Dot, "svg");
  REQUIRE(bool(Svg));
  CHECK(Svg->find("<script>") == std::string::npos);
  CHECK(Svg->find("&lt;script&gt;") != std::string::npos);

  auto J = llvm::json::parse(render(writeNetron, R));
  REQUIRE(bool(J));
  bool Found = false;
  for (const auto &Item : *J->getAsObject()->getArray("metrics")) {
    auto Target = Item.getAsObject()->getString("target");
    if (Target && *Target == "/blk/a\"b,c") // Netron matches a name up to its first newline.
      Found = true;
  }
  CHECK(Found);
}

TEST_CASE("Writers: Netron attachment carries per-node MACs and bytes") {
  auto R = analyzeFile(samplePath("resnet50.onnx"), {});
  REQUIRE(bool(R));
  auto J = llvm::json::parse(render(writeNetron, *R));
  REQUIRE(bool(J));
  auto *O = J->getAsObject();
  CHECK(O->getString("signature") == llvm::StringRef("netron:attachment"));
  std::map<std::string, int64_t> Conv1;
  int64_t ModelMacs = 0;
  for (const auto &Item : *O->getArray("metrics")) {
    auto *I = Item.getAsObject();
    if (*I->getString("kind") == "node" && *I->getString("target") == "/conv1/Conv" &&
        I->getInteger("value"))
      Conv1[I->getString("name")->str()] = *I->getInteger("value");
    if (*I->getString("kind") == "model" && *I->getString("name") == "macs") {
      CHECK(*I->getString("target") == "");
      ModelMacs = *I->getInteger("value");
    }
  }
  CHECK(ModelMacs == 4089184256);
  CHECK(Conv1["macs"] == 118013952);
  CHECK(Conv1["parameters"] == 9472);
  CHECK(Conv1["weight_bytes"] == 37888);
}

TEST_CASE("Writers: the HTML report loads nothing from anywhere") {
  auto R = runCli("analyze -q -f html " + samplePath("resnet50.onnx"));
  REQUIRE(R.Exit == 0);
  for (const char *Load : {" src=", "<link", "@import", "url(", "<iframe", "<img", "fetch("})
    CHECK_MESSAGE(R.Out.find(Load) == std::string::npos, Load);
  CHECK(R.Out.find("<svg") != std::string::npos);        // The graph is inline.
  CHECK(R.Out.find("118,013,952") != std::string::npos); // /conv1/Conv's row.
}
