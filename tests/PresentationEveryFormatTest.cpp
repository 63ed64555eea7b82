// Issue 14: every analysis the options ask for (ops under a convention,
// off-chip traffic, roofline bound and time) appears in every format through
// the one view; --top, --group-by and --hide-trivial work for every format;
// several models with --hw/--batch compare in one table; the inputs are
// listed; Model Explorer node data. Figures come from independent references:
// ResNet-50's 4,089,184,256 MACs (torchvision), `tops` = 2 ops per MAC, and a
// one-Conv graph whose time on a 1-MAC-per-cycle, 1 MHz part is computed by hand.
#include "tests/TestUtil.h"

#include "reports/Presentation.h"
#include "reports/SummaryWriter.h"

#include "llvm/Support/JSON.h"

#include <fstream>
#include <regex>
#include <sstream>

using namespace opaudit;
using namespace opaudit::test;

namespace {
const std::string kHw = std::string(OPAUDIT_SOURCE_DIR) + "/samples/hardware/compute-bound.yaml";
// At the slow point: 4096 MACs/cycle x 500 MHz = 2.048e12 MACs/s (the README's 500.83/s).
const std::string kOpts = " --hw " + kHw + " --operating-point slow --batch 8 --convention tops ";
constexpr int64_t kResnetMacs = 4089184256;
constexpr int64_t kConv1Macs = 118013952;

std::vector<std::string> split(const std::string &S, const std::string &Sep) {
  std::vector<std::string> Out;
  size_t At = 0;
  for (size_t N; (N = S.find(Sep, At)) != std::string::npos; At = N + Sep.size())
    Out.push_back(S.substr(At, N - At));
  Out.push_back(S.substr(At));
  return Out;
}

std::string slurp(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

/// A Conv (3888 MACs: 4x6x6 outputs x 3x3x3) then a Relu and two Identities.
const char *kTiny = R"(
  <ir_version: 8, opset_import: ["" : 17]>
  agraph (float[1,3,8,8] X) => (float[1,4,6,6] Z)
  <float[4,3,3,3] W = {0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,
    0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,
    0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,
    0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,
    0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0}> {
    I1 = Identity(X)
    Y = Conv(I1, W)
    R = Relu(Y)
    Z = Identity(R)
  })";

/// A part that does one fp32 MAC per cycle at 1 MHz with 1e6 bytes/s of DRAM.
std::string tinyHw() {
  return writeTemp("tiny-hw.yaml", "name: one-mac\nmac_units: {fp32: 1}\noperating_points:\n"
                                   "  - {name: n, frequency_mhz: 1, voltage: 0.9, process: TT, "
                                   "temperature_c: 25}\nsram_bytes: 0\n"
                                   "dram_bandwidth_gbps: 0.001\n");
}
} // namespace

TEST_CASE("Every format: csv carries ops, off-chip bytes, bound and time per layer") {
  CliResult R = runCli("analyze -q -f csv" + kOpts + samplePath("resnet50.onnx"));
  REQUIRE(R.Exit == 0);
  auto Lines = split(R.Out, "\r\n");
  CHECK(Lines[0] == "name,kind,op_type,layers,output_shape,macs,macs_expr,mac_share,params,"
                    "shared_params,weight_bytes,ops,offchip_bytes,arithmetic_intensity,bound,"
                    "latency_seconds");
  auto Conv1 = split(Lines[1], ",");
  REQUIRE(Conv1.size() == 16);
  CHECK(Conv1[0] == "/conv1/Conv");
  CHECK(Conv1[5] == std::to_string(kConv1Macs));
  CHECK(Conv1[11] == std::to_string(2 * kConv1Macs)); // tops: 2 ops per MAC
  CHECK(Conv1[14] == "compute");
  // 8 x 118,013,952 MACs at 2.048e12 MACs/s.
  CHECK(std::stod(Conv1[15]) == doctest::Approx(8.0 * kConv1Macs / 2.048e12).epsilon(1e-5));
  // The ops column sums to 2 x ResNet-50's MACs.
  int64_t Ops = 0;
  for (size_t I = 1; I < Lines.size(); ++I) {
    auto F = split(Lines[I], ",");
    if (F.size() == 16 && !F[11].empty())
      Ops += std::stoll(F[11]);
  }
  CHECK(Ops == 2 * kResnetMacs);
}

