// The graph pictures: ResNet-50's SVG is well-formed XML with a box and its
// MACs for every compute op, constants and shape subgraphs are hidden, scopes
// fold by depth, a 12-layer transformer folds to one layer marked x12 (at
// least 3x smaller), and a GPT-2-size graph renders in seconds.
#include "tests/TestUtil.h"

#include "reports/Graph.h"

#include "onnx/defs/parser.h"
#include "onnx/onnx_pb.h"

#include <chrono>
#include <fstream>
#include <sstream>

using namespace opaudit;
using namespace opaudit::test;

namespace {
std::string slurp(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

/// Runs a shell command and returns its stdout; fails the test on a non-zero exit.
std::string shell(const std::string &Cmd) {
  std::string Out = writeTemp("out.txt", "");
  int St = std::system((Cmd + " >" + Out).c_str());
  REQUIRE_MESSAGE(St == 0, Cmd);
  return slurp(Out);
}

/// The synthetic GPT-2-style export of bench/make_transformer.py (python3-onnx).
std::string transformer(int Layers) {
  std::string Path = writeTemp("gpt" + std::to_string(Layers) + ".onnx", "");
  shell("/usr/bin/python3 " + std::string(OPAUDIT_SOURCE_DIR) + "/bench/make_transformer.py " +
        Path + " --layers " + std::to_string(Layers));
  return Path;
}

struct Drawn {
  PictureGraph P;
  std::string Dot;
};

llvm::Expected<std::string> drawFile(const std::string &Path, const GraphOptions &O) {
  auto A = Analysis::open(Path);
  if (!A)
    return A.takeError();
  Report R = buildReport(**A);
  return drawModel(**A, R, O, "svg");
}

Drawn draw(const std::string &Path, const GraphOptions &O) {
  auto M = loadModel(Path);
  REQUIRE(bool(M));
  auto A = Analysis::fromModel(std::move(*M));
  Report R = buildReport(*A);
  Drawn D{buildPicture(A->manager(), R, O), ""};
  llvm::raw_string_ostream OS(D.Dot);
  emitDot(D.P, OS);
  OS.flush();
  return D;
}
} // namespace

TEST_CASE("Graph: ResNet-50 SVG parses as XML with every compute op and its MACs") {
  auto Svg = drawFile(samplePath("resnet50.onnx"), {});
  REQUIRE(bool(Svg));
  std::string Path = writeTemp("resnet50.svg", *Svg);
  // Python's XML parser (a real parser, not a regex) lists each node's tooltip and text.
  std::string Listing =
      shell("/usr/bin/python3 -c \"import sys,xml.etree.ElementTree as E\n"
            "S='{http://www.w3.org/2000/svg}'; X='{http://www.w3.org/1999/xlink}title'\n"
            "for g in E.parse(sys.argv[1]).iter(S+'g'):\n"
            "  if g.get('class')=='node':\n"
            "    a=g.find('.//'+S+'a'); t=' '.join(x.text or '' for x in g.iter(S+'text'))\n"
            "    print(a.get(X)+'\\t'+t)\" " +
            Path);
  std::map<std::string, std::string> Text;
  for (llvm::StringRef Line : llvm::split(Listing, '\n'))
    if (!Line.empty())
      Text[Line.split('\t').first.str()] = Line.split('\t').second.str();
  auto R = analyzeFile(samplePath("resnet50.onnx"), {});
  REQUIRE(bool(R));
  size_t Compute = 0;
  for (const LayerRow &L : R->Rows) {
    if (!L.MacClass)
      continue;
    ++Compute;
    CAPTURE(L.Name);
    REQUIRE(Text.count(L.Name));
    CHECK(Text[L.Name].find(humanCount(static_cast<double>(*L.Macs)) + " MACs") !=
          std::string::npos);
  }
  CHECK(Compute == 54); // 53 convolutions and the classifier.
  CHECK(Text["/conv1/Conv"].find("118.0 M MACs (2.9%)") != std::string::npos);
  CHECK(Text["/fc/Gemm"].find("W 8.20 MB") != std::string::npos);
  // One box per node: the file has 122 (reference.json node_count), none of them
  // a constant or a shape computation.
  CHECK(Text.size() == 122);
}

TEST_CASE("Graph: constants and shape computations are hidden unless asked for") {
  std::string Path = writeTemp("shape.onnx", serializeText(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    agraph (float[2,3,4] X) => (float[2,12] Y) {
      S = Shape(X)
      I = Constant<value = int64[1] {0}>()
      B = Gather(S, I)
      M = Constant<value = int64[1] {-1}>()
      T = Concat<axis = 0>(B, M)
      R = Reshape(X, T)
      Y = Relu(R)
    })"));
  Drawn D = draw(Path, {});
  CHECK(D.P.Nodes.size() == 2); // Reshape and Relu.
  CHECK(D.P.HiddenNodes == 5);
  CHECK(D.Dot.find("Shape") == std::string::npos);
  GraphOptions All;
  All.ShowConstants = true;
  CHECK(draw(Path, All).P.Nodes.size() == 7);
}

TEST_CASE("Graph: --collapse-depth folds scopes into one box each") {
  GraphOptions O;
  O.CollapseDepth = 1;
  Drawn D = draw(samplePath("resnet50.onnx"), O);
  // conv1, relu, maxpool, layer1..4, avgpool, Flatten, fc.
  CHECK(D.P.Nodes.size() == 10);
  auto L1 = llvm::find_if(D.P.Nodes, [](const PictureNode &N) { return N.Title == "layer1"; });
  REQUIRE(L1 != D.P.Nodes.end());
  CHECK(L1->Members == 22); // 3 bottlenecks of 3 convs, 3 relus and an add; one downsample conv.
  size_t Members = 0;
  for (const PictureNode &N : D.P.Nodes)
    Members += N.Members;
  CHECK(Members == 122);
  CHECK(bool(renderDot(D.Dot, "svg")));
}

TEST_CASE("Graph: --collapse-repeats draws a 12-layer transformer once, at least 3x smaller") {
  std::string Path = transformer(12);
  Drawn Full = draw(Path, {});
  GraphOptions O;
  O.CollapseRepeats = true;
  Drawn Folded = draw(Path, O);
  CHECK(Full.P.ModelNodes > 1500);
  REQUIRE(Folded.P.Repeats.count("/transformer/h.0"));
  CHECK(Folded.P.Repeats["/transformer/h.0"] == 12);
  CHECK(Folded.Dot.find("h.0 \u00d712") != std::string::npos);
  CHECK(Folded.Dot.find("h.1\"") == std::string::npos);
  CHECK(Full.P.Nodes.size() >= 3 * Folded.P.Nodes.size());
  auto A = renderDot(Full.Dot, "svg");
  auto B = renderDot(Folded.Dot, "svg");
  REQUIRE(bool(A));
  REQUIRE(bool(B));
  CHECK(A->size() >= 3 * B->size());
  // The folded picture still runs from the embeddings to the head.
  CHECK(Folded.Dot.find("lm_head") != std::string::npos);
}

TEST_CASE("Graph: a GPT-2-size graph of ~1,600 nodes renders in seconds, every node drawn") {
  std::string Path = transformer(12);
  GraphOptions O;
  O.ShowConstants = true;
  auto Start = std::chrono::steady_clock::now();
  auto Svg = drawFile(Path, O);
  double Secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  REQUIRE(bool(Svg));
  size_t Nodes = 0;
  for (size_t At = Svg->find("class=\"node\""); At != std::string::npos;
       At = Svg->find("class=\"node\"", At + 1))
    ++Nodes;
  CHECK(Nodes > 1600);
  CHECK(Secs < 10); // 0.3 s on the development machine; generous for a loaded CI box.
}

TEST_CASE("Graph: CLI writes svg, png and dot and rejects unknown formats") {
  std::string Dir = writeTemp("x", "");
  for (const char *Ext : {"svg", "png", "dot"}) {
    std::string Out = Dir + "." + Ext;
    auto R =
        runCli("graph " + samplePath("tiny_cnn.onnx") + " -o " + Out + " --color-by intensity");
    CHECK(R.Exit == 0);
    std::string Bytes = slurp(Out);
    if (std::string(Ext) == "png")
      CHECK(Bytes.rfind("\x89PNG", 0) == 0);
    else if (std::string(Ext) == "svg")
      CHECK(Bytes.find("<svg") != std::string::npos);
    else
      CHECK(Bytes.rfind("digraph", 0) == 0);
  }
  auto Bad = runCli("graph " + samplePath("tiny_cnn.onnx") + " -o out.jpg");
  CHECK(Bad.Exit == 2);
  CHECK(Bad.Err.find("out.jpg") != std::string::npos);
  CHECK(runCli("graph " + samplePath("tiny_cnn.onnx") + " -o x.svg --color-by heat").Exit == 2);
  CHECK(runCli("graph " + samplePath("tiny_cnn.onnx") + " -o x.svg --dim N").Exit == 2);
  std::string Sym = writeTemp("sym.onnx", serializeText(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    agraph (float[N,3,8,8] X, float[4,3,3,3] W) => (float[N,4,6,6] Y) {
      Y = Conv(X, W)
    })"));
  CHECK(runCli("graph " + Sym + " -o - -f dot").Out.find("3888*N MACs") != std::string::npos);
  CHECK(runCli("graph " + Sym + " -o - -f dot --dim N=2").Out.find("7.78 K MACs (100.0%)") !=
        std::string::npos); // 2 x 3,888.
  auto Missing = runCli("graph /nonexistent.onnx -o x.svg");
  CHECK(Missing.Exit == 3);
}

TEST_CASE("Graph: chained blocks fold as repeats, parallel twins do not") {
  onnx::ModelProto MP;
  auto St = onnx::OnnxParser::Parse(MP, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    agraph (float[2,4] X, float[4,4] W) => (float[2,4] Z) {
      A0 = MatMul(X, W)
      B0 = Relu(A0)
      A1 = MatMul(B0, W)
      B1 = Relu(A1)
      A2 = MatMul(B1, W)
      B2 = Relu(A2)
      Q = MatMul(B2, W)
      K = MatMul(B2, W)
      Z = Add(Q, K)
    })");
  REQUIRE(St.IsOK());
  const char *Names[] = {"/l.0/fc/MatMul", "/l.0/Relu",      "/l.1/fc/MatMul",
                         "/l.1/Relu",      "/l.2/fc/MatMul", "/l.2/Relu",
                         "/q/MatMul",      "/k/MatMul",      "/Add"};
  for (int I = 0; I < 9; ++I)
    MP.mutable_graph()->mutable_node(I)->set_name(Names[I]);
  std::string Bytes;
  REQUIRE(MP.SerializeToString(&Bytes));
  GraphOptions O;
  O.CollapseRepeats = true;
  Drawn D = draw(writeTemp("chain.onnx", Bytes), O);
  CHECK(D.P.Repeats == std::map<std::string, size_t>{{"/l.0", 3}});
  CHECK(D.P.Nodes.size() == 5); // l.0's MatMul and Relu, q, k, Add.
  CHECK(D.Dot.find("l.0 \u00d73") != std::string::npos);
  // MatMul -> Relu inside l.0, Relu -> q, Relu -> k, q -> Add, k -> Add: the l.i -> l.i+1
  // edges would loop back into the one drawn copy and are left out.
  CHECK(D.P.Edges.size() == 5);
}