TEST_CASE("Every format: markdown, html, json and netron carry ops, bound and time") {
  std::string M = samplePath("resnet50.onnx");
  CliResult Md = runCli("analyze -q -f md" + kOpts + M);
  REQUIRE(Md.Exit == 0);
  CHECK(Md.Out.find("| weight bytes | ops | off-chip bytes | MACs/byte | bound | time |") !=
        std::string::npos);
  CHECK(Md.Out.find("| /conv1/Conv | Conv | 1x64x112x112 | 118,013,952 | 2.9 | 9,472 | 37,888 | "
                    "236,027,904 |") != std::string::npos);
  CHECK(Md.Out.find("compute | 461 us |") != std::string::npos);
  CHECK(Md.Out.find("ops: 8.18 G \\(8,178,368,512\\) under convention 'tops'") !=
        std::string::npos);
  CHECK(Md.Out.find("inferences/s: &lt;= 500.83") != std::string::npos);

  CliResult H = runCli("analyze -q -f html" + kOpts + M);
  REQUIRE(H.Exit == 0);
  for (const char *S : {"<th class=\"n\">ops</th>", "<th>bound</th>", "<th class=\"n\">time</th>",
                        "id=\"roofline\"", "Where the time is", "under convention 'tops'",
                        "<td class=\"n\" data-v=\"236027904\">236,027,904</td>"})
    CHECK_MESSAGE(H.Out.find(S) != std::string::npos, S);
  // The convention section no longer describes MACs only.
  CHECK(H.Out.find("The ops column counts operations under convention 'tops'") !=
        std::string::npos);

  CliResult J = runCli("analyze -q -f json" + kOpts + M);
  REQUIRE(J.Exit == 0);
  auto V = llvm::json::parse(J.Out);
  REQUIRE(bool(V));
  const llvm::json::Object &L0 = *(*V->getAsObject()->getArray("layers"))[0].getAsObject();
  CHECK(L0.getInteger("ops") == 2 * kConv1Macs);
  CHECK(L0.getObject("traffic")->getString("bound") == llvm::StringRef("compute"));
  CHECK(*L0.getObject("traffic")->getNumber("latency_seconds") ==
        doctest::Approx(8.0 * kConv1Macs / 2.048e12).epsilon(1e-6));

  CliResult N = runCli("analyze -q -f netron" + kOpts + M);
  REQUIRE(N.Exit == 0);
  auto NV = llvm::json::parse(N.Out);
  REQUIRE(bool(NV));
  std::map<std::string, llvm::json::Value> Conv1;
  for (const llvm::json::Value &X : *NV->getAsObject()->getArray("metrics")) {
    const llvm::json::Object &O = *X.getAsObject();
    if (O.getString("target") == llvm::StringRef("/conv1/Conv"))
      Conv1.emplace(O.getString("name")->str(), *O.get("value"));
  }
  CHECK(Conv1.at("ops").getAsInteger() == 2 * kConv1Macs);
  CHECK(Conv1.at("bound").getAsString() == llvm::StringRef("compute"));
  CHECK(*Conv1.at("latency_seconds").getAsNumber() ==
        doctest::Approx(8.0 * kConv1Macs / 2.048e12).epsilon(1e-5));
}

TEST_CASE("Every format: a hand-computed graph's time on a 1-MAC, 1 MHz part") {
  std::string Model = writeTemp("tiny.onnx", serializeText(kTiny));
  CliResult R = runCli("analyze -q -f csv --hw " + tinyHw() + " " + Model);
  REQUIRE(R.Exit == 0);
  auto Lines = split(R.Out, "\r\n");
  auto Conv = split(Lines[2], ",");
  REQUIRE(Conv.size() == 15);
  CHECK(Conv[2] == "Conv");
  CHECK(Conv[5] == "3888");
  // With no SRAM the Conv moves 432 weight bytes + 768 in + 576 out = 1,776 bytes (1.776 ms
  // at 1e6 bytes/s); its 3888 MACs at 1e6 MACs/s take 3.888 ms, so it is compute-bound.
  CHECK(Conv[11] == "1776");
  CHECK(Conv[13] == "compute");
  CHECK(std::stod(Conv[14]) == doctest::Approx(3.888e-3).epsilon(1e-9));
  // The Relu computes nothing (no vector rate) and moves bytes: memory-bound.
  auto Relu = split(Lines[3], ",");
  CHECK(Relu[2] == "Relu");
  CHECK(Relu[11] == "1152"); // reads and writes 576 bytes
  CHECK(Relu[13] == "memory");
  CHECK(std::stod(Relu[14]) == doctest::Approx(1.152e-3).epsilon(1e-9));
}

TEST_CASE("Every format: --top works for the default table and json") {
  std::string M = samplePath("resnet50.onnx");
  CliResult T = runCli("analyze -q --top 3 " + M);
  REQUIRE(T.Exit == 0);
  // The README's Markdown example: [other] holds 3,739,959,296 MACs.
  CHECK(T.Out.find("[other]") != std::string::npos);
  CHECK(T.Out.find("3,739,959,296") != std::string::npos);
  CHECK(T.Out.find("4,089,184,256") != std::string::npos);
  CliResult J = runCli("analyze -q -f json --group-by op_type " + M);
  REQUIRE(J.Exit == 0);
  auto V = llvm::json::parse(J.Out);
  REQUIRE(bool(V));
  const llvm::json::Object *View = V->getAsObject()->getObject("view");
  REQUIRE(View);
  const llvm::json::Object &Conv = *(*View->getArray("rows"))[0].getAsObject();
  CHECK(Conv.getString("label") == llvm::StringRef("Conv"));
  CHECK(Conv.getInteger("layers") == int64_t(53));
  CHECK(Conv.getInteger("macs") == 4087136256);
  CHECK(View->getObject("total")->getInteger("macs") == kResnetMacs);
}

TEST_CASE("Every format: --hide-trivial folds zero rows, html hides them behind a toggle") {
  std::string Model = writeTemp("tiny.onnx", serializeText(kTiny));
  CliResult T = runCli("analyze -q --hide-trivial " + Model);
  REQUIRE(T.Exit == 0);
  CHECK(T.Out.find("Identity") == std::string::npos);
  CHECK(T.Out.find("[other]") != std::string::npos);
  CHECK(T.Out.find("3 layer(s) whose every figure is zero") != std::string::npos);
  CliResult H = runCli("analyze -q -f html " + Model);
  REQUIRE(H.Exit == 0);
  size_t Trivial = 0;
  for (size_t At = H.Out.find("<tr class=\"trivial\">"); At != std::string::npos;
       At = H.Out.find("<tr class=\"trivial\">", At + 1))
    ++Trivial;
  CHECK(Trivial == 3); // Identity, Relu, Identity: no MACs, no weights
  CHECK(H.Out.find("id=\"trivial\" type=\"checkbox\"> show 3 trivial row(s)") != std::string::npos);
}

TEST_CASE("Every format: natural order and short formulas") {
  CHECK(naturalLess("layer2", "layer10"));
  CHECK_FALSE(naturalLess("layer10", "layer2"));
  CHECK(naturalLess("/layer1/conv", "/layer1/conv1"));
  CHECK(shortFormula("18432*batch*seq^2 + 84934656*batch*seq + 589824*batch") == "f(batch, seq)");
  CHECK(shortFormula("3888*N") == "3888*N");
}

TEST_CASE("Compare many: several models with --hw and --batch give bound and inferences/s") {
  CliResult R = runCli("analyze -q --hw " + kHw + " --operating-point slow --batch 8 " +
                       samplePath("resnet50.onnx") + " " + samplePath("tiny_cnn.onnx"));
  REQUIRE(R.Exit == 0);
  CHECK(R.Out.find("inferences/s") != std::string::npos);
  // 8 / (8 x 4,089,184,256 / 2.048e12) = 500.83 inferences/s.
  CHECK(std::regex_search(R.Out, std::regex("resnet50\\.onnx\\s+ok\\s+122\\s+4,089,184,256\\s+"
                                            "25,530,472\\s+102,121,888\\s+8\\s+compute\\s+"
                                            "16 ms\\s+500\\.83")));
  CliResult Md = runCli("analyze -q -f md --convention tops " + samplePath("resnet50.onnx") + " " +
                        samplePath("tiny_cnn.onnx"));
  REQUIRE(Md.Exit == 0);
  CHECK(Md.Out.find("| 4,089,184,256 | 25,530,472 | 102,121,888 | 8,178,368,512 |") !=
        std::string::npos);
  CliResult J = runCli("analyze -q -f json --hw " + kHw + " --operating-point slow --batch 8 " +
                       samplePath("resnet50.onnx") + " " + samplePath("tiny_cnn.onnx"));
  REQUIRE(J.Exit == 0);
  auto V = llvm::json::parse(J.Out);
  REQUIRE(bool(V));
  const llvm::json::Object &M0 = *(*V->getAsObject()->getArray("models"))[0].getAsObject();
  CHECK(*M0.getObject("roofline")->getNumber("inferences_per_second") ==
        doctest::Approx(2.048e12 / kResnetMacs).epsilon(1e-6));
}

TEST_CASE("Compare many: a symbolic total is shortened with a hint to bind it") {
  CliResult R =
      runCli("analyze -q " + samplePath("bert_base.onnx") + " " + samplePath("tiny_cnn.onnx"));
  REQUIRE(R.Exit == 0);
  CHECK(R.Out.find("f(batch, seq)") != std::string::npos);
  CHECK(R.Out.find("84934656") == std::string::npos);
  CHECK(R.Out.find("bind them with --dim") != std::string::npos);
}

TEST_CASE("Inputs first: the header and json list inputs, symbolic dims marked") {
  CliResult T = runCli("analyze -q " + samplePath("bert_base.onnx"));
  REQUIRE(T.Exit == 0);
  CHECK(T.Out.find("input:    input_ids: int64 [batch, seq] (symbolic: batch, seq)") !=
        std::string::npos);
  CliResult B = runCli("analyze -q --dim batch=1 --dim seq=128 " + samplePath("bert_base.onnx"));
  CHECK(B.Out.find("input_ids: int64 [1, 128] (symbolic: batch=1, seq=128)") != std::string::npos);
  CliResult J = runCli("analyze -q -f json " + samplePath("resnet50.onnx"));
  auto V = llvm::json::parse(J.Out);
  REQUIRE(bool(V));
  const llvm::json::Object &In = *(*V->getAsObject()->getArray("inputs"))[0].getAsObject();
  CHECK(In.getString("name") == llvm::StringRef("input"));
  CHECK(In.getString("dtype") == llvm::StringRef("float"));
  const llvm::json::Array &Shape = *In.getArray("shape");
  REQUIRE(Shape.size() == 4);
  CHECK(Shape[1].getAsInteger() == int64_t(3));
  CHECK(Shape[3].getAsInteger() == int64_t(224));
  CHECK(In.getArray("symbolic")->empty());
}

TEST_CASE("Overlays: model-explorer node data, one metric per file") {
  std::string Out = writeTemp("me.json", "");
  CliResult R = runCli("analyze -q -f model-explorer -o " + Out + " --hw " + kHw +
                       " --operating-point slow --batch 8 " + samplePath("resnet50.onnx"));
  REQUIRE(R.Exit == 0);
  auto V = llvm::json::parse(slurp(Out));
  REQUIRE(bool(V));
  // One graph id (the graph's name) holding results keyed by node name.
  REQUIRE(V->getAsObject()->size() == 1);
  const llvm::json::Object &G = *V->getAsObject()->begin()->second.getAsObject();
  CHECK(G.getObject("results")->getObject("/conv1/Conv")->getInteger("value") == kConv1Macs);
  CHECK(G.getArray("gradient")->size() == 2);
  // Relu counts no MACs: it has no value rather than a 0.
  CHECK(G.getObject("results")->getObject("/relu/Relu") == nullptr);
  std::string Stem = Out.substr(0, Out.size() - 5);
  auto W = llvm::json::parse(slurp(Stem + ".weight_bytes.json"));
  REQUIRE(bool(W));
  CHECK(W->getAsObject()
            ->begin()
            ->second.getAsObject()
            ->getObject("results")
            ->getObject("/conv1/Conv")
            ->getInteger("value") == int64_t(37888));
  auto B = llvm::json::parse(slurp(Stem + ".bound.json"));
  REQUIRE(bool(B));
  CHECK(B->getAsObject()
            ->begin()
            ->second.getAsObject()
            ->getObject("results")
            ->getObject("/conv1/Conv")
            ->getString("value") == llvm::StringRef("compute"));
}
